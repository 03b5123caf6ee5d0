package org.bobbob.store.internal.engine;

import org.bobbob.store.internal.alloc.ExtentAllocator;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.Generation;
import org.bobbob.store.internal.alloc.MultiAllocator;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.RecordParts;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.StoreFile;

/**
 * What makes a {@link FileStore} a basic or a multi store: the {@link ObjectAllocator} it builds,
 * the kind byte its header slots carry, and whether it lays out runs. Everything else about the
 * engine is the same for both. {@link #BASIC} and {@link #MULTI} are the two there are.
 */
interface AllocatorFactory {
    /** One {@link ExtentAllocator}: exact sizes, holes reused good-fit, runs. Header kind 1. */
    AllocatorFactory BASIC = new Basic();
    /** A {@link MultiAllocator}: size-classed slots for small objects, extents for large. Header kind 2. */
    AllocatorFactory MULTI = new Multi();

    /** The store kind written into the header slots: {@code 1} basic, {@code 2} multi (docs/FORMAT.md). */
    int kind();

    /** An empty allocator, for a new store. */
    ObjectAllocator create(FileSpace space, Generation generation);

    /**
     * Reads the allocator parts of a payload, adding every extent they name to {@code parts.used()};
     * with an index (format 2 on), checks it against them.
     */
    ObjectAllocator read(RecordParts parts);

    /**
     * log2 of the write cache's chunk size that suits this allocator's new objects
     * ({@link CombiningStoreFile#over(StoreFile, int)}).
     */
    int writeChunkBits();

    /**
     * log2 of the unit in which the write cache reads the file into a chunk for new objects among
     * old ones ({@link CombiningStoreFile#over(StoreFile, int, int)}): the chunk size unless the
     * stretches such objects refill are smaller.
     */
    default int writeLoadBits() {
        return writeChunkBits();
    }

    /** Whether {@link #allocateRun} works: the store then offers {@code RunAllocator}. */
    default boolean allocatesRuns() {
        return false;
    }

    /**
     * Allocates {@code count} objects of {@code size} bytes back to back in {@code allocator}
     * (one this factory made). Caller holds the metadata write lock.
     *
     * @throws UnsupportedOperationException unless {@link #allocatesRuns()}
     */
    default ExtentAllocator.Run allocateRun(ObjectAllocator allocator, int size, int count) {
        throw new UnsupportedOperationException("no runs in a " + RecordLoader.kindName(kind()) + " store");
    }

    final class Basic implements AllocatorFactory {
        private Basic() {}

        @Override
        public int kind() {
            return 1;
        }

        @Override
        public ObjectAllocator create(FileSpace space, Generation generation) {
            return new ExtentAllocator(space, generation);
        }

        /** 512 KiB: new objects refill the holes of a 4 MiB window of the file in turn ({@link FileSpace}). */
        @Override
        public int writeChunkBits() {
            return 19;
        }

        @Override
        public ObjectAllocator read(RecordParts parts) {
            return ExtentAllocator.read(parts);
        }

        @Override
        public boolean allocatesRuns() {
            return true;
        }

        @Override
        public ExtentAllocator.Run allocateRun(ObjectAllocator allocator, int size, int count) {
            return ((ExtentAllocator) allocator).allocateRun(size, count);
        }
    }

    final class Multi implements AllocatorFactory {
        private Multi() {}

        @Override
        public int kind() {
            return 2;
        }

        @Override
        public ObjectAllocator create(FileSpace space, Generation generation) {
            return new MultiAllocator(space, generation);
        }

        /**
         * 256 KiB: most new bytes are new blocks at the file's end, written out a chunk at a time
         * (one page-cache folio each, see {@link CombiningStoreFile}).
         */
        @Override
        public int writeChunkBits() {
            return 18;
        }

        /** 64 KiB, about a block of slots: a reused block's refill reads little more than the block. */
        @Override
        public int writeLoadBits() {
            return 16;
        }

        @Override
        public ObjectAllocator read(RecordParts parts) {
            return MultiAllocator.read(parts);
        }
    }
}
