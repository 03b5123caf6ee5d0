package org.bobbob.cdi;

import java.io.IOException;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreUrl;
import org.bobbob.store.support.Errors;

/**
 * One store opened from a URL on first use, shared by every injected {@code Storer} of that name
 * in this container, and closed (synced first) when the container shuts down. Outside an
 * application server this replaces the resource adapter.
 *
 * <p>The URL is parsed with {@link StoreManager#parse(String)} (the same checks as every module
 * that names a store by URL) and the parsed {@link StoreUrl} opened with
 * {@link StoreManager#open(StoreUrl)}. It must be concurrent (the URL default
 * {@code concurrent=true}), because every thread uses the store: {@code concurrent=false} is
 * refused before anything is opened. A failed open is not remembered: the next call tries again
 * (the file may have been unlocked meanwhile, a provider deployed).
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
        StoreUrl url;
        try {
            url = StoreManager.parse(settings.target());
        } catch (StoreException e) {
            throw CdiErrors.openFailed(settings, e);
        }
        if (!url.concurrent()) {
            throw CdiErrors.notConcurrent(settings);
        }
        Storer opened;
        try {
            opened = StoreManager.open(url);
        } catch (IOException e) {
            throw CdiErrors.openFailed(settings, e);
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
