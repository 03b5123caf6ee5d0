package org.bobbob.rar;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.Storer;

/**
 * The open stores of one {@link StoreResourceAdapter}: one {@link ConcurrentStore} per canonical
 * path, shared by every managed connection for that path, from any connection definition.
 *
 * <ul>
 *   <li>{@link #acquire} opens the store on first use and counts a reference; a later acquire
 *       of the same path must ask for the same kind and disk tokens.
 *   <li>{@link #release} drops a reference; the last one syncs and closes the store, so the
 *       file and its lock are free again (for a redeploy, or another process).
 *   <li>{@link #close} (adapter stop) syncs and closes every store whatever its count; handles
 *       still open then fail with {@code StoreClosedException}. Idempotent; logs, never throws.
 *   <li>A store marked failed is refused to new acquires until its last reference is released;
 *       the next acquire then reopens it from its last sync.
 * </ul>
 *
 * <p>Thread-safe. One monitor guards the map and the counts; opening and closing happen under
 * it, so an acquire never races the close of the same file (its lock would refuse the open).
 * That serialises opens of different paths too, which is rare enough not to matter.
 */
final class StoreRegistry implements StoreRegistryMXBean {
    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    private final StoreOpener opener;
    /** Guarded by {@code this}. */
    private final Map<Path, SharedStore> stores = new HashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    StoreRegistry(StoreOpener opener) {
        this.opener = opener;
    }

    /**
     * Returns the shared store for {@code spec}, opening it if needed, and counts one reference
     * that the caller must {@link #release}.
     *
     * @throws ResourceException naming the property at fault: the store cannot be opened, is open
     *     with another kind or disk-token count, or has failed; or the registry is closed
     */
    synchronized SharedStore acquire(StoreSpec spec) throws ResourceException {
        if (closed) {
            throw RarErrors.notStarted();
        }
        SharedStore shared = stores.get(spec.path());
        if (shared == null) {
            shared = new SharedStore(spec, open(spec));
            stores.put(spec.path(), shared);
        } else if (shared.spec().kind() != spec.kind()) {
            throw RarErrors.kindConflict(spec, shared.spec().kind());
        } else if (shared.spec().diskTokens() != spec.diskTokens()) {
            throw RarErrors.diskTokensConflict(spec, shared.spec().diskTokens());
        } else if (shared.failure() != null) {
            throw RarErrors.storeFailed(spec.path(), shared.references(), shared.failure());
        }
        shared.retain();
        return shared;
    }

    private ConcurrentStore open(StoreSpec spec) throws ResourceException {
        Storer engine;
        try {
            engine = opener.open(spec);
        } catch (IOException e) {
            throw RarErrors.openFailed(spec, e);
        }
        return ConcurrentStore.wrap(engine, spec.diskTokens());
    }

    /**
     * Drops one reference to {@code shared}; the last one syncs and closes it. Does nothing once
     * the registry has closed it.
     *
     * @throws IOException if the final sync or close fails (the store is closed all the same)
     */
    synchronized void release(SharedStore shared) throws IOException {
        if (stores.get(shared.spec().path()) != shared || shared.releaseOne() > 0) {
            return;
        }
        stores.remove(shared.spec().path());
        shared.close();
    }

    /**
     * Syncs every open store (the periodic sync). The stores are synced outside the registry's
     * lock, so opens and releases do not wait for the disk; a store closed meanwhile is skipped.
     * Failures are logged, not thrown: the store is marked failed by the connections that hit it.
     */
    void syncAll() {
        java.util.List<SharedStore> open;
        synchronized (this) {
            open = new java.util.ArrayList<>(stores.values());
        }
        for (SharedStore shared : open) {
            try {
                shared.sync();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "periodic sync of " + shared + " failed; the next one retries", e);
            }
        }
    }

    /** Syncs and closes every store (see the class comment). Idempotent; failures are logged. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SharedStore shared : stores.values()) {
            try {
                shared.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "closing " + shared + " at adapter stop failed; it reopens"
                        + " at its last completed sync", e);
            }
        }
        stores.clear();
    }

    // ---------------------------------------------------------------- StoreRegistryMXBean

    @Override
    public synchronized int getOpenStores() {
        return stores.size();
    }

    @Override
    public synchronized String[] getPaths() {
        return stores.keySet().stream().map(Path::toString).sorted().toArray(String[]::new);
    }

    @Override
    public synchronized int referenceCount(String path) {
        SharedStore shared = stores.get(Path.of(path));
        return shared == null ? 0 : shared.references();
    }

    @Override
    public synchronized String toString() {
        return "StoreRegistry" + stores.values() + (closed ? " (closed)" : "");
    }
}
