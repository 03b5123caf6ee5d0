package org.bobbob.rar;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.LocalTransactionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.support.Errors;

/**
 * Every error the adapter makes is made here, so each has one code and one wording. Codes
 * {@code BOB-6xx} belong to the adapter (store-core owns 1xx to 5xx); they are entries of
 * {@link ErrorCode}, listed in {@code docs/ERRORS.md} and {@code docs/RAR.md}. Each message starts
 * with its code, and each {@link ResourceException} carries the code's id as its
 * {@linkplain ResourceException#getErrorCode() error code} (so {@code getMessage()}, as the
 * Connectors API defines it, ends with {@code ", error code: BOB-6xx"}). Configuration errors are
 * {@link InvalidPropertyException}s whose message names the property right after the code, so a
 * failed deployment names what to fix.
 */
final class RarErrors {
    private RarErrors() {}

    static InvalidPropertyException pathMissing() {
        return property(
                ErrorCode.RAR_PATH_MISSING,
                "path",
                "config property 'path' or 'url' is required: the store"
                        + " file (absolute or relative to " + StorePaths.BASE_DIR_PROPERTY + "), or a store URL such as"
                        + " bobbob:multi:blobs/main.bob");
    }

    static InvalidPropertyException badKind(String kind, List<String> known) {
        return property(
                ErrorCode.RAR_BAD_KIND,
                "kind",
                "config property 'kind' is '" + kind + "'; no store provider offers it (known: "
                        + String.join(", ", known) + ")");
    }

    static InvalidPropertyException badDiskTokens(int diskTokens) {
        return property(
                ErrorCode.RAR_BAD_DISK_TOKENS,
                "diskTokens",
                "config property 'diskTokens' is " + diskTokens + "; it must be >= 0 (0 = unlimited)");
    }

    /** {@code property} is {@code path}, or {@code url} for the location of a file kind's URL. */
    static InvalidPropertyException pathInvalid(String property, String path, String reason) {
        return property(
                ErrorCode.RAR_PATH_INVALID,
                property,
                "config property '" + property + "' ('" + path + "') is not a valid path: " + reason);
    }

    static InvalidPropertyException pathEscapes(String property, String path, Path base) {
        return property(
                ErrorCode.RAR_PATH_ESCAPES,
                property,
                "config property '" + property + "' ('" + path
                        + "') leads outside " + base + " (" + StorePaths.BASE_DIR_PROPERTY
                        + "); use an absolute path to put"
                        + " a store elsewhere");
    }

    static InvalidPropertyException pathIsDirectory(String property, String path, Path resolved) {
        return property(
                ErrorCode.RAR_PATH_IS_DIRECTORY,
                property,
                "config property '" + property + "' ('" + path + "') names the directory " + resolved
                        + "; it must name the store file");
    }

    static InvalidPropertyException pathDoesNotExist(String property, String path, Path resolved) {
        return property(
                ErrorCode.RAR_PATH_DOES_NOT_EXIST,
                property,
                "config property '" + property + "' ('" + path + "'): store file " + resolved
                        + " does not exist, and create is false");
    }

    static InvalidPropertyException cannotCreateDirectory(String property, String path, Path dir, IOException cause) {
        InvalidPropertyException e = property(
                ErrorCode.RAR_CANNOT_CREATE_DIRECTORY,
                property,
                "config property '" + property + "' ('" + path + "'): cannot create directory " + dir + ": " + cause);
        e.initCause(cause);
        return e;
    }

    /** {@code other} is the property set beside {@code url}: {@code path} or {@code kind}. */
    static InvalidPropertyException urlAndPath(String url, String other) {
        return property(
                ErrorCode.RAR_URL_AND_PATH,
                "url",
                "config property 'url' ('" + url + "') is set together" + " with config property '" + other
                        + "'; give either url alone (it names the kind), or path with kind");
    }

    /** {@code property} is the credential set alone or with {@code path}; no value is shown. */
    static InvalidPropertyException badCredentials(String property, String reason) {
        return property(
                ErrorCode.RAR_BAD_CREDENTIALS,
                property,
                "config property '" + property + "' cannot be used: " + reason);
    }

    /** {@code reason} is store-core's message, or the adapter's own; {@code cause} may be null. */
    static InvalidPropertyException badUrl(String url, String reason, Throwable cause) {
        InvalidPropertyException e = property(
                ErrorCode.RAR_BAD_URL, "url", "config property 'url' ('" + url + "') cannot be used: " + reason);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static ResourceException openFailed(StoreTarget target, IOException cause) {
        return resource(
                ErrorCode.RAR_OPEN_FAILED,
                "config property '" + target.property() + "': cannot open the " + target.kind() + " store "
                        + target.key() + ": " + cause.getMessage(),
                cause);
    }

    static ResourceException kindConflict(StoreTarget wanted, String open) {
        return property(
                ErrorCode.RAR_KIND_CONFLICT,
                "kind",
                "config property 'kind' is " + wanted.kind()
                        + ", but store " + wanted.key() + " is already open as a " + open
                        + " store by another connection definition");
    }

    static ResourceException diskTokensConflict(StoreTarget wanted, int open) {
        return property(
                ErrorCode.RAR_DISK_TOKENS_CONFLICT,
                "diskTokens",
                "config property 'diskTokens' is "
                        + wanted.diskTokens() + ", but store " + wanted.key() + " is already open with diskTokens="
                        + open
                        + " by another connection definition; give both the same value");
    }

    static ResourceException storeFailed(String store, int references, IOException failure) {
        return resource(
                ErrorCode.RAR_STORE_FAILED,
                "store " + store + " failed (" + failure.getMessage() + "); it is reopened once its " + references
                        + " managed connections are destroyed",
                failure);
    }

    static StoreException storeFileGone(String store, String what) {
        return new StoreException(
                ErrorCode.RAR_STORE_FILE_GONE,
                "the file of store " + store + " " + what + " while the store was open; its connections are"
                        + " discarded and the file is opened again once they are gone");
    }

    static StoreClosedException storeUnusable(String store, IOException failure) {
        return failure == null
                ? Errors.closed("shared store " + store)
                : Errors.closed("shared store " + store + ", which failed: " + failure.getMessage() + ",", failure);
    }

    static IllegalStateException notAssociated() {
        ErrorCode code = ErrorCode.RAR_NOT_ASSOCIATED;
        return new IllegalStateException(
                code.message("the managed connection factory is not associated with a "
                        + StoreResourceAdapter.class.getSimpleName()),
                code.id());
    }

    static ResourceException wrongAdapter(Object adapter) {
        return resource(
                ErrorCode.RAR_WRONG_ADAPTER,
                "expected a " + StoreResourceAdapter.class.getName() + ", got "
                        + (adapter == null ? "null" : adapter.getClass().getName()),
                null);
    }

    static IllegalStateException otherAdapter() {
        ErrorCode code = ErrorCode.RAR_OTHER_ADAPTER;
        return new IllegalStateException(
                code.message("the managed connection factory is already associated with"
                        + " another resource adapter; an association never changes"),
                code.id());
    }

    static IllegalStateException notStarted() {
        ErrorCode code = ErrorCode.RAR_NOT_STARTED;
        return new IllegalStateException(
                code.message("the resource adapter is not started, or has been stopped"), code.id());
    }

    static IllegalStateException destroyed(Object managedConnection) {
        ErrorCode code = ErrorCode.RAR_DESTROYED;
        return new IllegalStateException(code.message(managedConnection + " has been destroyed"), code.id());
    }

    static StoreClosedException handleClosed() {
        return Errors.closed("connection handle");
    }

    static ResourceException notOurHandle(Object connection) {
        return resource(
                ErrorCode.RAR_NOT_OUR_HANDLE,
                "not a bobbob connection handle: "
                        + (connection == null ? "null" : connection.getClass().getName()),
                null);
    }

    static NotSupportedException transactionsUnavailable(Object store, Throwable cause) {
        ErrorCode code = ErrorCode.RAR_TRANSACTIONS_UNAVAILABLE;
        NotSupportedException e = new NotSupportedException(code.message(store + " offers no transactions"), code.id());
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static LocalTransactionException transactionFailed(String what, Object connection, Throwable cause) {
        ErrorCode code = ErrorCode.RAR_TRANSACTION_FAILED;
        LocalTransactionException e = new LocalTransactionException(
                code.message(what + " of the local transaction on " + connection + " failed: " + cause.getMessage()),
                code.id());
        e.initCause(cause);
        return e;
    }

    static StoreException syncInTransaction() {
        return new StoreException(
                ErrorCode.RAR_SYNC_IN_TRANSACTION,
                "sync() inside a transaction: the transaction's commit is its durability point");
    }

    static NotSupportedException noInbound() {
        ErrorCode code = ErrorCode.RAR_NO_INBOUND;
        return new NotSupportedException(code.message("the bobbob adapter has no inbound (message) side"), code.id());
    }

    static ResourceException cleanupFailed(Object managedConnection, IOException cause) {
        return resource(
                ErrorCode.RAR_CLEANUP_FAILED,
                managedConnection + ": closing open Late handles at cleanup" + " failed: " + cause.getMessage(),
                cause);
    }

    static ResourceException closeFailed(Object sharedStore, IOException cause) {
        return resource(
                ErrorCode.RAR_CLOSE_FAILED,
                "closing " + sharedStore + " failed (it reopens at its last" + " completed sync): "
                        + cause.getMessage(),
                cause);
    }

    /**
     * The adapter's {@code syncIntervalMillis} is negative (or null). An
     * {@link IllegalArgumentException}, as a JavaBean setter throws: it fails the activation.
     */
    static IllegalArgumentException badSyncInterval(Long millis) {
        return new IllegalArgumentException(ErrorCode.RAR_BAD_SYNC_INTERVAL.message(
                "config property 'syncIntervalMillis' must be >= 0, got " + millis));
    }

    /** A plain {@link ResourceException} with {@code code}; {@code cause} may be null. */
    private static ResourceException resource(ErrorCode code, String detail, Throwable cause) {
        ResourceException e = new ResourceException(code.message(detail), code.id());
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** {@code name} is the property at fault; the message names it right after the code, for the deployer's log. */
    private static InvalidPropertyException property(ErrorCode code, String name, String detail) {
        assert detail.contains("'" + name + "'") : detail;
        return new InvalidPropertyException(code.message(detail), code.id());
    }
}
