package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.OpenMode;

/**
 * Factories for a store with one allocator: every object sits at its exact size in the file (an
 * object's id is its offset), freed holes are reused good-fit (the best of similar lengths, see
 * {@code FileSpace}), and its {@link RunAllocator} lays objects out back to back for
 * {@link Storer#writeBatchedObjs}.
 *
 * <pre>{@code
 * try (Storer store = BasicStore.create(path)) {
 *     AllocatedRun run = store.unwrap(RunAllocator.class).allocateRun(36, 1000); // 1000 nodes of 36 bytes
 *     store.writeBatchedObjs(run.ids(), nodes, sizes);                           // one positional write
 * }
 * }</pre>
 *
 * <p>The store is thread-safe for distinct objects (see {@link Storer}); wrap it with
 * {@link ConcurrentStore#wrap} when threads may share objects (and to cap disk I/O). It offers
 * {@link RunAllocator}, {@link ObjectInfoProvider} and {@link StatisticsProvider} through
 * {@link Storer#unwrap}. The file is locked while open.
 */
public final class BasicStore {
    private BasicStore() {}

    /**
     * Creates a new store at {@code path}.
     *
     * @throws StoreException if the file exists and is not empty, or is locked
     */
    public static Storer create(Path path) throws IOException {
        return open(path, OpenMode.CREATE);
    }

    /**
     * Opens an existing store.
     *
     * @throws StoreException if the file is missing or locked
     * @throws StoreCorruptedException if it is not a readable basic store
     */
    public static Storer open(Path path) throws IOException {
        return open(path, OpenMode.OPEN);
    }

    /** Opens the store at {@code path}, creating a new one if the file is missing or empty. */
    public static Storer openOrCreate(Path path) throws IOException {
        return open(path, OpenMode.CREATE_OR_OPEN);
    }

    private static Storer open(Path path, OpenMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        return Engines.basic(path, mode, true);
    }
}
