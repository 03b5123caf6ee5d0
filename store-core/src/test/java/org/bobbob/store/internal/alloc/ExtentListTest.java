package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExtentListTest {
    /**
     * Any number of ascending runs, from sorted to reversed, sorts by offset with each length
     * kept: few runs are merged, many radix-sorted (offsets of up to 41 bits, and of up to 62).
     */
    @Test
    void sortsAnyRunStructureKeepingLengthsWithTheirOffsets() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = r.nextInt(2000);
            int runs = 1 + r.nextInt(trial % 3 == 0 ? 3 : Math.max(1, n));
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long bound = trial % 4 == 1 ? 1L << 61 : 1L << 40;
                offsets.add(r.nextLong(bound) * 2); // distinct enough; length derived from it
            }
            Collections.sort(offsets);
            // deal the sorted offsets into `runs` ascending runs, then lay the runs end to end
            List<List<Long>> dealt = new ArrayList<>();
            for (int k = 0; k < runs; k++) {
                dealt.add(new ArrayList<>());
            }
            for (long o : offsets) {
                dealt.get(r.nextInt(runs)).add(o);
            }
            ExtentList list = new ExtentList();
            for (List<Long> run : dealt) {
                for (long o : run) {
                    list.add(o, o / 2 + 1);
                }
            }
            list.sortByOffset();
            assertEquals(n, list.size());
            for (int i = 0; i < n; i++) {
                assertEquals(offsets.get(i), list.offset(i), "trial " + trial + " at " + i);
                assertEquals(offsets.get(i) / 2 + 1, list.length(i));
            }
        }
    }
}
