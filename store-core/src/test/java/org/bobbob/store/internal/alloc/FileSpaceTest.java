package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.bobbob.store.internal.format.MetadataException;
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

    /**
     * Against a model that knows every byte: allocations never overlap live bytes, free bytes are
     * exactly the bytes below the end that are neither live nor parked, and no free byte lies
     * just below the end (a free tail moves the end back).
     */
    @Test
    void agreesWithAByteModelUnderMixedSizesAndReleases() {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            FileSpace s = new FileSpace(0);
            BitSet live = new BitSet();
            BitSet parked = new BitSet();
            List<long[]> objects = new ArrayList<>();
            List<long[]> parkedRanges = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                int op = r.nextInt(10);
                if (objects.isEmpty() || op < 5) {
                    // log-uniform lengths 1 .. 64 Ki: many classes, exact and inexact fits
                    int len = (int) Math.max(1, Math.exp(r.nextDouble() * Math.log(65_536)));
                    long off = s.allocate(len);
                    assertTrue(live.get((int) off, (int) off + len).isEmpty(), "overlaps live bytes at " + off);
                    assertTrue(parked.get((int) off, (int) off + len).isEmpty(), "hands out parked bytes at " + off);
                    live.set((int) off, (int) off + len);
                    objects.add(new long[] {off, len});
                } else if (op < 9) {
                    long[] x = objects.remove(r.nextInt(objects.size()));
                    live.clear((int) x[0], (int) (x[0] + x[1]));
                    if (r.nextInt(4) == 0) {
                        s.freeNow(x[0], x[1]);
                    } else {
                        s.free(x[0], x[1]);
                        parked.set((int) x[0], (int) (x[0] + x[1]));
                        parkedRanges.add(x);
                    }
                } else {
                    s.releaseFreed(s.freedMark());
                    parked.clear();
                    parkedRanges.clear();
                }
                if (i % 1000 == 0 || i == 29_999) {
                    long end = s.end();
                    BitSet taken = (BitSet) live.clone();
                    taken.or(parked);
                    assertTrue(taken.length() <= end, "a live or parked byte past the end " + end);
                    long free = end - taken.cardinality();
                    assertEquals(free, s.freeBytes(), "seed " + seed + " step " + i);
                    assertTrue(
                            end == 0 || taken.get((int) end - 1),
                            "the byte below the end is free, so the end should have moved back");
                }
            }
        }
    }

    /**
     * After a random half of many objects is freed, new objects of new sizes take holes near one
     * another, window after window, rather than each the best fit anywhere in the file: the write
     * cache can then gather them. And the holes still fit them: the file hardly grows.
     */
    @Test
    void aRefillAfterScatteredFreesSweepsThroughTheFile() {
        SplittableRandom r = new SplittableRandom(5);
        FileSpace s = new FileSpace(0);
        int n = 50_000;
        long[] off = new long[n];
        int[] len = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = logUniform(r, 16, 16_384);
            off[i] = s.allocate(len[i]);
        }
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                s.free(off[i], len[i]);
            }
        }
        s.releaseFreed(s.freedMark());
        long endBefore = s.end();
        int farJumps = 0;
        long previous = -1;
        for (int i = 0; i < n / 2; i++) {
            long at = s.allocate(logUniform(r, 16, 16_384));
            if (previous >= 0 && Math.abs(at - previous) > FileSpace.SWEEP_WINDOW) {
                farJumps++;
            }
            previous = at;
        }
        // ~116 MB of file, a few dozen windows: the sweep leaves one for a large object now and then (~2 %);
        // a good fit anywhere in the file (the class policy alone) jumps for two in three
        assertTrue(farJumps < n / 2 / 20, farJumps + " allocations jumped further than a window from the previous one");
        assertTrue(s.end() < endBefore * 1.02, "the file grew from " + endBefore + " to " + s.end());
    }

    /**
     * Releasing thousands of parked ranges at once (merged in bulk) leaves the same holes, free
     * bytes and end as freeing them one by one: ranges next to each other, next to holes, and a
     * freed tail that moves the end back.
     */
    @Test
    void releasingManyRangesAtOnceLeavesWhatReleasingThemOneByOneLeaves() {
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            FileSpace bulk = new FileSpace(64);
            FileSpace single = new FileSpace(64);
            int n = 20_000;
            long[] off = new long[n];
            int[] len = new int[n];
            for (int i = 0; i < n; i++) {
                len[i] = logUniform(r, 1, 70_000);
                off[i] = bulk.allocate(len[i]);
                assertEquals(off[i], single.allocate(len[i]));
            }
            for (int i = 0; i < n; i += 7) { // holes before the batch
                bulk.freeNow(off[i], len[i]);
                single.freeNow(off[i], len[i]);
            }
            int parked = 0;
            for (int i = 0; i < n; i++) {
                if (i % 7 != 0 && (i > n - 50 || r.nextInt(3) > 0)) { // the last objects too: the tail
                    bulk.free(off[i], len[i]);
                    single.freeNow(off[i], len[i]);
                    parked++;
                }
            }
            assertTrue(parked >= FileSpace.BULK_RELEASE, "the batch takes the bulk path");
            bulk.releaseFreed(bulk.freedMark());
            assertEquals(0, bulk.parkedBytes());
            assertEquals(single.end(), bulk.end(), "seed " + seed);
            assertEquals(single.freeBytes(), bulk.freeBytes(), "seed " + seed);
            assertEquals(holes(single), holes(bulk), "seed " + seed);
            for (int i = 0; i < 2_000; i++) { // and both hand out the same space afterwards
                int l = logUniform(r, 1, 70_000);
                assertEquals(single.allocate(l), bulk.allocate(l));
            }
        }
    }

    /**
     * While the sweep's window is checked out its holes live outside the maps: whatever runs
     * meanwhile (allocations it serves and ones it cannot, ranges freed next to it and far from
     * it, releases one by one and in bulk, the end moving back) leaves exactly the holes a byte
     * model has, sorted, never touching, and counted by {@code holes()} and {@code freeBytes()};
     * and what only reads the space (the holes listed, the end without the parked ranges) sees
     * the window's holes where they lie while it is out.
     */
    @Test
    void theSweepsCheckedOutHolesAgreeWithAByteModel() {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            FileSpace s = new FileSpace(0);
            BitSet taken = new BitSet(); // live or parked
            List<long[]> objects = new ArrayList<>();
            List<long[]> parked = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                int len = logUniform(r, 1, 16_384);
                long off = s.allocate(len);
                taken.set((int) off, (int) off + len);
                objects.add(new long[] {off, len});
            }
            for (int i = 0; i < 12_000; i++) { // a random half or so, released in bulk
                long[] x = objects.remove(r.nextInt(objects.size()));
                s.free(x[0], x[1]);
            }
            s.releaseFreed(s.freedMark());
            taken.clear();
            objects.forEach(x -> taken.set((int) x[0], (int) (x[0] + x[1])));
            for (int step = 1; step <= 30_000; step++) {
                int op = r.nextInt(20);
                if (op < 12 || objects.isEmpty()) {
                    int len = op == 0 ? logUniform(r, 16_384, 200_000) : logUniform(r, 1, 16_384); // some fit no window
                    long off = s.allocate(len);
                    assertTrue(taken.get((int) off, (int) off + len).isEmpty(), "hands out taken bytes at " + off);
                    taken.set((int) off, (int) off + len);
                    objects.add(new long[] {off, len});
                } else if (op < 17) {
                    // the newest objects lie in or next to the window; the others anywhere
                    int k = op < 15
                            ? objects.size() - 1 - r.nextInt(Math.min(8, objects.size()))
                            : r.nextInt(objects.size());
                    long[] x = objects.remove(k);
                    if (r.nextBoolean()) {
                        s.freeNow(x[0], x[1]);
                        taken.clear((int) x[0], (int) (x[0] + x[1]));
                    } else {
                        s.free(x[0], x[1]);
                        parked.add(x);
                    }
                } else if (op == 17) {
                    int mark = s.freedMark();
                    s.releaseFreed(mark); // few: one by one
                    parked.forEach(x -> taken.clear((int) x[0], (int) (x[0] + x[1])));
                    parked.clear();
                }
                if (step % 250 == 0) {
                    // the end if every parked range were free: past the last live byte
                    BitSet live = (BitSet) taken.clone();
                    parked.forEach(x -> live.clear((int) x[0], (int) (x[0] + x[1])));
                    assertEquals(live.length(), s.endWithoutParked(s.freedMark()), "seed " + seed + " step " + step);
                    assertHolesAre(s, taken, "seed " + seed + " step " + step);
                }
            }
        }
    }

    /** The end a commit may name counts a hole of the checked-out window that the parked tail reaches. */
    @Test
    void theEndWithoutParkedRangesSeesTheWindowsHoles() {
        FileSpace s = new FileSpace(0);
        long a = s.allocate(100);
        s.allocate(100); // b stays
        long c = s.allocate(100);
        long d = s.allocate(100);
        s.free(a, 100);
        s.free(c, 100);
        s.releaseFreed(s.freedMark());
        assertEquals(a, s.allocate(50), "from a window holding both holes");
        s.free(d, 100);
        assertEquals(200, s.endWithoutParked(s.freedMark()), "d parked at the end, then c's hole, then b");
        assertEquals(List.of(50L, 50L, 200L, 100L), holes(s));
        s.releaseFreed(s.freedMark());
        assertEquals(200, s.end());
        assertEquals(List.of(50L, 50L), holes(s));
    }

    /** Where holes are dense a window ends at its {@value FileSpace#WINDOW_HOLES}th; every hole is still refilled. */
    @Test
    void aWindowOfDenseHolesEndsAtItsHoleLimitAndEveryHoleIsRefilled() {
        FileSpace s = new FileSpace(0);
        int n = 3 * FileSpace.WINDOW_HOLES;
        long[] off = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            off[i] = s.allocate(3);
        }
        for (int i = 0; i < 2 * n; i += 2) {
            s.free(off[i], 3);
        }
        s.releaseFreed(s.freedMark());
        long end = s.end();
        assertEquals(n, s.holes());
        BitSet model = new BitSet();
        for (int i = 1; i < 2 * n; i += 2) {
            model.set((int) off[i], (int) off[i] + 3);
        }
        for (int i = 0; i < n; i++) {
            int len = 1 + i % 3; // 1, 2, 3: the shorter ones leave rests that the next ones fill
            long at = s.allocate(len);
            assertTrue(at + len <= end, "a hole was left unused: " + at + " past the end " + end);
            assertTrue(model.get((int) at, (int) at + len).isEmpty(), "taken twice at " + at);
            model.set((int) at, (int) at + len);
        }
        assertEquals(end, s.end());
        assertHolesAre(s, model, "after the refill");
    }

    /** The holes of {@code s} are exactly the bytes below its end that {@code taken} lacks. */
    private static void assertHolesAre(FileSpace s, BitSet taken, String when) {
        int count = s.holes();
        long free = s.freeBytes();
        BitSet holes = new BitSet();
        long[] last = {-1, 0};
        s.forEachHole((offset, length) -> {
            assertTrue(offset > last[0] + last[1], when + ": hole " + offset + " touches or overlaps the one before");
            holes.set((int) offset, (int) (offset + length));
            last[0] = offset;
            last[1] = length;
        });
        BitSet expected = new BitSet();
        expected.set(0, (int) s.end());
        expected.andNot(taken);
        assertEquals(expected, holes, when);
        assertEquals(expected.cardinality(), free, when + ": free bytes");
        assertEquals(count, s.holes(), when + ": holes() before and after the window went back");
        assertTrue(taken.length() <= s.end(), when + ": a taken byte past the end");
        int[] n = {0};
        s.forEachHole((o, l) -> n[0]++);
        assertEquals(count, n[0], when + ": holes()");
    }

    private static int logUniform(SplittableRandom r, int min, int max) {
        return (int) Math.min(max, Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max + 1.0) - Math.log(min))));
    }

    private static List<Long> holes(FileSpace s) {
        List<Long> all = new ArrayList<>();
        s.forEachHole((offset, length) -> {
            all.add(offset);
            all.add(length);
        });
        return all;
    }

    /** A free range longer than the longest hole is kept as several, all reused, and dropped at the end. */
    @Test
    void rangesLongerThanTheLongestHoleAreSplitAndStillMergeAway() {
        long big = 3L * FileSpace.MAX_HOLE + 123;
        FileSpace s = new FileSpace(0);
        long a = s.allocate(big);
        long b = s.allocate(10);
        s.freeNow(a, big);
        assertEquals(big, s.freeBytes());
        assertEquals(4, s.holes(), "three whole holes and a short one");
        long c = s.allocate(FileSpace.MAX_HOLE);
        assertTrue(c >= a && c + FileSpace.MAX_HOLE <= a + big, "taken from the free range");
        assertEquals(big + 10, s.end());
        s.freeNow(c, FileSpace.MAX_HOLE);
        s.freeNow(b, 10);
        assertEquals(0, s.end(), "everything free: every hole went with the end");
        assertEquals(0, s.holes());
        assertEquals(0, s.freeBytes());
    }

    @Test
    void lengthClassesAreFourPerDoubling() {
        assertEquals(1, FileSpace.classOf(1));
        assertEquals(3, FileSpace.classOf(3));
        assertEquals(4, FileSpace.classOf(4));
        assertEquals(7, FileSpace.classOf(7));
        assertEquals(8, FileSpace.classOf(8));
        assertEquals(8, FileSpace.classOf(9));
        assertEquals(9, FileSpace.classOf(10));
        for (long len = 4; len < (1L << 31); len = len * 5 / 4 + 1) {
            assertTrue(FileSpace.classOf(len) <= FileSpace.classOf(len + 1), "monotone at " + len);
        }
    }

    /** Holes live in sorted arrays, not an object or two each: a few dozen bytes a hole, not ~120. */
    @Test
    void aHoleCostsAFewDozenHeapBytes() {
        SplittableRandom r = new SplittableRandom(9);
        FileSpace s = new FileSpace(0);
        long[] offsets = new long[100_000];
        int[] lengths = new int[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            lengths[i] = 1 + r.nextInt(4096);
            offsets[i] = s.allocate(lengths[i]);
        }
        for (int i = 0; i < offsets.length; i += 2) { // every other one: 50 000 holes, freed in random order
            int k = r.nextInt(offsets.length / 2) * 2;
            if (lengths[k] > 0) {
                s.freeNow(offsets[k], lengths[k]);
                lengths[k] = 0;
            }
        }
        for (int i = 0; i < 20_000; i++) { // reuse some, splitting many
            s.allocate(1 + r.nextInt(2048));
        }
        double perHole = (double) s.footprintBytes() / s.holes();
        assertTrue(s.holes() > 20_000, "holes " + s.holes());
        assertTrue(perHole < 48, "bytes per hole " + perHole);
    }
}
