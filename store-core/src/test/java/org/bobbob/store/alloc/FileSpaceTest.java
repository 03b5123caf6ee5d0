package org.bobbob.store.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.bobbob.store.io.MetadataException;
import org.junit.jupiter.api.Test;

class FileSpaceTest {
    @Test
    void bestFitSplitsAndMergesAndTheEndMovesBack() {
        FileSpace s = new FileSpace(100);
        long a = s.allocate(10);
        assertTrue(s.lastWasFresh());
        long b = s.allocate(20);
        long c = s.allocate(30);
        assertEquals(160, s.end());
        s.free(a, 10);
        s.free(b, 20);
        assertEquals(0, s.freeBytes(), "parked, not reusable");
        assertEquals(160, s.allocate(5), "parked space is not handed out");
        s.releaseFreed(s.freedMark());
        assertEquals(1, s.holes(), "neighbours merged");
        assertEquals(30, s.freeBytes());
        assertEquals(a, s.allocate(25));
        assertFalse(s.lastWasFresh(), "a hole may hold old bytes");
        s.freeNow(165 - 5, 5); // the 5 bytes at the end: the end moves back
        s.freeNow(c, 30);
        assertEquals(125, s.end(), "the freed tail merged with the last hole and the end moved back");
        assertEquals(0, s.holes());
    }

    @Test
    void freshOnlyPastWhatWasEverWritten() {
        FileSpace s = new FileSpace(0);
        long a = s.allocate(100);
        s.freeNow(a, 100);
        assertEquals(0, s.end());
        s.allocate(50);
        assertFalse(s.lastWasFresh(), "bytes below the old end were written before");
        s.truncated(50);
        s.allocate(10);
        assertTrue(s.lastWasFresh(), "the file was cut there");
    }

    @Test
    void randomWorkloadNeverHandsOutAByteTwice() {
        SplittableRandom r = new SplittableRandom(3);
        FileSpace s = new FileSpace(0);
        BitSet used = new BitSet();
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (live.isEmpty() || r.nextInt(5) < 3) {
                int len = 1 + r.nextInt(300);
                long off = s.allocate(len);
                assertTrue(used.get((int) off, (int) off + len).isEmpty(), "overlap at " + off);
                used.set((int) off, (int) off + len);
                live.add(new long[] {off, len});
            } else {
                long[] x = live.remove(r.nextInt(live.size()));
                s.free(x[0], x[1]);
                used.clear((int) x[0], (int) (x[0] + x[1]));
            }
            if (i % 50 == 0) {
                s.releaseFreed(s.freedMark());
            }
        }
        s.releaseFreed(s.freedMark());
        long liveBytes = live.stream().mapToLong(x -> x[1]).sum();
        assertEquals(s.end(), liveBytes + s.freeBytes(), "every byte below the end is live or free");
    }

    @Test
    void restoreDerivesHolesAndRejectsOverlaps() {
        ExtentList used = new ExtentList();
        used.add(300, 50);
        used.add(100, 100);
        used.sortByOffset();
        FileSpace s = new FileSpace(100);
        s.restore(400, used);
        assertEquals(100, s.freeBytes(), "the gap 200..300; the tail 350..400 is no hole");
        assertEquals(350, s.end());
        ExtentList bad = new ExtentList();
        bad.add(100, 60);
        bad.add(150, 10);
        assertThrows(MetadataException.class, () -> new FileSpace(100).restore(400, bad));
        ExtentList outside = new ExtentList();
        outside.add(390, 20);
        assertThrows(MetadataException.class, () -> new FileSpace(100).restore(400, outside));
    }
}
