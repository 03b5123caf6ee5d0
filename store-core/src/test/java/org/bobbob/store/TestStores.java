package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stores a test body runs on, each made through the public factories: the two bare stores,
 * each wrapped in a {@link ConcurrentStore}, and the concurrent multi store used through transactions.
 */
public enum TestStores {
    BASIC(BasicStore::create, BasicStore::open),
    MULTI(p -> MultiStore.create(p, 0), p -> MultiStore.open(p, 0)),
    CONCURRENT_BASIC(
            p -> ConcurrentStore.wrap(BasicStore.create(p), 0), p -> ConcurrentStore.wrap(BasicStore.open(p), 0)),
    CONCURRENT_MULTI(p -> MultiStore.createConcurrent(p, 0), p -> MultiStore.openConcurrent(p, 0)),
    /** The concurrent multi store with every call inside a transaction; {@code sync()} commits (see {@link InTransaction}). */
    IN_TRANSACTION(
            p -> new InTransaction(MultiStore.createConcurrent(p, 0)),
            p -> new InTransaction(MultiStore.openConcurrent(p, 0)));

    /** A public factory: creates or opens the store at a path. */
    @FunctionalInterface
    private interface Factory {
        Storer at(Path p) throws IOException;
    }

    private final Factory create;
    private final Factory open;

    TestStores(Factory create, Factory open) {
        this.create = create;
        this.open = open;
    }

    /** Creates a new store at {@code p}. */
    public Storer create(Path p) throws IOException {
        return create.at(p);
    }

    /** Opens the store at {@code p}. */
    public Storer open(Path p) throws IOException {
        return open.at(p);
    }
}
