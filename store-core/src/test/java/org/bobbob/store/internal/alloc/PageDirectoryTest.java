package org.bobbob.store.internal.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageDirectoryTest {
    /** Pages "p10", "p20", ... starting at 10, 20, ...: {@code n} of them, appended in order. */
    private static PageDirectory<String> directory(int n) {
        PageDirectory<String> d = new PageDirectory<>();
        for (int i = 1; i <= n; i++) {
            d.insert(d.count(), "p" + i * 10, i * 10L);
        }
        return d;
    }

    /** The directory's pages and first keys, in order, as "page@firstKey". */
    private static List<String> contents(PageDirectory<String> d) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < d.count(); p++) {
            out.add(d.page(p) + "@" + d.firstKey(p));
        }
        return out;
    }

    @Test
    void pageForOnAnEmptyDirectoryIsMinusOne() {
        PageDirectory<String> d = new PageDirectory<>();
        assertEquals(0, d.count());
        assertEquals(-1, d.pageFor(0));
        assertEquals(-1, d.pageFor(Long.MIN_VALUE));
        assertEquals(-1, d.pageFor(Long.MAX_VALUE));
    }

    @Test
    void pageForFindsTheLastPageStartingAtOrBelowTheKey() {
        PageDirectory<String> d = directory(7); // 10, 20, ..., 70
        // before the first page
        assertEquals(-1, d.pageFor(9));
        assertEquals(-1, d.pageFor(Long.MIN_VALUE));
        for (int p = 0; p < 7; p++) {
            long first = (p + 1) * 10L;
            assertEquals(p, d.pageFor(first), "exact first key " + first);
            if (p < 6) {
                assertEquals(p, d.pageFor(first + 1), "just above " + first);
                assertEquals(p, d.pageFor(first + 9), "just below the next page, " + (first + 10));
            }
        }
        // after the last page's first key
        assertEquals(6, d.pageFor(71));
        assertEquals(6, d.pageFor(Long.MAX_VALUE));
    }

    @Test
    void pageForWithOnePage() {
        PageDirectory<String> d = directory(1);
        assertEquals(-1, d.pageFor(9));
        assertEquals(0, d.pageFor(10));
        assertEquals(0, d.pageFor(Long.MAX_VALUE));
    }

    @Test
    void pageForHandlesNegativeAndExtremeFirstKeys() {
        PageDirectory<String> d = new PageDirectory<>();
        d.insert(0, "min", Long.MIN_VALUE); // an empty first page, as SortedLongLongMap makes
        d.insert(1, "neg", -5);
        d.insert(2, "max", Long.MAX_VALUE);
        assertEquals(0, d.pageFor(Long.MIN_VALUE));
        assertEquals(0, d.pageFor(-6));
        assertEquals(1, d.pageFor(-5));
        assertEquals(1, d.pageFor(Long.MAX_VALUE - 1));
        assertEquals(2, d.pageFor(Long.MAX_VALUE));
    }

    /**
     * {@code pageFor} interpolates before it bisects: on first keys spread evenly, in clusters,
     * with gaps growing exponentially, with repeats, and over the whole range of {@code long}, it
     * finds what a scan of every page finds, for keys at, between and outside the first keys.
     */
    @Test
    void pageForAgreesWithAScanWhateverTheSpreadOfTheFirstKeys() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int shape = 0; shape < 5; shape++) {
            for (int round = 0; round < 40; round++) {
                int n = 1 + r.nextInt(600);
                long[] keys = new long[n];
                long k = shape == 4 ? Long.MIN_VALUE + r.nextInt(10) : r.nextLong(-1000, 1000);
                for (int i = 0; i < n; i++) {
                    keys[i] = k;
                    long gap =
                            switch (shape) {
                                case 0 -> 500 + r.nextInt(100); // even
                                case 1 ->
                                    r.nextInt(8) == 0 ? 1_000_000 + r.nextInt(1_000_000) : 1 + r.nextInt(3); // clusters
                                case 2 -> 1L << Math.min(40, i / 12); // growing exponentially
                                case 3 -> r.nextInt(3); // repeats
                                default -> i == n - 2 ? Long.MAX_VALUE / 2 : r.nextLong(1L << 40); // extremes
                            };
                    k = k + gap < k ? Long.MAX_VALUE : k + gap;
                }
                PageDirectory<String> d = new PageDirectory<>();
                for (int i = 0; i < n; i++) {
                    d.insert(i, "p" + i, keys[i]);
                }
                for (int probe = 0; probe < 200; probe++) {
                    long key =
                            switch (probe % 4) {
                                case 0 -> keys[r.nextInt(n)];
                                case 1 -> keys[r.nextInt(n)] - 1;
                                case 2 -> keys[r.nextInt(n)] + 1;
                                default -> r.nextLong();
                            };
                    int expected = -1;
                    for (int i = 0; i < n; i++) {
                        if (keys[i] <= key) {
                            expected = i;
                        }
                    }
                    assertEquals(expected, d.pageFor(key), "shape " + shape + ", key " + key);
                }
            }
        }
    }

    @Test
    void insertsAtFrontMiddleAndEndGrowingPastTheInitialCapacity() {
        PageDirectory<String> d = new PageDirectory<>();
        long initial = d.footprintBytes();
        d.insert(0, "p50", 50); // [50]
        d.insert(1, "p90", 90); // end: [50, 90]
        d.insert(0, "p10", 10); // front: [10, 50, 90]
        d.insert(1, "p30", 30); // middle: [10, 30, 50, 90]: full at the initial capacity, 4
        assertEquals(initial, d.footprintBytes());
        d.insert(4, "p110", 110); // end, growing
        d.insert(0, "p0", 0); // front
        d.insert(4, "p70", 70); // middle
        d.insert(3, "p40", 40); // middle: 8, full again
        d.insert(0, "p-10", -10); // front, growing again
        d.insert(9, "p130", 130); // end
        assertEquals(
                List.of(
                        "p-10@-10",
                        "p0@0",
                        "p10@10",
                        "p30@30",
                        "p40@40",
                        "p50@50",
                        "p70@70",
                        "p90@90",
                        "p110@110",
                        "p130@130"),
                contents(d));
        assertEquals(10, d.count());
        assertTrue(d.footprintBytes() > initial, "grown: " + d.footprintBytes());
        assertEquals(-1, d.pageFor(-11));
        assertEquals(0, d.pageFor(-1));
        assertEquals(3, d.pageFor(35));
        assertEquals(6, d.pageFor(89));
        assertEquals(9, d.pageFor(1_000));
    }

    @Test
    void growsToManyPages() {
        PageDirectory<String> d = new PageDirectory<>();
        int n = 1_000;
        for (int i = n - 1; i >= 0; i--) { // every insert at the front
            d.insert(0, "p" + i, i * 2L);
        }
        assertEquals(n, d.count());
        for (int i = 0; i < n; i++) {
            assertEquals("p" + i, d.page(i));
            assertEquals(i * 2L, d.firstKey(i));
            assertEquals(i, d.pageFor(i * 2L));
            assertEquals(i, d.pageFor(i * 2L + 1));
        }
        // 4 doubled to 1024 pages: 24 + (16 + 1024 * 4) + (16 + 1024 * 8)
        assertEquals(24 + 16 + 1024 * 4 + 16 + 1024 * 8, d.footprintBytes());
    }

    @Test
    void removesAtEachPosition() {
        for (int at = 0; at < 6; at++) {
            PageDirectory<String> d = directory(6); // 10, ..., 60
            List<String> expected = new ArrayList<>(contents(d));
            d.remove(at);
            expected.remove(at);
            assertEquals(expected, contents(d), "remove " + at);
            assertEquals(5, d.count());
            long gone = (at + 1) * 10L;
            assertEquals(at - 1, d.pageFor(gone), "the removed page's first key now falls below");
            for (int p = 0; p < d.count(); p++) {
                assertEquals(p, d.pageFor(d.firstKey(p)));
            }
        }
    }

    @Test
    void removesDownToEmptyAndRefills() {
        PageDirectory<String> d = directory(5);
        d.remove(4); // last
        d.remove(0); // first
        d.remove(1); // middle: [20, 40]
        assertEquals(List.of("p20@20", "p40@40"), contents(d));
        d.remove(1);
        d.remove(0);
        assertEquals(0, d.count());
        assertEquals(-1, d.pageFor(20));
        d.insert(0, "again", 7);
        assertEquals(List.of("again@7"), contents(d));
        assertEquals(0, d.pageFor(7));
    }

    @Test
    void setFirstKeyMovesWherePageForSplits() {
        PageDirectory<String> d = directory(3); // 10, 20, 30
        d.setFirstKey(1, 25); // page 1 lost its smallest key
        assertEquals(25, d.firstKey(1));
        assertEquals(0, d.pageFor(24));
        assertEquals(1, d.pageFor(25));
        d.setFirstKey(0, 5); // page 0 took a smaller key
        assertEquals(0, d.pageFor(5));
        assertEquals(-1, d.pageFor(4));
    }

    @Test
    void clearEmptiesAndShrinks() {
        PageDirectory<String> d = new PageDirectory<>();
        long initial = d.footprintBytes();
        assertEquals(24 + 16 + 4 * 4 + 16 + 4 * 8, initial);
        for (int i = 0; i < 100; i++) {
            d.insert(i, "p" + i, i);
        }
        d.clear();
        assertEquals(0, d.count());
        assertEquals(-1, d.pageFor(50));
        assertEquals(initial, d.footprintBytes());
        d.insert(0, "p1", 1);
        assertEquals(List.of("p1@1"), contents(d));
    }

    /** A run of pages replaced by fewer, as many, more (growing past the capacity), or none. */
    @Test
    void replacesARunOfPagesByAnyNumber() {
        PageDirectory<String> d = directory(4); // p10 p20 p30 p40
        d.replace(1, 2, new String[] {"q21"}, new long[] {21}, 1); // fewer
        assertEquals(List.of("p10@10", "q21@21", "p40@40"), contents(d));
        d.replace(0, 1, new String[] {"q5", "q8"}, new long[] {5, 8}, 2); // more, at the front
        assertEquals(List.of("q5@5", "q8@8", "q21@21", "p40@40"), contents(d));
        String[] many = {"r41", "r42", "r43", "r44", "r45", "unused"};
        d.replace(4, 0, many, new long[] {41, 42, 43, 44, 45, 0}, 5); // none removed, at the end, growing
        assertEquals(
                List.of("q5@5", "q8@8", "q21@21", "p40@40", "r41@41", "r42@42", "r43@43", "r44@44", "r45@45"),
                contents(d));
        assertEquals(6, d.pageFor(43));
        d.replace(2, 7, new String[0], new long[0], 0); // none put: the tail dropped
        assertEquals(List.of("q5@5", "q8@8"), contents(d));
        assertEquals(1, d.pageFor(1_000));
    }
}
