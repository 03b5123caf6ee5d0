package org.bobbob.store;

import java.util.Optional;
import org.bobbob.store.support.Errors;

/**
 * Every error code bobbob uses, in one table: store-core's ({@code BOB-1xx} to {@code BOB-5xx}),
 * the resource adapter's ({@code BOB-6xx}), the CDI module's ({@code BOB-7xx}) and the S3
 * provider's ({@code BOB-8xx}).
 *
 * <p>A message made for a code starts with {@link #prefix()}, e.g. {@code "[BOB-101] object 7 not
 * found: ..."}, so a report that quotes it is easy to triage; the exception also carries the code
 * itself ({@link StoreException#code()}, {@code ResourceException.getErrorCode()} in the adapter,
 * {@code StoreConfigurationException.code()} in the CDI module). Messages are made only by the
 * modules' error factories ({@link Errors}, {@code RarErrors}, {@code CdiErrors}, {@code S3Errors}),
 * never by hand.
 *
 * <p>{@code docs/ERRORS.md} lists every entry with its {@link #summary()} and {@link #fix()}; a
 * test keeps the two in step. Numbers are never reused: a code that is no longer thrown keeps its
 * entry.
 */
public enum ErrorCode {
    // ---------------------------------------------------------------- 1xx: objects and calls

    OBJECT_NOT_FOUND(
            101,
            "id 0, negative, never allocated, or deleted",
            "use an id that a write or newObj returned and that has not been deleted since; id 0 is the store's own"),
    WRITE_LIMIT_EXCEEDED(
            102,
            "a write would pass the end of the object; nothing was written",
            "write at most size() bytes; for more data, write a new object of the size you need"),
    PRIME_TOO_SMALL(
            103,
            "primeObject(size) asked for more bytes than the prime object has",
            "ask for the size the prime object was made with, or less; keep larger root data in an object it"
                    + " points to"),
    NOT_ADJACENT(
            104,
            "writeBatchedObjs ids are not back to back in the file",
            "allocate the ids with RunAllocator.allocateRun (BasicStore), or write the objects one by one"),
    SPACE_EXHAUSTED(
            105,
            "the file would pass its maximum size (2^44 bytes, 16 TiB), or 2^30 blocks",
            "delete objects and sync so their space is reused, or use another store file"),
    TOO_LARGE_FOR_AN_ARRAY(
            106,
            "readBytesFromObj of an object larger than a byte[] can be (2^31 - 9 bytes)",
            "read it with lateReadObj, as a stream"),
    LOCK_TIMEOUT(
            120,
            "a transaction held the object past the lock timeout, or waiting would have been a deadlock",
            "retry, or roll back and begin again; keep transactions short, touch objects in one order, or"
                    + " raise lockTimeoutMillis"),
    TRANSACTION_ENDED(
            121,
            "a call on a transaction that was committed, rolled back or closed",
            "begin a new transaction; a transaction ends with its first commit, rollback or close"),
    IN_DOUBT(
            122,
            "the object belongs to a prepared XA branch that no transaction manager has decided yet",
            "let the transaction manager recover the branch (commit or roll back its Xid), then retry"),

    // ---------------------------------------------------------------- 2xx: the file and its life cycle

    CLOSED(
            201,
            "the store or the handle is closed",
            "do not use a store or a handle after close(); open the store again"),
    LOCKED(
            202,
            "the file is locked: already open in this or another process",
            "close the other store on this file first (a file is open once at a time), or share that one"),
    FILE_MISSING(
            203,
            "the file does not exist (open, or create=false)",
            "check the path and that its directory exists, or create the store (create=true)"),
    FILE_EXISTS(
            204,
            "create on a file that exists and is not empty",
            "open the existing store instead, or remove the file first"),
    CLOSE_TIMED_OUT(
            205,
            "ConcurrentStore.close() gave up waiting for open handles",
            "close every ObjectReader and ObjectWriter (try-with-resources) before closing the store"),
    NOT_A_FILE(206, "the path names a directory", "give the path of the store file, not of its directory"),
    SYNC_FAILED(
            207,
            "sync() could not write or force the file (a full disk, an I/O error)",
            "free disk space or fix the device, then sync() again: what an earlier sync made durable is"
                    + " intact, and the changes since are still pending. On a full disk, deleting the objects"
                    + " written since the last sync (their bytes could not be written) and others, then"
                    + " sync(), also recovers: their space is reused"),
    IO_FAILED(
            208,
            "a read or write of the file failed (a full disk, an I/O error)",
            "free disk space or fix the device, then retry: a new object whose write failed was not"
                    + " created, an overwrite may be partly done"),

    // ---------------------------------------------------------------- 3xx: what the file holds

    CORRUPTED(
            301,
            "checksum, truncation or inconsistent metadata",
            "do not write to the file; restore it from a backup (the message says which check failed)"),
    NOT_A_STORE(302, "not a bobbob store (no magic, or empty)", "check the path: it names a file that is not a store"),
    UNSUPPORTED_VERSION(
            303,
            "a format version this build cannot read",
            "open the file with a bobbob build that reads that version (the message names the versions)"),
    WRONG_KIND(
            304,
            "a basic store opened as multi, or the reverse",
            "open the file with the kind it was created with (the message names it)"),
    CHECKSUM_MISMATCH(
            305,
            "an object's bytes do not match the CRC32C recorded for them",
            "restore the object from a backup or write it again; an overwrite cut short by a crash since"
                    + " the last sync ends this way (the message names the id)"),

    // ---------------------------------------------------------------- 4xx, 5xx: capabilities, URLs

    UNSUPPORTED_CAPABILITY(
            401,
            "unwrap of a capability the store does not have",
            "ask isWrapperFor first, or use a store that offers it (RunAllocator: BasicStore only)"),
    BAD_URL(
            501,
            "a bad store URL: the message names the URL and the problem",
            "write the URL as bobbob:<kind>:<path>[?key=value&...] with a known kind and known keys"),

    // ---------------------------------------------------------------- 6xx: the resource adapter (store-rar)

    RAR_PATH_MISSING(
            601,
            "neither config property url nor path is set",
            "set url (a store URL), or path: the store file, absolute or relative to jboss.server.data.dir"),
    RAR_BAD_KIND(
            602,
            "config property kind names no store provider",
            "set kind to basic, multi, or the kind of a provider whose jar is in the RAR"),
    RAR_BAD_DISK_TOKENS(603, "config property diskTokens is negative", "set diskTokens to 0 (unlimited) or more"),
    RAR_PATH_ESCAPES(
            604,
            "a relative path leads outside jboss.server.data.dir",
            "use a relative path that stays inside the data directory, or an absolute path"),
    RAR_PATH_IS_DIRECTORY(605, "path names a directory", "make path name the store file, not its directory"),
    RAR_PATH_DOES_NOT_EXIST(606, "the file does not exist and create is false", "correct path, or set create to true"),
    RAR_CANNOT_CREATE_DIRECTORY(
            607, "the store's directory cannot be created", "create the directory, or let the server's user create it"),
    RAR_OPEN_FAILED(
            608,
            "the store cannot be opened (store-core's reason follows)",
            "fix what the store-core code that follows says"),
    RAR_KIND_CONFLICT(
            609,
            "the file is already open with another kind",
            "give every connection definition on this file the same kind"),
    RAR_DISK_TOKENS_CONFLICT(
            610,
            "the store is already open with another diskTokens",
            "give every connection definition on this store the same diskTokens"),
    RAR_STORE_FAILED(
            611,
            "the store failed; it reopens once its connections are destroyed",
            "fix the failure the message names; the next getConnection() after the pool has let go reopens the file"),
    RAR_PATH_INVALID(612, "path is not a valid path", "give a path this file system accepts"),
    RAR_URL_AND_PATH(
            613,
            "config property url is set together with path or kind",
            "give either url alone (it names the kind), or path with kind"),
    RAR_BAD_URL(
            614,
            "config property url is not a store URL the adapter can open (store-core's reason follows)",
            "write bobbob:<kind>:<location>[?key=value&...] with the kind of a provider in the RAR, known keys,"
                    + " and no concurrent=false"),
    RAR_BAD_CREDENTIALS(
            615,
            "config property accessKey or secretKey is set without the other, or for a store file (path, or a basic/multi url)",
            "set both, with a url whose provider takes credentials (bobbob:s3:), or neither"),
    RAR_NOT_ASSOCIATED(
            620,
            "the factory is not associated with the adapter",
            "let the server associate it (deploy it in store-rar.rar), or call setResourceAdapter first"),
    RAR_OTHER_ADAPTER(
            621,
            "the factory is already associated with another adapter",
            "use each managed connection factory with one adapter only"),
    RAR_NOT_STARTED(
            622,
            "the adapter is not started, or stopped",
            "deploy store-rar.rar (again) and use it once it has started"),
    RAR_DESTROYED(623, "the managed connection was destroyed", "get a new connection from the connection factory"),
    RAR_NOT_OUR_HANDLE(
            624,
            "associateConnection got a handle that is not bobbob's",
            "pass only handles of this adapter's connections (a server or configuration fault)"),
    RAR_NO_TRANSACTIONS(
            625,
            "transactions (NoTransaction adapter)",
            "use the adapter without transactions (transaction-support NoTransaction)"),
    RAR_NO_INBOUND(626, "inbound (message endpoints)", "do not activate message endpoints on this adapter"),
    RAR_WRONG_ADAPTER(
            627,
            "associated with an adapter that is not StoreResourceAdapter",
            "use StoreManagedConnectionFactory only inside store-rar.rar"),
    RAR_CLEANUP_FAILED(
            628,
            "closing Late handles at cleanup() failed",
            "close Late handles before their connection; the cause says what failed"),
    RAR_CLOSE_FAILED(
            629,
            "the final sync/close of a store failed (it reopens at its last sync)",
            "fix the cause (disk full, I/O error); work after the last completed sync is lost"),
    RAR_BAD_SYNC_INTERVAL(
            630,
            "the adapter's syncIntervalMillis is negative",
            "set syncIntervalMillis to 0 (no periodic sync) or more"),
    RAR_STORE_FILE_GONE(
            631,
            "the store file was deleted, moved or replaced while the store was open",
            "leave store files alone while the adapter has them open (undeploy or stop first); the next"
                    + " getConnection() after the pool has let go opens the file at the path again"),
    RAR_SYNC_IN_TRANSACTION(
            632,
            "sync() on a connection inside a JTA or local transaction",
            "let the transaction commit: its commit is the durability point; call sync() outside transactions"),
    RAR_TRANSACTIONS_UNAVAILABLE(
            633,
            "the store behind the connection offers no transactions (not a file store)",
            "use a basic or multi store for XATransaction or LocalTransaction connection definitions, or set"
                    + " transaction-support NoTransaction"),
    RAR_TRANSACTION_FAILED(
            634,
            "a local transaction's begin, commit or rollback failed: the message says which and why",
            "see the cause; a failed commit of a decided transaction is retried by committing again"),

    // ---------------------------------------------------------------- 7xx: the CDI module (store-cdi)

    CDI_BAD_NAME(
            701, "@Store name is not letters, digits, _, -", "rename the store with letters, digits, _ and - only"),
    CDI_NOT_CONFIGURED(
            702,
            "a named store has neither .jndi nor .url",
            "set bobbob.store.<name>.jndi (application server) or bobbob.store.<name>.url (embedded store)"),
    CDI_CONFLICT(703, "both .url and .jndi are set", "remove one of the two keys"),
    CDI_BLANK(704, "a key is set but blank (system properties)", "give the key a value, or remove it"),
    CDI_NOT_A_URL(705, ".url does not start with bobbob:", "write the URL as bobbob:<kind>:<path>[?key=value&...]"),
    CDI_ADAPTER_MISSING(
            706,
            "a JNDI store, but org.bobbob.rar is not visible (e.g. Weld SE without a .url)",
            "deploy store-rar and depend on it, or set .url to open an embedded store"),
    CDI_LOOKUP_FAILED(
            707,
            "nothing found at the JNDI name (the cause is the NamingException)",
            "deploy store-rar with a connection factory bound at that name, or correct .jndi"),
    CDI_NOT_A_FACTORY(
            708,
            "the JNDI name holds something that is not a StoreConnectionFactory"
                    + " (or one from another class loader)",
            "point .jndi at a bobbob connection factory; do not package the adapter's classes in the application"),
    CDI_NO_CONNECTION(
            709,
            "the pool gave no connection (the cause is the ResourceException)",
            "see the cause; close Late handles, or raise the pool's max-pool-size"),
    CDI_OPEN_FAILED(
            710,
            "the embedded store cannot be opened (the store's own code follows)",
            "fix what the store's code that follows says (e.g. BOB-202: locked, BOB-501: bad URL)"),
    CDI_NOT_CONCURRENT(
            711,
            "the URL opens a store that is not thread-safe (concurrent=false)",
            "remove concurrent=false from the URL"),
    CDI_CLOSE_UNSUPPORTED(
            712,
            "the injected Storer cannot be closed",
            "do not close it; close Late handles one by one, or hold a StoreConnection of your own"),
    CDI_NO_CONTAINER(
            713,
            "an injected Storer read back outside a running container",
            "deserialize it only inside a running CDI container with store-cdi"),

    // ---------------------------------------------------------------- 8xx: remote stores (store-s3)

    REMOTE_FAILED(
            801,
            "a request to the object store failed (endpoint unreachable, credentials refused, a server error),"
                    + " after the client's bounded retries",
            "check the endpoint, the credentials and the server, then retry: a new object whose upload failed"
                    + " was not created, an overwrite that failed left the old bytes"),
    BUCKET_MISSING(
            802,
            "the URL's bucket does not exist and create is false",
            "create the bucket, correct the bucket in the URL, or set create=true"),
    OBJECT_REPLACED(
            803,
            "another writer (another process or server) replaced or deleted the object while this handle had it"
                    + " open; nothing of this handle's change was made",
            "read the object again and redo the change; in one JVM a ConcurrentStore (the default) keeps the"
                    + " writers of an object apart");

    private final int number;
    private final String summary;
    private final String fix;

    ErrorCode(int number, String summary, String fix) {
        assert number >= 100 && number <= 999 : number;
        this.number = number;
        this.summary = summary;
        this.fix = fix;
    }

    /** The number, e.g. {@code 101}. */
    public int number() {
        return number;
    }

    /** The code as messages and docs show it, e.g. {@code "BOB-101"}. */
    public String id() {
        return "BOB-" + number;
    }

    /** What went wrong, in a line (the "meaning" column of {@code docs/ERRORS.md}). */
    public String summary() {
        return summary;
    }

    /** What the user should do about it (the "fix" column of {@code docs/ERRORS.md}). */
    public String fix() {
        return fix;
    }

    /** The start of every message with this code, e.g. {@code "[BOB-101] "}. */
    public String prefix() {
        return "[" + id() + "] ";
    }

    /** {@code detail} after this code's {@link #prefix()}: a whole message. */
    public String message(String detail) {
        return prefix() + detail;
    }

    /**
     * The entry whose {@link #id()} is {@code id} (e.g. what {@code ResourceException.getErrorCode()}
     * returns); empty for null or an unknown id.
     */
    public static Optional<ErrorCode> forId(String id) {
        for (ErrorCode code : values()) {
            if (code.id().equals(id)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }
}
