package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * Objects placed at their exact size straight into the {@link FileSpace}. An object's id is its
 * file offset and its check ({@link ObjectIds}); both are the key of a {@link SortedLongLongMap}
 * (key → size and CRC32C, 16 bytes an object) whose keys sort by offset, so a look-up is one search
 * and a stale id, whose check differs, finds nothing. A size-0 object takes one byte, so that ids
 * stay distinct.
 *
 * <p>Runs ({@link #allocateRun}) are one range of the file cut into equal objects.
 *
 * <p>Persisted form (inside the store's metadata payload), objects in offset order:
 * <pre>
 *   varint count
 *   count × (varint gap from the previous object's end, varint size, varint check, u32 crc)
 * </pre>
 * with every 32nd object in the {@link RecordIndex}, so that a store can find an object in the
 * record before it has read this allocator back. (Formats 1 and 2 have neither check nor crc: both
 * are 0, and a crc of 0 means none is known.)
 */
public final class ExtentAllocator implements ObjectAllocator {
    private final FileSpace space;
    private final Generation generation;
    /** {@link ObjectIds#extentKey} → {@link #pack packed} size and CRC32C. */
    private final SortedLongLongMap sizes;

    private long liveBytes;

    public ExtentAllocator(FileSpace space, Generation generation) {
        this(space, generation, new SortedLongLongMap());
    }

    private ExtentAllocator(FileSpace space, Generation generation, SortedLongLongMap sizes) {
        this.space = space;
        this.generation = generation;
        this.sizes = sizes;
    }

    static int allocatedSize(int size) {
        return Math.max(size, 1);
    }

    /** Size in the high word, CRC32C in the low: never negative, so -1 stays "absent". */
    private static long pack(int size, int crc) {
        return (long) size << 32 | (crc & 0xFFFFFFFFL);
    }

    private static int sizeOf(long packed) {
        return (int) (packed >>> 32);
    }

    private int check() {
        return generation.value() & ObjectIds.EXTENT_CHECK_MASK;
    }

    @Override
    public void allocate(int size, int crc, Location out) {
        int allocated = allocatedSize(size);
        long offset = space.allocate(allocated);
        int check = check();
        sizes.put(ObjectIds.extentKey(offset, check), pack(size, crc));
        liveBytes += size;
        out.id = ObjectIds.extentId(offset, check);
        out.offset = offset;
        out.size = size;
        out.allocatedSize = allocated;
        out.crc = crc;
        out.fresh = space.lastWasFresh();
    }

    @Override
    public boolean setCrc(long id, int crc) {
        if (id <= 0 || ObjectIds.isSlot(id)) {
            return false;
        }
        long key = ObjectIds.keyOf(id);
        long packed = sizes.get(key);
        return packed >= 0 && sizes.replace(key, pack(sizeOf(packed), crc));
    }

    /** What {@link #allocateRun} took: the objects' ids, their offsets, and whether they read as zeros already. */
    public record Run(long[] ids, long[] offsets, boolean fresh) {}

    /** Allocates {@code count} zero-filled objects of {@code size} bytes back to back. */
    public Run allocateRun(int size, int count) {
        int allocated = allocatedSize(size);
        long first = space.allocate((long) allocated * count);
        int check = check();
        long packed = pack(size, Crc32c.sealedZeros(size));
        long[] ids = new long[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            long offset = first + (long) i * allocated;
            sizes.put(ObjectIds.extentKey(offset, check), packed);
            ids[i] = ObjectIds.extentId(offset, check);
            offsets[i] = offset;
        }
        liveBytes += (long) size * count;
        return new Run(ids, offsets, space.lastWasFresh());
    }

    @Override
    public boolean locate(long id, Location out) {
        if (id <= 0 || ObjectIds.isSlot(id)) {
            return false;
        }
        long packed = sizes.get(ObjectIds.keyOf(id));
        if (packed < 0) {
            return false;
        }
        int size = sizeOf(packed);
        out.id = id;
        out.offset = ObjectIds.offset(id);
        out.size = size;
        out.allocatedSize = allocatedSize(size);
        out.crc = (int) packed;
        return true;
    }

    @Override
    public boolean free(long id) {
        int size = remove(id);
        if (size < 0) {
            return false;
        }
        space.free(ObjectIds.offset(id), allocatedSize(size));
        return true;
    }

    @Override
    public boolean freeKeepingSpace(long id) {
        return remove(id) >= 0;
    }

    /** Removes a live object; its size, or -1 if {@code id} is not live. */
    private int remove(long id) {
        if (id <= 0 || ObjectIds.isSlot(id)) {
            return -1;
        }
        long packed = sizes.remove(ObjectIds.keyOf(id));
        if (packed < 0) {
            return -1;
        }
        int size = sizeOf(packed);
        liveBytes -= size;
        generation.freed(ObjectIds.extentCheck(id), ObjectIds.EXTENT_CHECK_MASK);
        return size;
    }

    @Override
    public void releaseKept(long id, int allocatedSize) {
        space.free(ObjectIds.offset(id), allocatedSize);
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
        sizes.forEach((key, packed) -> {
            long offset = ObjectIds.keyOffset(key);
            int size = sizeOf(packed);
            out.putVarLong(offset - prevEndAndCount[0]);
            index.extent(prevEndAndCount[1]++, offset, out.length());
            out.putVarLong(size);
            out.putVarLong(ObjectIds.keyCheck(key));
            out.putInt((int) packed);
            prevEndAndCount[0] = offset + allocatedSize(size);
        });
    }

    /**
     * Reads what {@link #write} wrote in format {@code version} (checks and crcs from format 3 on), checking
     * that objects lie in order below {@code end}, and adds each object's extent to {@code used}.
     * With an {@code index} (format 2 on), checks its directory entries against what it reads.
     */
    public static ExtentAllocator read(RecordParts parts) {
        long count = parts.in().getVarLong(parts.in().remaining() / 2, "object count");
        if (parts.index() != null) {
            parts.index().checkExtentCount(count);
        }
        SortedLongLongMap sizes = new SortedLongLongMap(); // objects come in offset order: appends
        long prevEnd = parts.space().start();
        long live = 0;
        for (long i = 0; i < count; i++) {
            long gap = parts.in().getVarLong(parts.end(), "gap");
            long offset = prevEnd + gap;
            if (parts.index() != null && i % RecordIndex.EXTENT_STRIDE == 0) {
                parts.index().checkExtent(i, offset, parts.in().position());
            }
            int size = parts.in().getVarInt(Integer.MAX_VALUE, "object size");
            int check = parts.version() >= 3 ? parts.in().getVarInt(ObjectIds.EXTENT_CHECK_MASK, "object check") : 0;
            int crc = parts.version() >= 3 ? parts.in().getInt() : 0;
            int allocated = allocatedSize(size);
            prevEnd = offset + allocated;
            if (prevEnd > parts.end() || prevEnd < offset || prevEnd > ObjectIds.MAX_FILE_END) {
                throw new MetadataException(
                        "object at " + offset + " of " + size + " bytes ends past the allocator end " + parts.end());
            }
            sizes.put(ObjectIds.extentKey(offset, check), pack(size, crc));
            parts.used().add(offset, allocated);
            live += size;
        }
        ExtentAllocator a = new ExtentAllocator(parts.space(), parts.generation(), sizes);
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
