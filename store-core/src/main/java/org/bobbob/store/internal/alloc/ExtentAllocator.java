package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * Objects placed at their exact size straight into the {@link FileSpace}: the id of an object is
 * the file offset of its first byte, so finding it needs only its size, kept in a
 * {@link SortedLongIntMap} (id → size, about 12 bytes an object). A size-0 object takes one byte, so that ids stay distinct.
 *
 * <p>Runs ({@link #allocateRun}) are one range of the file cut into equal objects.
 *
 * <p>Persisted form (inside the store's metadata payload), objects in offset order:
 * <pre>
 *   varint count
 *   count × (varint gap from the previous object's end, varint size)
 * </pre>
 * with every 32nd object in the {@link RecordIndex}, so that a store can find an object in the
 * record before it has read this allocator back.
 */
public final class ExtentAllocator implements ObjectAllocator {
    private final FileSpace space;
    private final SortedLongIntMap sizes;
    private long liveBytes;

    public ExtentAllocator(FileSpace space) {
        this(space, new SortedLongIntMap());
    }

    private ExtentAllocator(FileSpace space, SortedLongIntMap sizes) {
        this.space = space;
        this.sizes = sizes;
    }

    static int allocatedSize(int size) {
        return Math.max(size, 1);
    }

    @Override
    public void allocate(int size, Location out) {
        int allocated = allocatedSize(size);
        long offset = space.allocate(allocated);
        sizes.put(offset, size);
        liveBytes += size;
        out.id = offset;
        out.offset = offset;
        out.size = size;
        out.allocatedSize = allocated;
        out.fresh = space.lastWasFresh();
    }

    /**
     * Allocates {@code count} objects of {@code size} bytes back to back.
     *
     * @return the offset (= id) of the first; object {@code i} is at {@code first + i * max(size, 1)}
     */
    public long allocateRun(int size, int count) {
        int allocated = allocatedSize(size);
        long first = space.allocate((long) allocated * count);
        for (int i = 0; i < count; i++) {
            sizes.put(first + (long) i * allocated, size);
        }
        liveBytes += (long) size * count;
        return first;
    }

    /** Whether the range of the last {@link #allocateRun} reads as zeros already. */
    public boolean lastRunWasFresh() {
        return space.lastWasFresh();
    }

    @Override
    public boolean locate(long id, Location out) {
        if (id <= 0) {
            return false;
        }
        int size = sizes.get(id);
        if (size < 0) {
            return false;
        }
        out.id = id;
        out.offset = id;
        out.size = size;
        out.allocatedSize = allocatedSize(size);
        return true;
    }

    @Override
    public boolean free(long id) {
        if (id <= 0) {
            return false;
        }
        int size = sizes.remove(id);
        if (size < 0) {
            return false;
        }
        liveBytes -= size;
        space.free(id, allocatedSize(size));
        return true;
    }

    /** Parked ranges live in the {@link FileSpace}; nothing of its own to mark. */
    @Override
    public long freedMark() {
        return 0;
    }

    @Override
    public void releaseFreed(long mark) {}

    @Override
    public void write(MetaWriter out, RecordIndex.Builder index) {
        out.putVarLong(sizes.size());
        index.extentCount(sizes.size());
        long[] prevEndAndCount = {space.start(), 0};
        sizes.forEach((id, size) -> {
            out.putVarLong(id - prevEndAndCount[0]);
            index.extent(prevEndAndCount[1]++, id, out.length());
            out.putVarLong(size);
            prevEndAndCount[0] = id + allocatedSize(size);
        });
    }

    /**
     * Reads what {@link #write} wrote, checking that objects lie in order below {@code end}, and
     * adds each object's extent to {@code used}. With an {@code index} (format 2), checks its
     * directory entries against what it reads.
     */
    public static ExtentAllocator read(MetaReader in, RecordIndex index, FileSpace space, long end, ExtentList used) {
        long count = in.getVarLong(in.remaining() / 2, "object count");
        if (index != null) {
            index.checkExtentCount(count);
        }
        SortedLongIntMap sizes = new SortedLongIntMap(); // objects come in offset order: appends
        long prevEnd = space.start();
        long live = 0;
        for (long i = 0; i < count; i++) {
            long gap = in.getVarLong(end, "gap");
            long id = prevEnd + gap;
            if (index != null && i % RecordIndex.EXTENT_STRIDE == 0) {
                index.checkExtent(i, id, in.position());
            }
            int size = in.getVarInt(Integer.MAX_VALUE, "object size");
            int allocated = allocatedSize(size);
            prevEnd = id + allocated;
            if (prevEnd > end || prevEnd < id) {
                throw new MetadataException(
                        "object " + id + " of " + size + " bytes ends past the allocator end " + end);
            }
            sizes.put(id, size);
            used.add(id, allocated);
            live += size;
        }
        ExtentAllocator a = new ExtentAllocator(space, sizes);
        a.liveBytes = live;
        return a;
    }

    @Override
    public long liveObjects() {
        return sizes.size();
    }

    @Override
    public long liveBytes() {
        return liveBytes;
    }

    @Override
    public long footprintBytes() {
        return sizes.footprintBytes();
    }
}
