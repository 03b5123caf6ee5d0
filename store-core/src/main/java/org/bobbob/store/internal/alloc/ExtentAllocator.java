package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * Objects placed at their exact size straight into the {@link FileSpace}. An object's id is its
 * file offset and its check ({@link ObjectIds}); an {@link ExtentMap} holds offset → check, size
 * and CRC32C (about 12 bytes an object), so a look-up is one search and a stale id, whose check
 * differs, finds nothing. A size-0 object takes one byte, so that ids stay distinct.
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
    /** Offset → check, size and CRC32C of every live object. */
    private final ExtentMap objects;

    private long liveBytes;

    public ExtentAllocator(FileSpace space, Generation generation) {
        this(space, generation, new ExtentMap());
    }

    private ExtentAllocator(FileSpace space, Generation generation, ExtentMap objects) {
        this.space = space;
        this.generation = generation;
        this.objects = objects;
    }

    static int allocatedSize(int size) {
        return Math.max(size, 1);
    }

    /** Of what {@link ExtentMap#get} returns: size in the high word, CRC32C in the low. */
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
        objects.add(offset, check, size, crc);
        liveBytes += size;
        out.id = ObjectIds.extentId(offset, check);
        out.offset = offset;
        out.size = size;
        out.allocatedSize = allocated;
        out.crc = crc;
        out.fresh = space.lastWasFresh();
        out.clustered = space.lastWasHole();
    }

    @Override
    public boolean setCrc(long id, int crc) {
        if (id <= 0 || ObjectIds.isSlot(id)) {
            return false;
        }
        return objects.setCrc(ObjectIds.offset(id), ObjectIds.extentCheck(id), crc);
    }

    /** What {@link #allocateRun} took: the objects' ids, their offsets, and whether they read as zeros already. */
    public record Run(long[] ids, long[] offsets, boolean fresh) {}

    /** Allocates {@code count} zero-filled objects of {@code size} bytes back to back. */
    public Run allocateRun(int size, int count) {
        int allocated = allocatedSize(size);
        long first = space.allocate((long) allocated * count);
        int check = check();
        int crc = Crc32c.sealedZeros(size);
        long[] ids = new long[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            long offset = first + (long) i * allocated;
            objects.add(offset, check, size, crc);
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
        long packed = objects.get(ObjectIds.offset(id), ObjectIds.extentCheck(id));
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
        long packed = objects.remove(ObjectIds.offset(id), ObjectIds.extentCheck(id));
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
        out.putVarLong(objects.size());
        index.extentCount(objects.size());
        long[] prevEndAndCount = {space.start(), 0};
        objects.forEach((offset, check, size, crc) -> {
            out.putVarLong(offset - prevEndAndCount[0]);
            index.extent(prevEndAndCount[1]++, offset, out.length());
            out.putVarLong(size);
            out.putVarLong(check);
            out.putInt(crc);
            prevEndAndCount[0] = offset + allocatedSize(size);
        });
    }

    @Override
    public void forEachLive(LiveObjectConsumer action) {
        objects.forEach(
                (offset, check, size, crc) -> action.accept(ObjectIds.extentId(offset, check), offset, size, crc));
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
        ExtentMap objects = new ExtentMap(); // objects come in offset order: appends
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
            objects.add(offset, check, size, crc);
            parts.used().add(offset, allocated);
            live += size;
        }
        ExtentAllocator a = new ExtentAllocator(parts.space(), parts.generation(), objects);
        a.liveBytes = live;
        return a;
    }

    @Override
    public void replayAllocated(long id, int size, int crc, long offset) {
        if (id <= 0 || ObjectIds.isSlot(id) || size < 0) {
            throw new MetadataException("the journal allocates " + id + " of " + size + " bytes, not an extent object");
        }
        try {
            objects.add(ObjectIds.offset(id), ObjectIds.extentCheck(id), size, crc);
        } catch (IllegalStateException taken) {
            throw new MetadataException("the journal allocates " + id + " where an object lives");
        }
        liveBytes += size;
    }

    @Override
    public void replayFreed(long id) {
        if (remove(id) < 0) {
            throw new MetadataException("the journal frees " + id + ", not a live object");
        }
    }

    @Override
    public void replayed(ExtentList used) {
        objects.forEach((offset, check, size, crc) -> used.add(offset, allocatedSize(size)));
    }

    @Override
    public long liveObjects() {
        return objects.size();
    }

    @Override
    public long liveBytes() {
        return liveBytes;
    }

    @Override
    public long footprintBytes() {
        return objects.footprintBytes();
    }
}
