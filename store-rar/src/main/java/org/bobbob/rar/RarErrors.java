package org.bobbob.rar;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.InvalidPropertyException;
import java.io.IOException;
import java.nio.file.Path;
import org.bobbob.store.Errors;
import org.bobbob.store.StoreClosedException;

/**
 * Every error the adapter makes is made here, so each has one code and one wording. Codes
 * {@code BOB-6xx} belong to the adapter (store-core owns 1xx to 5xx); the table is in
 * {@code docs/RAR.md}. Configuration errors are {@link InvalidPropertyException}s whose message
 * starts with the property name, so a failed deployment names what to fix.
 */
final class RarErrors {
    private RarErrors() {}

    static InvalidPropertyException pathMissing() {
        return property("path", "[BOB-601] config property 'path' is required: the store file,"
                + " absolute or relative to " + StorePaths.BASE_DIR_PROPERTY);
    }

    static InvalidPropertyException badKind(String kind) {
        return property("kind", "[BOB-602] config property 'kind' is '" + kind + "'; expected basic or multi");
    }

    static InvalidPropertyException badDiskTokens(int diskTokens) {
        return property("diskTokens", "[BOB-603] config property 'diskTokens' is " + diskTokens
                + "; it must be >= 0 (0 = unlimited)");
    }

    static InvalidPropertyException pathInvalid(String path, RuntimeException cause) {
        InvalidPropertyException e = property("path", "[BOB-612] config property 'path' ('" + path
                + "') is not a valid path: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    static InvalidPropertyException pathEscapes(String path, Path base) {
        return property("path", "[BOB-604] config property 'path' ('" + path + "') leads outside " + base
                + " (" + StorePaths.BASE_DIR_PROPERTY + "); use an absolute path to put a store elsewhere");
    }

    static InvalidPropertyException pathIsDirectory(String path, Path resolved) {
        return property("path", "[BOB-605] config property 'path' ('" + path + "') names the directory "
                + resolved + "; it must name the store file");
    }

    static InvalidPropertyException pathDoesNotExist(String path, Path resolved) {
        return property("path", "[BOB-606] config property 'path' ('" + path + "'): store file " + resolved
                + " does not exist, and config property 'create' is false");
    }

    static InvalidPropertyException cannotCreateDirectory(String path, Path dir, IOException cause) {
        InvalidPropertyException e = property("path", "[BOB-607] config property 'path' ('" + path
                + "'): cannot create directory " + dir + ": " + cause);
        e.initCause(cause);
        return e;
    }

    static ResourceException openFailed(StoreSpec spec, IOException cause) {
        return new ResourceException("[BOB-608] config property 'path': cannot open the " + spec.kind().label()
                + " store " + spec.path() + ": " + cause.getMessage(), cause);
    }

    static ResourceException kindConflict(StoreSpec wanted, StoreKind open) {
        return property("kind", "[BOB-609] config property 'kind' is " + wanted.kind().label() + ", but store "
                + wanted.path() + " is already open as a " + open.label() + " store by another connection definition");
    }

    static ResourceException diskTokensConflict(StoreSpec wanted, int open) {
        return property("diskTokens", "[BOB-610] config property 'diskTokens' is " + wanted.diskTokens()
                + ", but store " + wanted.path() + " is already open with diskTokens=" + open
                + " by another connection definition; give both the same value");
    }

    static ResourceException storeFailed(Path path, int references, IOException failure) {
        return new ResourceException("[BOB-611] store " + path + " failed (" + failure.getMessage()
                + "); it is reopened once its " + references + " managed connections are destroyed", failure);
    }

    static StoreClosedException storeUnusable(Path path, IOException failure) {
        return failure == null
                ? Errors.closed("shared store " + path)
                : Errors.closed("shared store " + path + ", which failed: " + failure.getMessage() + ",", failure);
    }

    static IllegalStateException notAssociated() {
        return new IllegalStateException("[BOB-620] the managed connection factory is not associated with a "
                + StoreResourceAdapter.class.getSimpleName());
    }

    static ResourceException wrongAdapter(Object adapter) {
        return new ResourceException("[BOB-627] expected a " + StoreResourceAdapter.class.getName() + ", got "
                + (adapter == null ? "null" : adapter.getClass().getName()));
    }

    static IllegalStateException otherAdapter() {
        return new IllegalStateException("[BOB-621] the managed connection factory is already associated with"
                + " another resource adapter; an association never changes");
    }

    static IllegalStateException notStarted() {
        return new IllegalStateException("[BOB-622] the resource adapter is not started, or has been stopped");
    }

    static IllegalStateException destroyed(Object managedConnection) {
        return new IllegalStateException("[BOB-623] " + managedConnection + " has been destroyed");
    }

    static StoreClosedException handleClosed() {
        return Errors.closed("connection handle");
    }

    static ResourceException notOurHandle(Object connection) {
        return new ResourceException("[BOB-624] not a bobbob connection handle: "
                + (connection == null ? "null" : connection.getClass().getName()));
    }

    static NotSupportedException noTransactions() {
        return new NotSupportedException("[BOB-625] bobbob connections support no transactions (NoTransaction)");
    }

    static NotSupportedException noInbound() {
        return new NotSupportedException("[BOB-626] the bobbob adapter has no inbound (message) side");
    }

    static ResourceException cleanupFailed(Object managedConnection, IOException cause) {
        return new ResourceException("[BOB-628] " + managedConnection + ": closing open Late handles at cleanup failed: "
                + cause.getMessage(), cause);
    }

    static ResourceException closeFailed(Object sharedStore, IOException cause) {
        return new ResourceException("[BOB-629] closing " + sharedStore + " failed (it reopens at its last"
                + " completed sync): " + cause.getMessage(), cause);
    }

    /** {@code name} is the property at fault; the message starts with it, for the deployer's log. */
    private static InvalidPropertyException property(String name, String message) {
        assert message.contains("'" + name + "'") : message;
        return new InvalidPropertyException(message);
    }
}
