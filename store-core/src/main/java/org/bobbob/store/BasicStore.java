package org.bobbob.store;

import org.bobbob.store.support.Errors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.bobbob.store.internal.alloc.ExtentAllocator;
import org.bobbob.store.internal.alloc.ExtentList;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.engine.DiskTokens;

/**
 * A store with one allocator: every object sits at its exact size in the file (an object's id
 * is its offset), freed holes are reused good-fit (the best of similar lengths, see
 * {@code FileSpace}), and {@link #allocateRun} lays objects out back to back for
 * {@link #writeBatchedObjs}.
 *
 * <pre>{@code
 * try (BasicStore store = BasicStore.create(path)) {
 *     AllocatedRun run = store.allocateRun(36, 1000);       // 1000 nodes of 36 bytes
 *     store.writeBatchedObjs(run.ids(), nodes, sizes);       // one positional write
 * }
 * }</pre>
 *
 * <p>Thread-safe for distinct objects (see {@link Storer}); wrap it with
 * {@link ConcurrentStore#wrap} when threads may share objects. The file is locked while open.
 */
public final class BasicStore extends FileStore implements RunAllocator {

    private static final AllocatorFactory FACTORY = new AllocatorFactory() {
        @Override
        public ObjectAllocator create(FileSpace space) {
            return new ExtentAllocator(space);
        }

        @Override
        public ObjectAllocator read(MetaReader in, int version, RecordIndex index, FileSpace space, long end, ExtentList used) {
            return ExtentAllocator.read(in, index, space, end, used);
        }
    };

    private BasicStore(StoreFile file, OpenMode mode) throws IOException {
        super(file, KIND_BASIC, mode, DiskTokens.of(0), FACTORY);
    }

    /**
     * Creates a new store at {@code path}.
     *
     * @throws StoreException if the file exists and is not empty, or is locked
     */
    public static BasicStore create(Path path) throws IOException {
        return open(path, OpenMode.CREATE);
    }

    /**
     * Opens an existing store.
     *
     * @throws StoreException if the file is missing or locked
     * @throws StoreCorruptedException if it is not a readable basic store
     */
    public static BasicStore open(Path path) throws IOException {
        return open(path, OpenMode.OPEN);
    }

    /** Opens the store at {@code path}, creating a new one if the file is missing or empty. */
    public static BasicStore openOrCreate(Path path) throws IOException {
        return open(path, OpenMode.CREATE_OR_OPEN);
    }

    static BasicStore open(Path path, OpenMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        return new BasicStore(CombiningStoreFile.over(ChannelStoreFile.open(path, mode.mayCreateFile())), mode);
    }

    /** Over any {@link StoreFile}: the seam that fault-injection tests use. */
    static BasicStore open(StoreFile file, OpenMode mode) throws IOException {
        return new BasicStore(file, mode);
    }

    @Override
    public AllocatedRun allocateRun(int size, int count) throws IOException {
        checkSize(size);
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        if (isClosed()) {
            throw Errors.closed(this);
        }
        long[] firstAndFresh = underMetaLock(allocator -> {
            ExtentAllocator extents = (ExtentAllocator) allocator;
            long first = extents.allocateRun(size, count);
            return new long[] {first, extents.lastRunWasFresh() ? 1 : 0};
        });
        int stride = Math.max(size, 1);
        long[] ids = new long[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = offsets[i] = firstAndFresh[0] + (long) i * stride;
        }
        if (firstAndFresh[1] == 0 && size > 0) {
            zeroFill(firstAndFresh[0], (long) stride * count);
        }
        return new AllocatedRun(ids, offsets);
    }
}
