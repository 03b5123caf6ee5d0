package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {

    /**
     * Deletes in a random order empty slots of full blocks of two size classes; once released, each
     * class refills them block by block in file order, lowest first, whatever the order of the
     * deletes, so that both classes' refills move through the file side by side.
     */
    @Test
    void freedSlotsAreRefilledInFileOrderWhateverTheOrderOfTheDeletes() {
        BlockAllocator blocks = new BlockAllocator(new FileSpace(4096), new Generation(1));
        Location at = new Location();
        int[] sizes = {1000, 3000}; // 64 and 21 slots a block
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            blocks.allocate(sizes[i % 2], 0, at);
            ids.add(at.id);
        }
        List<Long> victims = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 2 + (i / 2) % 3) { // about a third, of both classes
            victims.add(ids.get(i));
            victims.add(ids.get(i + 1));
        }
        Collections.shuffle(victims, new Random(7));
        for (long id : victims) {
            assertTrue(blocks.free(id));
        }
        blocks.releaseFreed(blocks.freedMark());

        long[] last = {-1, -1};
        for (int i = 0; i < victims.size(); i++) {
            int c = i % 2;
            blocks.allocate(sizes[c], 0, at);
            assertTrue(
                    at.offset > last[c], "refill " + i + " of class " + c + " at " + at.offset + " after " + last[c]);
            last[c] = at.offset;
        }
        assertEquals(ids.size(), blocks.liveObjects());
    }
}
