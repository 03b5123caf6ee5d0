package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizeClassesTest {
    @Test
    void everySizeGetsTheSmallestSlotThatHoldsItWithAtMostAQuarterWaste() {
        assertEquals(33, SizeClasses.count());
        assertEquals(16, SizeClasses.slotSize(0));
        assertEquals(SizeClasses.MAX_SLOT_SIZE, SizeClasses.slotSize(SizeClasses.count() - 1));
        for (int size = 0; size <= SizeClasses.MAX_SLOT_SIZE; size++) {
            int c = SizeClasses.classOf(size);
            int slot = SizeClasses.slotSize(c);
            assertTrue(slot >= size, "slot " + slot + " for " + size);
            assertTrue(c == 0 || SizeClasses.slotSize(c - 1) < size, "a smaller class fits " + size);
            assertTrue(size <= 16 || slot * 4 <= size * 5 + 3, "waste over 25%: " + size + " in " + slot);
            int slots = SizeClasses.slotsPerBlock(c);
            assertTrue(slots >= 16 && slots <= SizeClasses.MAX_SLOTS);
        }
    }
}
