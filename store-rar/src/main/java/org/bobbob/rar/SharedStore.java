package org.bobbob.rar;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreClosedException;

/**
 * One open store and the managed connections that share it. Created, counted and closed only by
 * its {@link StoreRegistry}; everything else only reads its state.
 *
 * <p>States: <em>open</em> → <em>failed</em> (a managed connection saw an I/O error or corruption:
 * refused to every caller, kept open only until its last reference goes) → <em>closed</em>.
 * Thread-safe.
 */
final class SharedStore {
    private final StoreTarget target;
    private final ConcurrentStore store;
    /** Managed connections holding this store. Guarded by the owning registry's monitor. */
    private int references;
    /** Set once by {@link #close()}; volatile so that callers on other threads see it at once. */
    private volatile boolean closed;
    /** The first fatal error reported, or null. */
    private final AtomicReference<IOException> failure = new AtomicReference<>();

    SharedStore(StoreTarget target, ConcurrentStore store) {
        this.target = target;
        this.store = store;
    }

    StoreTarget target() {
        return target;
    }

    /**
     * The store, for one call.
     *
     * @throws StoreClosedException if it is closed or failed (naming the failure)
     */
    ConcurrentStore store() throws StoreClosedException {
        IOException failed = failure.get();
        if (closed || failed != null) {
            throw RarErrors.storeUnusable(target.key(), failed);
        }
        return store;
    }

    /** Open, not failed, and its file (if it has one) still exists: was not deleted or moved under it. */
    boolean isUsable() {
        return !closed && failure.get() == null && (target.file() == null || Files.exists(target.file()));
    }

    /** Marks the store failed; the first failure is kept. */
    void fail(IOException cause) {
        failure.compareAndSet(null, cause);
    }

    /** The first failure, or null. */
    IOException failure() {
        return failure.get();
    }

    // ---------------------------------------------------------------- for the registry, under its lock

    int references() {
        return references;
    }

    void retain() {
        references++;
    }

    /** Drops one reference; returns how many are left. */
    int releaseOne() {
        assert references > 0 : "released more often than retained: " + target.key();
        return --references;
    }

    /** Syncs the store unless it is closed or failed (for the periodic sync). */
    void sync() throws IOException {
        if (closed || failure.get() != null || store.isClosed()) {
            return;
        }
        try {
            store.sync();
        } catch (StoreClosedException closing) {
            // closed between the check and the sync: nothing left to do
        }
    }

    /** Syncs and closes the store (see {@link ConcurrentStore#close()}). Idempotent. */
    void close() throws IOException {
        closed = true;
        references = 0;
        store.close();
    }

    @Override
    public String toString() {
        return "SharedStore[" + target.key() + ", " + target.kind() + ", references=" + references
                + (closed ? ", closed" : failure.get() != null ? ", failed" : "") + "]";
    }
}
