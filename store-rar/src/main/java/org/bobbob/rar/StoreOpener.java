package org.bobbob.rar;

import java.io.IOException;
import org.bobbob.store.Storer;

/**
 * Opens the engine of a store for the {@link StoreRegistry}, which wraps it in a
 * {@code ConcurrentStore}. The seam that tests use to inject I/O failures.
 */
@FunctionalInterface
interface StoreOpener {

    /** The store-core engines, chosen by {@link StoreSpec#kind()}. */
    StoreOpener ENGINES = spec -> spec.kind().open(spec.path(), spec.create());

    /**
     * Opens the store {@code spec} names; the caller owns the result.
     *
     * @throws IOException if the file cannot be opened or is not a store of that kind
     */
    Storer open(StoreSpec spec) throws IOException;
}
