package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ExtentMapTest {
    /** What the map should hold at an offset. */
    private record Extent(int check, int size, int crc) {
        long packed() {
            return (long) size << 32 | (crc & 0xFFFFFFFFL);
        }
    }

    /**
     * Adds, removes, look-ups and crc updates against a TreeMap, with offsets in a narrow range
     * (splits and merges) or spread over 2^44 (pages bounded by the 2^32 span).
     */
    @Test
    void agreesWithTreeMapUnderRandomAddsAndRemoves() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            ExtentMap map = new ExtentMap();
            TreeMap<Long, Extent> reference = new TreeMap<>();
            long next = 1 + r.nextInt(1000);
            long range = seed % 3 == 0 ? 1L << 44 : seed % 3 == 1 ? 50_000 : 5_000_000_000L;
            long step = seed % 3 == 0 ? 1L << 29 : 4096;
            int checks = seed % 2 == 0 ? 1 : 3; // one check: pages stay uniform
            for (int i = 0; i < 100_000; i++) {
                int op = r.nextInt(10);
                Extent e = new Extent(r.nextInt(checks), r.nextInt(Integer.MAX_VALUE), r.nextInt());
                if (op < 3) { // append above every offset, as a growing file does
                    next += 1 + r.nextLong(step);
                    map.add(next, e.check, e.size, e.crc);
                    reference.put(next, e);
                } else if (op < 6) {
                    long offset = r.nextLong(range);
                    if (reference.containsKey(offset)) {
                        long o = offset;
                        assertThrows(IllegalStateException.class, () -> map.add(o, e.check, e.size, e.crc));
                    } else {
                        map.add(offset, e.check, e.size, e.crc);
                        reference.put(offset, e);
                    }
                } else if (op < 7 && !reference.isEmpty()) {
                    Map.Entry<Long, Extent> at = reference.ceilingEntry(r.nextLong(reference.lastKey() + 1));
                    Extent old = at.getValue();
                    int crc = r.nextInt();
                    assertFalse(map.setCrc(at.getKey(), old.check + 1, crc), "setCrc with another check");
                    assertTrue(map.setCrc(at.getKey(), old.check, crc));
                    reference.put(at.getKey(), new Extent(old.check, old.size, crc));
                } else {
                    long offset = r.nextBoolean() && !reference.isEmpty()
                            ? reference.ceilingKey(r.nextLong(reference.lastKey() + 1))
                            : r.nextLong(range);
                    Extent old = reference.get(offset);
                    if (old != null) {
                        assertEquals(-1, map.remove(offset, old.check + 1), "remove with another check");
                        reference.remove(offset);
                    }
                    assertEquals(old == null ? -1 : old.packed(), map.remove(offset, old == null ? 0 : old.check));
                }
                if (i % 10_000 == 0) {
                    assertSame(reference, map);
                }
            }
            assertSame(reference, map);
        }
    }

    /** Offsets 2^32 or more apart cannot share a page: each starts its own, wherever it is added. */
    @Test
    void offsetsFarApartTakePagesOfTheirOwn() {
        ExtentMap map = new ExtentMap();
        TreeMap<Long, Extent> reference = new TreeMap<>();
        long[] offsets = {
            5L << 40, // first
            (5L << 40) + ExtentMap.SPAN, // append just out of the span
            (5L << 40) + 10, // in the first page
            (5L << 40) + ExtentMap.SPAN - 1, // above the first page's last, just in its span
            (5L << 40) + ExtentMap.SPAN + 5, // in the second page
            (5L << 40) + ExtentMap.SPAN / 2 + 3 * ExtentMap.SPAN, // append
            (5L << 40) + 2 * ExtentMap.SPAN + 1, // between pages: out of both spans
            (5L << 40) + 3 * ExtentMap.SPAN, // front of the last page: rebases it
            (5L << 40) - 1, // below everything: rebases the first page
            (4L << 40), // below everything, out of the first page's span
            0, // at offset 0
            ObjectIds.MAX_FILE_END - 1, // the highest offset
        };
        for (int i = 0; i < offsets.length; i++) {
            Extent e = new Extent(i % 2, i * 100, ~i);
            map.add(offsets[i], e.check, e.size, e.crc);
            reference.put(offsets[i], e);
            assertSame(reference, map);
        }
        for (long offset : offsets) {
            Extent e = reference.remove(offset);
            assertEquals(e.packed(), map.remove(offset, e.check), "remove " + offset);
            assertSame(reference, map);
        }
        assertEquals(0, map.size());
    }

    /** A page that reached its offset span ends: appends go on in a new page. */
    @Test
    void appendsOfLargeObjectsStartANewPageAtTheSpan() {
        ExtentMap map = new ExtentMap();
        TreeMap<Long, Extent> reference = new TreeMap<>();
        long offset = 4096;
        for (int i = 0; i < 10_000; i++) { // 1 GiB + 1 apart: four or five to a span
            Extent e = new Extent(7, Integer.MAX_VALUE, i);
            map.add(offset, e.check, e.size, e.crc);
            reference.put(offset, e);
            offset += (1L << 30) + 1;
        }
        assertSame(reference, map);
        assertEquals(0, map.mixedPages());
    }

    @Test
    void emptiesAndRefills() {
        ExtentMap map = new ExtentMap();
        for (long k = 1; k <= 10_000; k++) {
            map.add(k * 3, 1, (int) k, (int) -k);
        }
        for (long k = 1; k <= 10_000; k++) {
            assertEquals((k << 32) | (-k & 0xFFFFFFFFL), map.remove(k * 3, 1));
        }
        assertEquals(0, map.size());
        assertEquals(-1, map.get(3, 1));
        map.add(5, 2, 7, 8);
        assertEquals(7L << 32 | 8, map.get(5, 2));
        assertEquals(-1, map.get(5, 1));
        assertTrue(map.checkInvariants());
        map.clear();
        assertEquals(0, map.size());
        assertEquals(-1, map.get(5, 2));
    }

    /** A page holds no per-object checks while its objects share one; one other check makes them, a split may drop them. */
    @Test
    void checksCostNothingWhileAPageSharesOne() {
        ExtentMap map = new ExtentMap();
        int n = 3 * ExtentMap.MAX_PAGE;
        for (int i = 0; i < n; i++) {
            map.add(1000 + i * 10L, 5, i, i);
        }
        assertEquals(0, map.mixedPages());
        map.add(1001, 6, 1, 1); // into the full first page: splits it, the lower half gets mixed checks
        assertEquals(1, map.mixedPages());
        assertEquals(1L << 32 | 1, map.get(1001, 6));
        assertEquals(-1, map.get(1001, 5));
        assertEquals(1, map.remove(1001, 6) >>> 32);
        assertTrue(map.checkInvariants());
        List<Integer> checks = new ArrayList<>();
        map.forEach((offset, check, size, crc) -> checks.add(check));
        assertEquals(n, checks.size());
        assertTrue(checks.stream().allMatch(c -> c == 5));
    }

    /** Offsets handed out in rising order with one check fill whole pages: 12 bytes an object plus little slack. */
    @Test
    void appendedObjectsCostAboutTwelveBytes() {
        ExtentMap map = new ExtentMap();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            map.add(1024 + i * 100L, 3, i, i);
        }
        double perObject = map.footprintBytes() / (double) n;
        assertTrue(perObject < 12.5, "bytes per object " + perObject);
    }

    /** Churn (delete a random half, add as many in the gaps, a new check each round) keeps the map near its objects' size. */
    @Test
    void churnKeepsTheMapDense() {
        SplittableRandom r = new SplittableRandom(7);
        ExtentMap map = new ExtentMap();
        TreeMap<Long, Extent> reference = new TreeMap<>();
        int n = 100_000;
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long offset = 1024 + i * 100L;
            map.add(offset, 0, i, i);
            reference.put(offset, new Extent(0, i, i));
            offsets.add(offset);
        }
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < n / 2; i++) {
                int at = r.nextInt(offsets.size());
                long offset = offsets.get(at);
                offsets.set(at, offsets.get(offsets.size() - 1));
                offsets.remove(offsets.size() - 1);
                assertTrue(map.remove(offset, reference.remove(offset).check) >= 0);
            }
            for (int i = 0; i < n / 2; i++) {
                long offset;
                do {
                    offset = 1024 + r.nextLong(n * 100L);
                } while (reference.containsKey(offset));
                map.add(offset, round, i, i);
                reference.put(offset, new Extent(round, i, i));
                offsets.add(offset);
            }
        }
        assertSame(reference, map);
        double perObject = map.footprintBytes() / (double) n;
        assertTrue(perObject < 20, "bytes per object after churn " + perObject);
    }

    private static void assertSame(TreeMap<Long, Extent> reference, ExtentMap map) {
        assertTrue(map.checkInvariants());
        assertEquals(reference.size(), map.size());
        for (Map.Entry<Long, Extent> e : reference.entrySet()) {
            Extent x = e.getValue();
            assertEquals(x.packed(), map.get(e.getKey(), x.check), "get " + e.getKey());
            assertEquals(-1, map.get(e.getKey(), x.check ^ 1), "get with another check " + e.getKey());
        }
        List<Long> seen = new ArrayList<>();
        map.forEach((offset, check, size, crc) -> {
            assertEquals(reference.get(offset), new Extent(check, size, crc), "at " + offset);
            seen.add(offset);
        });
        assertEquals(new ArrayList<>(reference.keySet()), seen);
        if (!reference.isEmpty()) {
            SplittableRandom r = new SplittableRandom(reference.size());
            long lo = reference.firstKey();
            long hi = reference.lastKey();
            for (int i = 0; i < 200; i++) { // offsets between objects hold none
                long probe = Math.max(0, lo - 5 + r.nextLong(hi - lo + 10));
                if (!reference.containsKey(probe)) {
                    assertEquals(-1, map.get(probe, 0), "get " + probe);
                    assertEquals(-1, map.get(probe, 1), "get " + probe);
                }
            }
        }
    }
}
