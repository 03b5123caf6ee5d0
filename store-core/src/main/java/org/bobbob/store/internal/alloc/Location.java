package org.bobbob.store.internal.alloc;

/**
 * Where one object lives, filled in by an {@link ObjectAllocator}. A mutable carrier so that a
 * look-up on the read path allocates nothing beyond it; not shared between threads.
 */
public final class Location {
    /** The object's id. */
    public long id;
    /** File offset of the object's first byte. */
    public long offset;
    /** The object's logical size: what a read returns. */
    public int size;
    /** Bytes set aside for it, {@code >= size}. */
    public int allocatedSize;
    /**
     * Its checksum as recorded ({@code Crc32c.sealed}: its bytes' CRC32C mixed with its size); 0:
     * none recorded (an object from a format-1 or -2 file).
     */
    public int crc;
    /**
     * Only meaningful right after an allocation: true when the bytes were never written since
     * the file was opened (so they read as zeros and need no zero-filling).
     */
    public boolean fresh;
    /**
     * Only meaningful right after an allocation: true when the next allocations of similar sizes
     * will likely land next to this one (a slot of a block whose free slots are being refilled, or
     * a hole the file space's sweep took), so that writing them may be gathered
     * ({@code StoreFile.writeNewObject}).
     */
    public boolean clustered;

    @Override
    public String toString() {
        return "Location[id=" + id + ", offset=" + offset + ", size=" + size + ", allocated=" + allocatedSize + "]";
    }
}
