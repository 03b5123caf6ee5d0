package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * Maps object ids to places in the file and hands out new ones. One per store; the store
 * guards it with its metadata lock (mutations exclusive; {@link #locate} may also run under an
 * optimistic read, so it must neither loop forever nor index out of bounds when a mutation races
 * it: it may then return a wrong answer, which the store discards).
 *
 * <p>Freed space is not reusable at once: {@link #free} parks it, and {@link #releaseFreed}
 * makes what was parked before a {@link #freedMark} reusable once the sync that recorded those
 * frees is durable.
 */
public interface ObjectAllocator extends ObjectLocator {

    /** Allocates an object of {@code size} bytes whose CRC32C is {@code crc}, and describes it in {@code out}. */
    void allocate(int size, int crc, Location out);

    /**
     * Records {@code crc} as the checksum of live object {@code id}; false if {@code id} is not
     * live. Changes one value in place, nothing of the structure: the store calls it under its
     * shared lock.
     */
    boolean setCrc(long id, int crc);

    /** Frees a live object; false if {@code id} is not live. Its space is parked, not reusable yet. */
    boolean free(long id);

    /**
     * Frees a live object as {@link #free} does, but keeps its space: neither reusable nor parked
     * until {@link #releaseKept} (a handle is still reading or writing it). False if not live.
     */
    boolean freeKeepingSpace(long id);

    /** Parks the space of an object freed by {@link #freeKeepingSpace}, {@code allocatedSize} bytes. */
    void releaseKept(long id, int allocatedSize);

    /** Bytes this allocator has parked itself (beyond what {@link FileSpace} parks). */
    default long parkedBytes() {
        return 0;
    }

    /** A mark covering everything this allocator has parked so far (beyond what {@link FileSpace} parks). */
    long freedMark();

    /** Makes what was parked before {@code mark} reusable. */
    void releaseFreed(long mark);

    /**
     * Appends this allocator's state (live objects only) to a metadata payload, telling
     * {@code index} where its objects are.
     */
    void write(MetaWriter out, RecordIndex.Builder index);

    /**
     * Journal replay while opening, before the free space is derived: makes {@code id} a live
     * object of {@code size} bytes with checksum {@code crc}, in the place the id names (a slot
     * id's object starts at {@code offset}, which places its block). Touches no free space.
     *
     * @throws MetadataException if the place holds a live object, or the id or size is impossible
     */
    void replayAllocated(long id, int size, int crc, long offset);

    /**
     * Journal replay while opening: {@code id} is no longer live. Touches no free space.
     *
     * @throws MetadataException if {@code id} is not a live object
     */
    void replayFreed(long id);

    /**
     * After a replay: puts this allocator's structures in order again and adds every extent it
     * holds (objects, blocks) to {@code used}, from which the free space is derived.
     */
    void replayed(ExtentList used);

    /**
     * Calls {@code action} for every live object (extents in offset order, then slots block by
     * block), under the caller's metadata lock.
     */
    void forEachLive(LiveObjectConsumer action);

    /** What {@link #forEachLive} calls. */
    @FunctionalInterface
    interface LiveObjectConsumer {
        void accept(long id, long offset, int size, int crc);
    }

    /**
     * Free slots (not live, parked ones included) in blocks that exist, per size class
     * ({@link SizeClasses}); empty for an allocator without blocks.
     */
    default long[] freeSlotsByClass() {
        return new long[0];
    }

    /** Number of live objects. */
    long liveObjects();

    /** Sum of the live objects' sizes. */
    long liveBytes();

    /** Heap bytes this allocator holds for its bookkeeping (an estimate from array sizes). */
    long footprintBytes();
}
