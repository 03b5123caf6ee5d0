package org.bobbob.store.internal.alloc;

/**
 * The layout of object ids: where an object is, and a <em>check</em> that tells this object from
 * every earlier one that lived in the same place.
 *
 * <h2>Layout</h2>
 * <pre>
 *   extent id   bit 63: 0   bit 62: 0   bits 44-61: check (18 bits)   bits 0-43: file offset
 *   slot id     bit 63: 0   bit 62: 1   bits 40-61: check (22 bits)   bits 10-39: block number   bits 0-9: slot
 * </pre>
 * An object's check is the low bits of the store's {@link Generation} when it was allocated, and is
 * recorded with the object. A look-up finds the object by place and answers only if the id's check
 * equals the recorded one, so an id whose object was deleted (or lost in a crash) is not found,
 * even after its space holds another object: that object was allocated in a later generation
 * ({@link Generation} says why it is later), so its check differs.
 *
 * <h2>Bounds</h2>
 * Offsets lie below 2^44 (16 TiB, the largest file ext4 allows), so a file
 * never grows past {@link #MAX_FILE_END}; block numbers lie below 2^30. Checks wrap: a stale id can
 * name a new object only if the new one starts at exactly the same place and the store's
 * generation advanced by a multiple of 2^18 (extents) or 2^22 (slots) between the two
 * allocations. Files of format 1 and 2 hold check 0 for every object, so their ids stay valid.
 */
public final class ObjectIds {
    /** Bits of a file offset in an extent id. */
    static final int OFFSET_BITS = 44;
    /** Every byte of a store lies below this offset. */
    public static final long MAX_FILE_END = 1L << OFFSET_BITS;

    static final long OFFSET_MASK = MAX_FILE_END - 1;
    static final long SLOT_TAG = 1L << 62;
    static final int EXTENT_CHECK_BITS = 62 - OFFSET_BITS;
    static final int EXTENT_CHECK_MASK = (1 << EXTENT_CHECK_BITS) - 1;

    static final int BLOCK_NUMBER_BITS = 30;
    /** The highest block number. */
    static final int MAX_BLOCK_NUMBER = (1 << BLOCK_NUMBER_BITS) - 1;

    private static final int CHECK_SHIFT = SizeClasses.SLOT_BITS + BLOCK_NUMBER_BITS;
    static final int SLOT_CHECK_BITS = 62 - CHECK_SHIFT;
    static final int SLOT_CHECK_MASK = (1 << SLOT_CHECK_BITS) - 1;
    private static final long SLOT_MASK = SizeClasses.MAX_SLOTS - 1;

    private ObjectIds() {}

    /** Whether {@code id} is a slot id: positive, with bit 62 set. */
    public static boolean isSlot(long id) {
        return (id & SLOT_TAG) != 0 && id > 0;
    }

    // ---------------------------------------------------------------- extents

    static long extentId(long offset, int check) {
        return ((long) (check & EXTENT_CHECK_MASK) << OFFSET_BITS) | offset;
    }

    /** The file offset an extent id names (any id: callers check {@link #isSlot} first). */
    static long offset(long id) {
        return id & OFFSET_MASK;
    }

    static int extentCheck(long id) {
        return (int) (id >>> OFFSET_BITS) & EXTENT_CHECK_MASK;
    }

    // ---------------------------------------------------------------- slots

    static long slotId(int blockNumber, int slot, int check) {
        return SLOT_TAG
                | ((long) (check & SLOT_CHECK_MASK) << CHECK_SHIFT)
                | ((long) blockNumber << SizeClasses.SLOT_BITS)
                | slot;
    }

    /** The block number of a slot id, as a long (any value up to 2^30 - 1 for a well-formed id). */
    static long blockNumber(long slotId) {
        return (slotId >>> SizeClasses.SLOT_BITS) & MAX_BLOCK_NUMBER;
    }

    static int slot(long slotId) {
        return (int) (slotId & SLOT_MASK);
    }

    static int slotCheck(long slotId) {
        return (int) (slotId >>> CHECK_SHIFT) & SLOT_CHECK_MASK;
    }
}
