package org.bobbob.store;

/**
 * The result of {@link RunAllocator#allocateRun}: {@code ids[i]} lives at file offset
 * {@code offsets[i]}. The arrays are owned by the caller.
 */
public record AllocatedRun(long[] ids, long[] offsets) {
    /** Number of objects in the run. */
    public int count() {
        return ids.length;
    }
}
