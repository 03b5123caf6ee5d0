package org.bobbob.store.internal.alloc;

import java.util.Arrays;

/**
 * The slot sizes of the {@link BlockAllocator}, four per doubling, as in Netty's
 * {@code SizeClasses}:
 * <pre>
 *   16 20 24 28 | 32 40 48 56 | 64 80 96 112 | ... | 2048 2560 3072 3584 | 4096
 * </pre>
 * Within a doubling from {@code b} the steps are {@code b/4}, so a slot is never more than 25%
 * larger than the object it holds (at most {@code b/4 - 1} bytes wasted on an object of more
 * than {@code b} bytes), and for sizes spread evenly within a step, about 10% on average.
 * Plain powers of two would waste up to 50%.
 *
 * <p>Each class also fixes its block's slot count: about 64 KiB of slots, at least 16 and at
 * most 1024, so a store with few objects of a class wastes at most one small block on it.
 *
 * <p>Immutable; the look-up table is built once.
 */
public final class SizeClasses {
    /** The largest object a slot holds; larger objects go to the {@link ExtentAllocator}. */
    public static final int MAX_SLOT_SIZE = 4096;
    /** Most slots in a block: a slot index fits in {@value #SLOT_BITS} bits. */
    public static final int MAX_SLOTS = 1024;

    static final int SLOT_BITS = 10;
    private static final int BLOCK_TARGET_BYTES = 64 * 1024;
    private static final int MIN_SLOTS = 16;

    private static final int[] SIZES;
    private static final int[] SLOTS;
    /** CLASS_OF[(size + 3) / 4] = the smallest class whose slot holds size bytes. */
    private static final byte[] CLASS_OF;

    static {
        int n = 0;
        int[] sizes = new int[64];
        for (int base = 16; base < MAX_SLOT_SIZE; base <<= 1) {
            for (int step = 0; step < 4; step++) {
                sizes[n++] = base + step * (base / 4);
            }
        }
        sizes[n++] = MAX_SLOT_SIZE;
        SIZES = Arrays.copyOf(sizes, n);
        SLOTS = new int[n];
        for (int c = 0; c < n; c++) {
            SLOTS[c] = Math.max(MIN_SLOTS, Math.min(MAX_SLOTS, BLOCK_TARGET_BYTES / SIZES[c]));
        }
        CLASS_OF = new byte[MAX_SLOT_SIZE / 4 + 1];
        int c = 0;
        for (int q = 0; q < CLASS_OF.length; q++) {
            while (SIZES[c] < q * 4) {
                c++;
            }
            CLASS_OF[q] = (byte) c;
        }
    }

    private SizeClasses() {}

    /** Number of classes. */
    public static int count() {
        return SIZES.length;
    }

    /** The class for an object of {@code size} bytes ({@code 0 <= size <= MAX_SLOT_SIZE}). */
    public static int classOf(int size) {
        int c = CLASS_OF[(size + 3) >> 2];
        assert SIZES[c] >= size && (c == 0 || SIZES[c - 1] < size) : "class of " + size;
        return c;
    }

    /** The slot size of class {@code c}. */
    public static int slotSize(int c) {
        return SIZES[c];
    }

    /** Slots in a block of class {@code c}. */
    public static int slotsPerBlock(int c) {
        return SLOTS[c];
    }
}
