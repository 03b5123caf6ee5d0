package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bobbob.store.internal.alloc.SizeClasses;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.OpenMode;

/**
 * Factories for a space-efficient store for many small objects: each object up to
 * {@value org.bobbob.store.internal.alloc.SizeClasses#MAX_SLOT_SIZE} bytes goes to a slot of the smallest
 * of 33 size classes (four per doubling, at most 25% waste) in blocks of slots; larger objects are
 * placed at their exact size. Bookkeeping is a few bytes per object (bitmaps and slot lengths).
 *
 * <pre>{@code
 * try (Storer store = MultiStore.create(path, 0)) {
 *     long id = store.writeNewObjFromBytes(small);          // a slot of the smallest class that fits
 * }
 * try (ConcurrentStore store = MultiStore.openConcurrent(path, 4)) {
 *     byte[] back = store.readBytesFromObj(id);             // any mix of threads, at most 4 doing I/O
 * }
 * }</pre>
 *
 * <p>No {@link RunAllocator}: objects of different sizes live in different blocks, so runs across
 * sizes cannot be contiguous ({@code isWrapperFor(RunAllocator.class)} is false).
 * {@link Storer#writeBatchedObjs} still works when the ids happen to be adjacent.
 *
 * <h2>{@code diskTokens}</h2>
 * The cap on concurrent disk I/O lives in one layer, {@link ConcurrentStore}. So with
 * {@code diskTokens > 0}, {@link #create}, {@link #open} and {@link #openOrCreate} return the store
 * wrapped by {@link ConcurrentStore#wrap} with that cap (a {@link ConcurrentStore}, also safe for
 * any mix of threads); with {@code 0} they return the bare store, thread-safe for distinct objects
 * (see {@link Storer}). {@link #createConcurrent} and {@link #openConcurrent} always wrap.
 */
public final class MultiStore {
    private MultiStore() {}

    /**
     * Creates a new multi store.
     *
     * @param diskTokens most concurrently open Late handles; 0 = unlimited (see the class comment)
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     * @throws StoreException if the file exists and is not empty, or is locked
     */
    public static Storer create(Path path, int diskTokens) throws IOException {
        return open(path, diskTokens, OpenMode.CREATE);
    }

    /**
     * Opens an existing multi store.
     *
     * @param diskTokens most concurrently open Late handles; 0 = unlimited (see the class comment)
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     * @throws StoreException if the file is missing or locked
     * @throws StoreCorruptedException if it is not a readable multi store
     */
    public static Storer open(Path path, int diskTokens) throws IOException {
        return open(path, diskTokens, OpenMode.OPEN);
    }

    /**
     * Opens the multi store at {@code path}, creating a new one if the file is missing or empty.
     *
     * @param diskTokens most concurrently open Late handles; 0 = unlimited (see the class comment)
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    public static Storer openOrCreate(Path path, int diskTokens) throws IOException {
        return open(path, diskTokens, OpenMode.CREATE_OR_OPEN);
    }

    /** A new multi store wrapped by {@link ConcurrentStore#wrap} with {@code diskTokens}. */
    public static ConcurrentStore createConcurrent(Path path, int diskTokens) throws IOException {
        return concurrent(path, diskTokens, OpenMode.CREATE);
    }

    /** An existing multi store wrapped by {@link ConcurrentStore#wrap} with {@code diskTokens}. */
    public static ConcurrentStore openConcurrent(Path path, int diskTokens) throws IOException {
        return concurrent(path, diskTokens, OpenMode.OPEN);
    }

    /** The largest object that goes to a slot; larger ones are placed at their exact size. */
    public static int maxSlotSize() {
        return SizeClasses.MAX_SLOT_SIZE;
    }

    private static Storer open(Path path, int diskTokens, OpenMode mode) throws IOException {
        return diskTokens == 0 ? bare(path, mode) : concurrent(path, diskTokens, mode);
    }

    private static ConcurrentStore concurrent(Path path, int diskTokens, OpenMode mode) throws IOException {
        Engines.checkDiskTokens(diskTokens); // before touching the file
        return ConcurrentStore.wrap(bare(path, mode), diskTokens);
    }

    private static Storer bare(Path path, OpenMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        return Engines.multi(path, mode, true);
    }
}
