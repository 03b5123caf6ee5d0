package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bobbob.store.internal.alloc.ExtentList;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.MultiAllocator;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.SizeClasses;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.engine.DiskTokens;

/**
 * A space-efficient store for many small objects: each object up to
 * {@value org.bobbob.store.internal.alloc.SizeClasses#MAX_SLOT_SIZE} bytes goes to a slot of the smallest
 * of 33 size classes (four per doubling, at most 25% waste) in blocks of slots; larger objects are
 * placed at their exact size. Bookkeeping is a few bytes per object (bitmaps and slot lengths).
 *
 * <p>No {@link RunAllocator}: objects of different sizes live in different blocks, so runs across
 * sizes cannot be contiguous ({@code isWrapperFor(RunAllocator.class)} is false).
 * {@link #writeBatchedObjs} still works when the ids happen to be adjacent.
 *
 * <p>With {@code diskTokens > 0} the store itself caps concurrent Late handles (disk I/O).
 * Thread-safe for distinct objects (see {@link Storer}); {@link #createConcurrent} and
 * {@link #openConcurrent} give a store safe for any mix of threads.
 */
public final class MultiStore extends FileStore {

    private static final AllocatorFactory FACTORY = new AllocatorFactory() {
        @Override
        public ObjectAllocator create(FileSpace space) {
            return new MultiAllocator(space);
        }

        @Override
        public ObjectAllocator read(MetaReader in, int version, RecordIndex index, FileSpace space, long end, ExtentList used) {
            return MultiAllocator.read(in, version, index, space, end, used);
        }
    };

    private MultiStore(StoreFile file, OpenMode mode, DiskTokens tokens) throws IOException {
        super(file, KIND_MULTI, mode, tokens, FACTORY);
    }

    /**
     * Creates a new multi store.
     *
     * @param diskTokens most concurrently open Late handles; 0 = unlimited
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     * @throws StoreException if the file exists and is not empty, or is locked
     */
    public static MultiStore create(Path path, int diskTokens) throws IOException {
        return open(path, diskTokens, OpenMode.CREATE);
    }

    /**
     * Opens an existing multi store.
     *
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     * @throws StoreException if the file is missing or locked
     * @throws StoreCorruptedException if it is not a readable multi store
     */
    public static MultiStore open(Path path, int diskTokens) throws IOException {
        return open(path, diskTokens, OpenMode.OPEN);
    }

    /**
     * Opens the multi store at {@code path}, creating a new one if the file is missing or empty.
     *
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    public static MultiStore openOrCreate(Path path, int diskTokens) throws IOException {
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

    static ConcurrentStore concurrent(Path path, int diskTokens, OpenMode mode) throws IOException {
        DiskTokens.of(diskTokens); // validate before touching the file
        // The wrapper caps I/O; tokens on both layers would count every handle twice.
        return ConcurrentStore.wrap(open(path, 0, mode), diskTokens);
    }

    static MultiStore open(Path path, int diskTokens, OpenMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        DiskTokens tokens = DiskTokens.of(diskTokens);
        return new MultiStore(CombiningStoreFile.over(ChannelStoreFile.open(path, mode.mayCreateFile())), mode, tokens);
    }

    /** Over any {@link StoreFile}: the seam that fault-injection tests use. */
    static MultiStore open(StoreFile file, OpenMode mode, int diskTokens) throws IOException {
        return new MultiStore(file, mode, DiskTokens.of(diskTokens));
    }

    /** The largest object that goes to a slot; larger ones are placed at their exact size. */
    public static int maxSlotSize() {
        return SizeClasses.MAX_SLOT_SIZE;
    }
}
