package org.bobbob.rar;

import java.io.IOException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreUrl;

/**
 * Opens a store for the {@link StoreRegistry}. The seam that tests use to inject I/O failures.
 * A result that is not a {@code ConcurrentStore} is wrapped in one by the registry, with the
 * URL's disk tokens.
 */
@FunctionalInterface
interface StoreOpener {

    /**
     * Every registered {@link org.bobbob.store.spi.StoreProvider}, through
     * {@link StoreManager#open(StoreUrl)}: the URL is concurrent, so the store comes back as a
     * {@code ConcurrentStore} that applies its disk tokens.
     */
    StoreOpener PROVIDERS = StoreManager::open;

    /**
     * Opens the store {@code url} names; the caller owns the result.
     *
     * @throws IOException if it cannot be opened (no such store, locked, not a store of that kind)
     */
    Storer open(StoreUrl url) throws IOException;
}
