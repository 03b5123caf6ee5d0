package org.bobbob.store.support;

import java.io.IOException;
import java.nio.file.Path;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.LockTimeoutException;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.UnsupportedCapabilityException;
import org.bobbob.store.WriteLimitExceededException;

/**
 * Every store error is made here, so each has one code and one wording. The codes are
 * {@link ErrorCode}'s entries, listed in {@code docs/ERRORS.md} (a test keeps the two in step);
 * each exception's message starts with its code and {@code code()} returns it.
 */
public final class Errors {
    private Errors() {}

    public static ObjectNotFoundException notFound(long id) {
        String why = id == 0
                ? "id 0 belongs to the store itself"
                : id < 0 ? "ids are never negative" : "no live object has this id (never allocated, or deleted)";
        return new ObjectNotFoundException(ErrorCode.OBJECT_NOT_FOUND, id, "object " + id + " not found: " + why);
    }

    public static WriteLimitExceededException writeLimit(long id, int size, long position, int attempted) {
        return new WriteLimitExceededException(
                ErrorCode.WRITE_LIMIT_EXCEEDED,
                "write of " + attempted
                        + " bytes at position " + position + " would pass the end of object " + id + " (size " + size
                        + "); nothing written");
    }

    public static StoreException primeTooSmall(long id, int has, int asked) {
        return new StoreException(
                ErrorCode.PRIME_TOO_SMALL,
                "prime object " + id + " has " + has + " bytes, smaller than the " + asked + " asked for");
    }

    public static StoreException notAdjacent(long previous, long next) {
        return new StoreException(
                ErrorCode.NOT_ADJACENT,
                "objects " + previous + " and " + next
                        + " are not adjacent in the file; writeBatchedObjs needs a run (see RunAllocator)");
    }

    public static StoreException spaceExhausted(String detail) {
        return new StoreException(ErrorCode.SPACE_EXHAUSTED, "cannot allocate: " + detail);
    }

    public static LockTimeoutException lockTimeout(long id, long waitedMillis) {
        return new LockTimeoutException("object " + id + " was held by another transaction for " + waitedMillis
                + " ms, the lock timeout; nothing was changed");
    }

    public static LockTimeoutException deadlock(long id) {
        return new LockTimeoutException("waiting for object " + id
                + " would be a deadlock: its holder waits, directly or not, for this transaction; nothing was"
                + " changed");
    }

    public static StoreException transactionEnded(Object tx) {
        return new StoreException(ErrorCode.TRANSACTION_ENDED, tx + " has ended (committed, rolled back or closed)");
    }

    public static StoreException inDoubt(long id, Object branch) {
        return new StoreException(
                ErrorCode.IN_DOUBT,
                "object " + id + " belongs to prepared branch " + branch
                        + ", in doubt until a transaction manager commits or rolls it back");
    }

    public static StoreClosedException closed(Object what) {
        return new StoreClosedException(ErrorCode.CLOSED, what + " is closed");
    }

    public static StoreClosedException closed(Object what, Throwable cause) {
        return new StoreClosedException(ErrorCode.CLOSED, what + " is closed", cause);
    }

    public static StoreException locked(Path path) {
        return new StoreException(
                ErrorCode.LOCKED, "store file " + path + " is already open (locked by this or another process)");
    }

    public static StoreException missing(Path path) {
        return new StoreException(ErrorCode.FILE_MISSING, "store file " + path + " does not exist");
    }

    public static StoreException isDirectory(Path path) {
        return new StoreException(ErrorCode.NOT_A_FILE, "store path " + path + " is a directory, not a file");
    }

    public static StoreException tooLargeForAnArray(long id, int size) {
        return new StoreException(
                ErrorCode.TOO_LARGE_FOR_AN_ARRAY,
                "object " + id + " holds " + size + " bytes, more than a byte[] can; read it with lateReadObj");
    }

    public static StoreException ioFailed(Path path, IOException cause) {
        return new StoreException(
                ErrorCode.IO_FAILED, "reading or writing " + path + " failed: " + cause.getMessage(), cause);
    }

    public static StoreException syncFailed(Path path, IOException cause) {
        return new StoreException(ErrorCode.SYNC_FAILED, "sync of " + path + " failed: " + cause.getMessage(), cause);
    }

    public static StoreException missingDirectory(Path path) {
        return new StoreException(
                ErrorCode.FILE_MISSING,
                "cannot create store file " + path + ": directory "
                        + path.toAbsolutePath().getParent() + " does not exist");
    }

    public static StoreException exists(Path path) {
        return new StoreException(
                ErrorCode.FILE_EXISTS,
                "store file " + path + " already exists and is not empty; open it instead of creating it");
    }

    public static StoreException closeTimedOut(Object what, int openHandles) {
        return new StoreException(
                ErrorCode.CLOSE_TIMED_OUT,
                what + " closed with " + openHandles
                        + " handles still open after the close timeout; they now fail with StoreClosedException");
    }

    public static StoreCorruptedException checksumMismatch(Object store, long id, int recorded, int actual) {
        return new StoreCorruptedException(
                ErrorCode.CHECKSUM_MISMATCH,
                "object " + id + " of " + store + ": its bytes have CRC32C " + Integer.toHexString(actual)
                        + ", the store recorded " + Integer.toHexString(recorded));
    }

    public static StoreCorruptedException corrupted(Path path, String reason) {
        return new StoreCorruptedException(ErrorCode.CORRUPTED, "store file " + path + " is corrupted: " + reason);
    }

    public static StoreCorruptedException notAStore(Path path, String reason) {
        return new StoreCorruptedException(ErrorCode.NOT_A_STORE, path + " is not a bobbob store: " + reason);
    }

    public static StoreCorruptedException unsupportedVersion(Path path, int version, int oldest, int newest) {
        return new StoreCorruptedException(
                ErrorCode.UNSUPPORTED_VERSION,
                "store file " + path + " has format version " + version + "; this build reads versions " + oldest
                        + " to " + newest);
    }

    public static StoreCorruptedException wrongKind(Path path, String found, String expected) {
        return new StoreCorruptedException(
                ErrorCode.WRONG_KIND,
                "store file " + path + " holds a " + found + " store, not a " + expected + " store");
    }

    public static UnsupportedCapabilityException unsupported(Object store, Class<?> capability) {
        return unsupported(store.getClass().getSimpleName(), capability);
    }

    /** As {@link #unsupported(Object, Class)}, for a store whose class is not the name users know it by. */
    public static UnsupportedCapabilityException unsupported(String storeName, Class<?> capability) {
        return new UnsupportedCapabilityException(
                ErrorCode.UNSUPPORTED_CAPABILITY, storeName + " does not support " + capability.getName());
    }

    /**
     * BOB-501 naming {@code url} and {@code problem}, with the value of every key that looks like a
     * credential ({@code secretKey}, {@code accessKey}, a password, a session token) shown as
     * {@code ***}: URLs end up in logs, credentials must not.
     */
    public static StoreException badUrl(String url, String problem) {
        return new StoreException(ErrorCode.BAD_URL, "bad store URL '" + masked(url) + "': " + masked(problem));
    }

    private static final java.util.regex.Pattern CREDENTIAL = java.util.regex.Pattern.compile(
            "(?i)([\\w.-]*(?:secret|password|accesskey|sessiontoken)[\\w.-]*=)[^&'\\s]*");

    /** {@code text} with the value of every {@code key=value} whose key names a credential as {@code ***}. */
    static String masked(String text) {
        return text == null ? null : CREDENTIAL.matcher(text).replaceAll("$1***");
    }
}
