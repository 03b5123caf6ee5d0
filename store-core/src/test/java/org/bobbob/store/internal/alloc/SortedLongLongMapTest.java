package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SortedLongLongMapTest {
    /** Puts, removes and lookups against a TreeMap, with key ranges that force splits and merges. */
    @Test
    void agreesWithTreeMapUnderRandomPutsAndRemoves() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            SortedLongLongMap map = new SortedLongLongMap();
            TreeMap<Long, Long> reference = new TreeMap<>();
            long next = 1 + r.nextInt(1000);
            int keyRange = seed % 2 == 0 ? 5_000 : 50_000;
            for (int i = 0; i < 200_000; i++) {
                int op = r.nextInt(10);
                if (op < 3) { // append above every key, as a growing file does
                    next += 1 + r.nextInt(4096);
                    long value = r.nextLong(Long.MAX_VALUE);
                    assertEquals(-1, map.put(next, value));
                    reference.put(next, value);
                } else if (op < 6) {
                    long key = r.nextInt(keyRange) * 7L - 3_000;
                    long value = r.nextLong(Long.MAX_VALUE);
                    Long old = reference.put(key, value);
                    assertEquals(old == null ? -1 : old, map.put(key, value), "put " + key);
                } else if (op < 8 || reference.isEmpty()) {
                    long key = r.nextBoolean() && !reference.isEmpty()
                            ? reference.ceilingKey(r.nextLong(Math.max(1, reference.lastKey())))
                            : r.nextInt(keyRange) * 7L - 3_000;
                    Long old = reference.remove(key);
                    assertEquals(old == null ? -1 : old, map.remove(key), "remove " + key);
                } else { // a hole's front taken: its key rises, short of the next key
                    Long key = reference.ceilingKey(r.nextLong(Math.max(1, reference.lastKey())));
                    key = key == null ? reference.firstKey() : key;
                    Long higher = reference.higherKey(key);
                    long room = (higher == null ? key + 10_000 : higher) - key - 1;
                    if (room > 0) {
                        long moved = key + 1 + r.nextLong(room);
                        long value = r.nextLong(Long.MAX_VALUE);
                        long old = reference.remove(key);
                        reference.put(moved, value);
                        assertEquals(old, map.moveUp(key, moved, value), "moveUp " + key + " to " + moved);
                    }
                }
                if (i % 20_000 == 0) {
                    assertSame(reference, map);
                }
            }
            assertSame(reference, map);
            assertEquals(-1, map.get(Long.MAX_VALUE));
            assertEquals(-1, map.get(Long.MIN_VALUE));
        }
    }

    /** The lookups bounded by key (a ceiling, the last key, a best fit among keys in a range) agree with a TreeMap's answers. */
    @Test
    void boundedLookupsAgreeWithTreeMap() {
        SplittableRandom r = new SplittableRandom(11);
        SortedLongLongMap map = new SortedLongLongMap();
        TreeMap<Long, Long> reference = new TreeMap<>();
        for (int i = 0; i < 20_000; i++) { // inserted out of order: pages split and fill unevenly
            long key = r.nextLong(10_000_000);
            long value = 1 + r.nextInt(5_000);
            map.put(key, value);
            reference.put(key, value);
        }
        assertEquals((long) reference.lastKey(), map.lastKey());
        for (int q = 0; q < 5_000; q++) {
            long from = r.nextLong(-1_000, 10_100_000);
            long to = from + r.nextLong(200_000);
            int min = 1 + r.nextInt(5_000);
            Long ceiling = reference.ceilingKey(from);
            assertEquals(ceiling == null ? Long.MIN_VALUE : ceiling, map.ceilingKey(from), "ceiling of " + from);
            long bestKey = Long.MIN_VALUE;
            long bestValue = Long.MAX_VALUE;
            for (Map.Entry<Long, Long> e : reference.subMap(from, to).entrySet()) {
                if (e.getValue() >= min && e.getValue() < bestValue) {
                    bestKey = e.getKey();
                    bestValue = e.getValue();
                }
            }
            assertEquals(
                    bestKey,
                    map.bestFitWithin(from, to, min),
                    "best fit for " + min + " in [" + from + ", " + to + ")");
        }
    }

    /** A key moved onto or past the next key, or down, is refused and changes nothing; an absent one is -1. */
    @Test
    void moveUpKeepsItsPlaceOrRefuses() {
        SortedLongLongMap map = new SortedLongLongMap();
        for (long k = 1; k <= 1_000; k++) {
            map.put(k * 10, k);
        }
        assertThrows(IllegalArgumentException.class, () -> map.moveUp(100, 110, 1));
        assertThrows(IllegalArgumentException.class, () -> map.moveUp(100, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> map.moveUp(100, 99, 1));
        assertThrows(IllegalArgumentException.class, () -> map.moveUp(10_000, Long.MAX_VALUE, 1));
        assertEquals(10, map.get(100));
        assertEquals(-1, map.moveUp(105, 106, 1));
        assertEquals(-1, map.get(106));
        // the first key of every page moves: look-ups still find it, through the page directory
        for (long k = 1; k <= 1_000; k++) {
            assertEquals(k, map.moveUp(k * 10, k * 10 + 9, k + 1));
        }
        for (long k = 1; k <= 1_000; k++) {
            assertEquals(-1, map.get(k * 10));
            assertEquals(k + 1, map.get(k * 10 + 9));
            assertEquals(k * 10 + 9, map.floorKey(k * 10 + 9));
            assertEquals(k == 1 ? Long.MIN_VALUE : (k - 1) * 10 + 9, map.floorKey(k * 10 + 8));
        }
        assertEquals(19, map.firstKey());
        assertTrue(map.checkInvariants());
    }

    @Test
    void emptiesAndRefills() {
        SortedLongLongMap map = new SortedLongLongMap();
        for (long k = 1; k <= 10_000; k++) {
            map.put(k * 3, (int) k);
        }
        for (long k = 1; k <= 10_000; k++) {
            assertEquals((int) k, map.remove(k * 3));
        }
        assertEquals(0, map.size());
        assertEquals(-1, map.get(3));
        map.put(5, 7);
        assertEquals(7, map.get(5));
        assertTrue(map.checkInvariants());
    }

    /** Keys handed out in rising order fill whole pages: 16 bytes an entry plus little slack. */
    @Test
    void appendedEntriesCostAboutSixteenBytes() {
        SortedLongLongMap map = new SortedLongLongMap();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            map.put(1024 + i * 100L, i);
        }
        double perEntry = map.footprintBytes() / (double) n;
        assertTrue(perEntry < 16.5, "bytes per entry " + perEntry);
    }

    /** Churn (delete a random half, insert as many in the gaps) keeps the map near its entries' size. */
    @Test
    void churnKeepsTheMapDense() {
        SplittableRandom r = new SplittableRandom(7);
        SortedLongLongMap map = new SortedLongLongMap();
        int n = 100_000;
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long key = 1024 + i * 100L;
            map.put(key, i);
            keys.add(key);
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n / 2; i++) {
                int at = r.nextInt(keys.size());
                long key = keys.get(at);
                keys.set(at, keys.get(keys.size() - 1));
                keys.remove(keys.size() - 1);
                assertTrue(map.remove(key) >= 0);
            }
            for (int i = 0; i < n / 2; i++) {
                long key;
                do {
                    key = 1024 + r.nextLong(n * 100L);
                } while (map.get(key) >= 0);
                map.put(key, i);
                keys.add(key);
            }
        }
        assertTrue(map.checkInvariants());
        assertEquals(n, map.size());
        double perEntry = map.footprintBytes() / (double) n;
        assertTrue(perEntry < 20, "bytes per entry after churn " + perEntry);
    }

    /**
     * Ranges drained and runs put back against a TreeMap: ranges inside one page, across many,
     * below and above every key, empty ones; runs into gaps, onto an empty map, longer than a page.
     */
    @Test
    void drainsRangesAndPutsRunsAsATreeMapWould() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            SortedLongLongMap map = new SortedLongLongMap();
            TreeMap<Long, Long> reference = new TreeMap<>();
            for (int i = 0; i < 3_000; i++) {
                long key = r.nextInt(1_000_000);
                long value = r.nextLong(Long.MAX_VALUE);
                reference.put(key, value);
                map.put(key, value);
            }
            for (int step = 0; step < 3_000; step++) {
                long from = r.nextInt(1_100_000) - 50_000;
                long to = from + (r.nextInt(4) == 0 ? r.nextInt(400_000) : r.nextInt(3_000));
                if (r.nextBoolean() || reference.subMap(from, to).isEmpty()) {
                    // put a run into [from, to) where no key lies
                    reference.subMap(from, to).keySet().forEach(map::remove);
                    reference.subMap(from, to).clear();
                    int n = to > from ? r.nextInt((int) Math.min(600, to - from)) : 0;
                    long[] keys = n == 0
                            ? new long[0]
                            : r.longs(n, from, to).sorted().distinct().toArray();
                    long[] values = r.longs(keys.length, 0, Long.MAX_VALUE).toArray();
                    map.putRun(keys, values, keys.length);
                    for (int i = 0; i < keys.length; i++) {
                        reference.put(keys[i], values[i]);
                    }
                } else {
                    List<Long> drained = new ArrayList<>();
                    int count = map.drainRange(from, to, (k, v) -> {
                        assertEquals((long) reference.get(k), v, "drained " + k);
                        drained.add(k);
                    });
                    assertEquals(new ArrayList<>(reference.subMap(from, to).keySet()), drained);
                    assertEquals(drained.size(), count);
                    reference.subMap(from, to).clear();
                }
                long probe = r.nextInt(1_100_000) - 50_000;
                int after = r.nextInt(300);
                Long expected = reference.ceilingKey(probe);
                for (int i = 0; i < after && expected != null; i++) {
                    expected = reference.higherKey(expected);
                }
                assertEquals(expected == null ? Long.MAX_VALUE : expected, map.keyAfter(probe, after), "keyAfter");
                if (step % 300 == 0) {
                    assertSame(reference, map);
                }
            }
            assertSame(reference, map);
            assertEquals(reference.size(), map.drainRange(Long.MIN_VALUE, Long.MAX_VALUE, null));
            assertEquals(0, map.size());
            assertTrue(map.checkInvariants());
        }
    }

    @Test
    void aRunOverAnExistingKeyIsRefused() {
        SortedLongLongMap map = new SortedLongLongMap();
        map.put(10, 1);
        map.put(20, 2);
        assertThrows(
                IllegalArgumentException.class, () -> map.putRun(new long[] {15, 20, 25}, new long[] {1, 2, 3}, 3));
        assertEquals(2, map.size());
        map.putRun(new long[] {11, 12}, new long[] {5, 6}, 2);
        assertEquals(List.of(10L, 11L, 12L, 20L), keys(map));
    }

    private static List<Long> keys(SortedLongLongMap map) {
        List<Long> keys = new ArrayList<>();
        map.forEach((k, v) -> keys.add(k));
        return keys;
    }

    private static void assertSame(TreeMap<Long, Long> reference, SortedLongLongMap map) {
        assertTrue(map.checkInvariants());
        assertEquals(reference.size(), map.size());
        for (Map.Entry<Long, Long> e : reference.entrySet()) {
            assertEquals((long) e.getValue(), map.get(e.getKey()), "get " + e.getKey());
        }
        List<Long> seen = new ArrayList<>();
        map.forEach((k, v) -> {
            assertEquals((long) reference.get(k), v);
            seen.add(k);
        });
        assertEquals(new ArrayList<>(reference.keySet()), seen);
        if (!reference.isEmpty()) {
            assertEquals(reference.firstKey(), map.firstKey());
            SplittableRandom r = new SplittableRandom(reference.size());
            for (int i = 0; i < 200; i++) {
                long probe = reference.firstKey() - 5 + r.nextLong(reference.lastKey() - reference.firstKey() + 10);
                Long floor = reference.floorKey(probe);
                assertEquals(floor == null ? Long.MIN_VALUE : floor, map.floorKey(probe), "floorKey " + probe);
            }
            int min = r.nextInt(Integer.MAX_VALUE);
            long best = Long.MIN_VALUE;
            long bestValue = Long.MAX_VALUE;
            int seenCount = 0;
            for (Map.Entry<Long, Long> e : reference.entrySet()) {
                if (seenCount++ == 16) {
                    break;
                }
                if (e.getValue() >= min && e.getValue() < bestValue) {
                    best = e.getKey();
                    bestValue = e.getValue();
                }
            }
            assertEquals(best, map.bestFitAmongFirst(16, min));
        }
    }
}
