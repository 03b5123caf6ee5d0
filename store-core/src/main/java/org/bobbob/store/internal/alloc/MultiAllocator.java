package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.MetaWriter;

/**
 * The multi store's allocator: objects up to {@link SizeClasses#MAX_SLOT_SIZE} bytes go to a
 * {@link BlockAllocator} slot of their size class, larger ones to an {@link ExtentAllocator}
 * at their exact size. Both draw on one {@link FileSpace}. An id's tag bit says which holds it.
 *
 * <p>Persisted form: the extent allocator's part, then the block allocator's.
 */
public final class MultiAllocator implements ObjectAllocator {
    private final ExtentAllocator extents;
    private final BlockAllocator blocks;

    public MultiAllocator(FileSpace space, Generation generation) {
        this(new ExtentAllocator(space, generation), new BlockAllocator(space, generation));
    }

    private MultiAllocator(ExtentAllocator extents, BlockAllocator blocks) {
        this.extents = extents;
        this.blocks = blocks;
    }

    /**
     * Reads what {@link #write} wrote in format {@code version}; with an {@code index} (format
     * 2), checks its entries against what it reads.
     */
    public static MultiAllocator read(RecordParts parts) {
        ExtentAllocator extents = ExtentAllocator.read(parts);
        BlockAllocator blocks = BlockAllocator.read(parts);
        return new MultiAllocator(extents, blocks);
    }

    @Override
    public void allocate(int size, int crc, Location out) {
        if (size <= SizeClasses.MAX_SLOT_SIZE) {
            blocks.allocate(size, crc, out);
        } else {
            extents.allocate(size, crc, out);
        }
    }

    @Override
    public boolean setCrc(long id, int crc) {
        return ObjectIds.isSlot(id) ? blocks.setCrc(id, crc) : extents.setCrc(id, crc);
    }

    @Override
    public boolean locate(long id, Location out) {
        return ObjectIds.isSlot(id) ? blocks.locate(id, out) : extents.locate(id, out);
    }

    @Override
    public boolean free(long id) {
        return ObjectIds.isSlot(id) ? blocks.free(id) : extents.free(id);
    }

    @Override
    public boolean freeKeepingSpace(long id) {
        return ObjectIds.isSlot(id) ? blocks.freeKeepingSpace(id) : extents.freeKeepingSpace(id);
    }

    @Override
    public void releaseKept(long id, int allocatedSize) {
        if (ObjectIds.isSlot(id)) {
            blocks.releaseKept(id);
        } else {
            extents.releaseKept(id, allocatedSize);
        }
    }

    @Override
    public long parkedBytes() {
        return blocks.parkedBytes();
    }

    @Override
    public long freedMark() {
        return blocks.freedMark();
    }

    @Override
    public void releaseFreed(long mark) {
        blocks.releaseFreed(mark);
    }

    @Override
    public void write(MetaWriter out, RecordIndex.Builder index) {
        extents.write(out, index);
        blocks.write(out, index);
    }

    @Override
    public void replayAllocated(long id, int size, int crc, long offset) {
        if (ObjectIds.isSlot(id)) {
            blocks.replayAllocated(id, size, crc, offset);
        } else {
            extents.replayAllocated(id, size, crc, offset);
        }
    }

    @Override
    public void replayFreed(long id) {
        if (ObjectIds.isSlot(id)) {
            blocks.replayFreed(id);
        } else {
            extents.replayFreed(id);
        }
    }

    @Override
    public void forEachLive(LiveObjectConsumer action) {
        extents.forEachLive(action);
        blocks.forEachLive(action);
    }

    @Override
    public long[] freeSlotsByClass() {
        return blocks.freeSlotsByClass();
    }

    @Override
    public void replayed(ExtentList used) {
        extents.replayed(used);
        blocks.replayed(used);
    }

    @Override
    public long liveObjects() {
        return extents.liveObjects() + blocks.liveObjects();
    }

    @Override
    public long liveBytes() {
        return extents.liveBytes() + blocks.liveBytes();
    }

    @Override
    public long footprintBytes() {
        return extents.footprintBytes() + blocks.footprintBytes();
    }

    @Override
    public String toString() {
        return "MultiAllocator[" + blocks + ", extents=" + extents.liveObjects() + "]";
    }
}
