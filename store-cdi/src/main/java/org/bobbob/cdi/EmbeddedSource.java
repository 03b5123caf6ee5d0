package org.bobbob.cdi;

import java.io.IOException;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.support.Errors;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;

/**
 * One store opened from a URL with {@link StoreManager#open(String)} on first use, shared by every
 * injected {@code Storer} of that name in this container, and closed (synced first) when the
 * container shuts down. Outside an application server this replaces the resource adapter.
 *
 * <p>The store must be a {@link ConcurrentStore} (the URL default {@code concurrent=true}), because
 * every thread uses it. A failed open is not remembered: the next call tries again (the file may
 * have been unlocked meanwhile).
 *
 * <p>Thread-safe. The open store is published through a volatile field, so {@link #acquire()}
 * takes no lock once it is open; opening and closing happen under this object's monitor, so a
 * store is never opened after {@link #close()}.
 */
final class EmbeddedSource implements ConnectionSource {
    private final StoreSettings settings;
    /** The open store, or null: not opened yet, or closed. Written under {@code this}. */
    private volatile Storer store;
    /** Set once by {@link #close()}, under {@code this}. */
    private boolean closed;

    EmbeddedSource(StoreSettings settings) {
        this.settings = settings;
    }

    @Override
    public Lease acquire() throws StoreException {
        Storer s = store;
        return Lease.borrowed(s != null ? s : open());
    }

    private synchronized Storer open() throws StoreException {
        if (closed) {
            throw Errors.closed("embedded " + settings.describe() + ", closed with its CDI container,");
        }
        if (store != null) {
            return store;
        }
        Storer opened;
        try {
            opened = StoreManager.open(settings.target());
        } catch (IOException e) {
            throw CdiErrors.openFailed(settings, e);
        }
        if (!(opened instanceof ConcurrentStore)) {
            try {
                opened.close();
            } catch (IOException | RuntimeException e) {
                System.getLogger(EmbeddedSource.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the refused store " + settings + " failed", e);
            }
            throw CdiErrors.notConcurrent(settings);
        }
        store = opened;
        return opened;
    }

    /** Syncs and closes the store if it was opened. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        Storer s = store;
        store = null;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "embedded " + settings + (store != null ? " (open)" : closed ? " (closed)" : "");
    }
}
