package org.bobbob.store.internal.alloc;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * A sorted map from {@code long} keys to non-negative {@code long} values, about 16 bytes an
 * entry: the holes of the {@link FileSpace}, offset → length. (The {@link ExtentAllocator}'s
 * objects are in an {@link ExtentMap}, the same layout with narrower columns.)
 *
 * <h2>Why not a hash map</h2>
 * An open-addressing table of {@code long} key and value pairs costs 16 bytes a slot, and with
 * its power-of-two capacity kept at most 3/4 full it costs 21–43 bytes an entry (42 at 100 000
 * entries). Ids here are offsets handed out mostly in rising order (a growing file), and the
 * metadata record is written and read in offset order, so a sorted layout is both denser and
 * cheaper to build: loading a store is appending.
 *
 * <h2>Layout</h2>
 * Entries are kept in key order in <em>pages</em> of at most {@value #MAX_PAGE} entries, each a
 * {@code long[]} of keys and a {@code long[]} of values; a {@link PageDirectory} holds the pages
 * with each one's smallest key.
 * <pre>
 *   firstKeys: [  k0  |  k256   |  k512   ]        binary search: the last page whose first key <= key
 *   pages:     [page0 |  page1  |  page2  ]        binary search inside that page
 * </pre>
 * <ol>
 *   <li><b>Append</b> (a key above every key, the common case): into the last page, growing its
 *       arrays by half; a full last page starts a new one. A store filled in file order therefore
 *       holds full pages: 16 bytes an entry plus the last page's slack.
 *   <li><b>Insert</b> in the middle (an object in a reused hole): shift the page's tail up by one;
 *       a full page is first split in two halves, each trimmed to its entries plus some room.
 *   <li><b>Remove</b>: shift the tail down. An empty page is dropped; a page below a quarter full
 *       is merged into a neighbour when both fit in half a page, and its arrays shrink when a
 *       quarter used, so churn cannot leave the map much larger than its entries.
 *   <li><b>Ranges</b> ({@link #drainRange}, {@link #putRun}): the pages that hold the range's
 *       keys are rebuilt at once, three quarters full, from their entries outside the range and
 *       the run put: one copy of a few pages instead of one shift per entry.
 * </ol>
 * Lookups cost two binary searches, about {@code log2(n)} probes.
 *
 * <p>Not thread-safe: the store mutates it under its allocation lock. A reader racing a writer
 * (the store's optimistic reads) may see a wrong answer or a {@link RuntimeException} such as
 * {@link ArrayIndexOutOfBoundsException}, but never loops forever: every search is bounded by
 * the length of an array it holds. The store validates its optimistic stamp afterwards and
 * retries under the lock.
 */
public final class SortedLongLongMap {
    /**
     * Most entries in one page. 256 × 16 B = 4 KiB: a shift moves at most that. A
     * {@link FileSpace} refilling holes removes and inserts entries all over its maps; with
     * 2048-entry pages the shifts were most of an allocation's cost.
     */
    static final int MAX_PAGE = 256;

    private static final int MIN_CAPACITY = 16;

    /** Receives the entries in key order. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long key, long value);
    }

    private static final class Page {
        long[] keys;
        long[] values;
        int count;

        Page(int capacity) {
            keys = new long[capacity];
            values = new long[capacity];
        }

        void resize(int capacity) {
            keys = Arrays.copyOf(keys, capacity);
            values = Arrays.copyOf(values, capacity);
        }

        /** Index of {@code key}, or {@code -(insertion point) - 1}. */
        int search(long key) {
            long[] k = keys;
            int lo = 0;
            int hi = Math.min(count, k.length) - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long m = k[mid];
                if (m < key) {
                    lo = mid + 1;
                } else if (m > key) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }
    }

    private final PageDirectory<Page> pages = new PageDirectory<>();
    private int size;

    /** Entries in the map. */
    public int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    public long get(long key) {
        long at = find(key);
        return at < 0 ? -1 : pages.page((int) (at >>> 32)).values[(int) at];
    }

    /** Where {@code key} is: its page in the high word, its index in the page in the low; -1 if absent. */
    private long find(long key) {
        int p = pages.pageFor(key);
        if (p < 0) {
            return -1;
        }
        int i = pages.page(p).search(key);
        return i < 0 ? -1 : (long) p << 32 | i;
    }

    /** The smallest key; the map must not be empty. */
    public long firstKey() {
        if (size == 0) {
            throw new NoSuchElementException("empty map");
        }
        return pages.page(0).keys[0];
    }

    /** Removes every entry. */
    public void clear() {
        pages.clear();
        size = 0;
    }

    /** The greatest key at most {@code key}, or {@link Long#MIN_VALUE} if there is none. */
    public long floorKey(long key) {
        int p = pages.pageFor(key);
        if (p < 0) {
            return Long.MIN_VALUE;
        }
        Page page = pages.page(p);
        int i = page.search(key);
        return i >= 0 ? key : page.keys[-i - 2]; // the page's first key is at most key: -i - 2 >= 0
    }

    /**
     * Among the first {@code scanLimit} entries in key order, the key of the one with the smallest
     * value at least {@code min} (the lowest key on a tie), or {@link Long#MIN_VALUE} if none of them
     * has such a value. A bounded best-fit search.
     */
    public long bestFitAmongFirst(int scanLimit, int min) {
        return bestFit(0, 0, Long.MAX_VALUE, scanLimit, min);
    }

    /**
     * The key in {@code [from, to)} whose value is the smallest one at least {@code min} (the
     * lowest key on a tie), or {@link Long#MIN_VALUE} if no key there has such a value. A
     * best-fit search bounded by keys instead of by count.
     */
    public long bestFitWithin(long from, long to, int min) {
        int p = Math.max(0, pages.pageFor(from));
        if (p >= pages.count()) {
            return Long.MIN_VALUE;
        }
        int i = pages.page(p).search(from);
        return bestFit(p, i >= 0 ? i : -i - 1, to, Integer.MAX_VALUE, min);
    }

    /** The best fit for {@code min} from entry {@code i} of page {@code p} on, up to key {@code to} or {@code scanLimit} entries. */
    private long bestFit(int firstPage, int firstIndex, long to, int scanLimit, int min) {
        long bestKey = Long.MIN_VALUE;
        long bestValue = Long.MAX_VALUE;
        int seen = 0;
        for (int p = firstPage, i = firstIndex; p < pages.count(); p++, i = 0) {
            Page page = pages.page(p);
            for (; i < page.count; i++) {
                if (page.keys[i] >= to) {
                    return bestKey;
                }
                long v = page.values[i];
                if (v >= min && v < bestValue) {
                    bestKey = page.keys[i];
                    bestValue = v;
                    if (v == min) {
                        return bestKey;
                    }
                }
                if (++seen == scanLimit) {
                    return bestKey;
                }
            }
        }
        return bestKey;
    }

    /** The least key at least {@code key}, or {@link Long#MIN_VALUE} if there is none. */
    public long ceilingKey(long key) {
        int p = Math.max(0, pages.pageFor(key));
        for (; p < pages.count(); p++) {
            Page page = pages.page(p);
            int i = page.search(key);
            i = i >= 0 ? i : -i - 1;
            if (i < page.count) {
                return page.keys[i];
            }
        }
        return Long.MIN_VALUE;
    }

    /** The greatest key; the map must not be empty. */
    public long lastKey() {
        if (size == 0) {
            throw new NoSuchElementException("empty map");
        }
        Page last = pages.page(pages.count() - 1);
        return last.keys[last.count - 1];
    }

    /**
     * Gives the entry of {@code key} the key {@code newKey} and the value {@code value} in place:
     * nothing shifts. No other key may lie in {@code (key, newKey]}, so the entry keeps its
     * position (a hole whose front is taken: its rest starts further on, before any other hole).
     *
     * @return the old value, or -1 if {@code key} was absent (then nothing changes)
     * @throws IllegalArgumentException if {@code newKey <= key}, or another key lies in
     *     {@code (key, newKey]}
     */
    public long moveUp(long key, long newKey, long value) {
        assert value >= 0 : "moveUp(" + key + ", " + newKey + ", " + value + ")";
        long at = find(key);
        if (at < 0) {
            return -1;
        }
        int p = (int) (at >>> 32);
        int i = (int) at;
        Page page = pages.page(p);
        long next = i + 1 < page.count
                ? page.keys[i + 1]
                : p + 1 < pages.count() ? pages.page(p + 1).keys[0] : Long.MAX_VALUE;
        if (newKey <= key || newKey >= next) {
            throw new IllegalArgumentException(
                    "moveUp(" + key + ", " + newKey + "): the key must rise and stay below the next, " + next);
        }
        long old = page.values[i];
        page.keys[i] = newKey;
        page.values[i] = value;
        if (i == 0) {
            pages.setFirstKey(p, newKey);
        }
        return old;
    }

    /**
     * Sets {@code key} to {@code value}.
     *
     * @return the old value, or -1 if the key was absent
     */
    public long put(long key, long value) {
        assert value >= 0 : "put(" + key + ", " + value + ")";
        if (pages.count() == 0) {
            pages.insert(0, new Page(MIN_CAPACITY), Long.MIN_VALUE);
        }
        Page last = pages.page(pages.count() - 1);
        if (last.count > 0 && key > last.keys[last.count - 1]) {
            append(last, key, value);
            return -1;
        }
        int p = Math.max(0, pages.pageFor(key));
        Page page = pages.page(p);
        int i = page.search(key);
        if (i >= 0) {
            long old = page.values[i];
            page.values[i] = value;
            return old;
        }
        int at = -i - 1;
        if (page.count == MAX_PAGE) {
            Page upper = split(p);
            if (at > page.count) {
                page = upper;
                at -= pages.page(p).count;
                p++;
            }
        } else if (page.count == page.keys.length) {
            page.resize(grown(page.keys.length));
        }
        System.arraycopy(page.keys, at, page.keys, at + 1, page.count - at);
        System.arraycopy(page.values, at, page.values, at + 1, page.count - at);
        page.keys[at] = key;
        page.values[at] = value;
        page.count++;
        pages.setFirstKey(p, page.keys[0]);
        size++;
        return -1;
    }

    private void append(Page last, long key, long value) {
        if (last.count == MAX_PAGE) {
            // Appends that filled a page will most likely fill the next: take it whole at once.
            last = new Page(MAX_PAGE);
            pages.insert(pages.count(), last, Long.MIN_VALUE);
        } else if (last.count == last.keys.length) {
            last.resize(grown(last.keys.length));
        }
        last.keys[last.count] = key;
        last.values[last.count] = value;
        if (last.count == 0) {
            pages.setFirstKey(pages.count() - 1, key);
        }
        last.count++;
        size++;
    }

    private static int grown(int capacity) {
        return Math.min(MAX_PAGE, capacity + (capacity >> 1) + MIN_CAPACITY);
    }

    /** Moves the upper half of full page {@code p} into a new page after it; returns that page. */
    private Page split(int p) {
        Page page = pages.page(p);
        int keep = page.count / 2;
        int moved = page.count - keep;
        Page upper = new Page(moved + moved / 4);
        System.arraycopy(page.keys, keep, upper.keys, 0, moved);
        System.arraycopy(page.values, keep, upper.values, 0, moved);
        upper.count = moved;
        page.count = keep;
        page.resize(keep + keep / 4 + 1);
        pages.insert(p + 1, upper, upper.keys[0]);
        return upper;
    }

    /**
     * Sets the value of {@code key} if it is present, changing nothing else: no entry moves, so
     * it may run beside readers and beside other replacements of other keys.
     *
     * @return whether {@code key} was present
     */
    public boolean replace(long key, long value) {
        long at = find(key);
        if (at < 0) {
            return false;
        }
        pages.page((int) (at >>> 32)).values[(int) at] = value;
        return true;
    }

    /**
     * Removes {@code key}.
     *
     * @return its value, or -1 if it was absent
     */
    public long remove(long key) {
        long at = find(key);
        if (at < 0) {
            return -1;
        }
        int p = (int) (at >>> 32);
        int i = (int) at;
        Page page = pages.page(p);
        long old = page.values[i];
        System.arraycopy(page.keys, i + 1, page.keys, i, page.count - i - 1);
        System.arraycopy(page.values, i + 1, page.values, i, page.count - i - 1);
        page.count--;
        size--;
        if (page.count == 0) {
            pages.remove(p);
            return old;
        }
        pages.setFirstKey(p, page.keys[0]);
        if (page.count < MAX_PAGE / 4 && !mergeIntoNeighbour(p) && page.count < page.keys.length / 4) {
            page.resize(Math.max(MIN_CAPACITY, page.count * 2));
        }
        return old;
    }

    /** Merges sparse page {@code p} with a neighbour if both fit in half a page. */
    private boolean mergeIntoNeighbour(int p) {
        int lower = p > 0 && pages.page(p - 1).count + pages.page(p).count <= MAX_PAGE / 2
                ? p - 1
                : p + 1 < pages.count() && pages.page(p).count + pages.page(p + 1).count <= MAX_PAGE / 2 ? p : -1;
        if (lower < 0) {
            return false;
        }
        Page a = pages.page(lower);
        Page b = pages.page(lower + 1);
        int total = a.count + b.count;
        if (a.keys.length < total) {
            a.resize(total + total / 4);
        }
        System.arraycopy(b.keys, 0, a.keys, a.count, b.count);
        System.arraycopy(b.values, 0, a.values, a.count, b.count);
        a.count = total;
        pages.remove(lower + 1);
        return true;
    }

    /**
     * The key {@code count} entries after the least key at least {@code from} (that key itself for
     * {@code count} 0), or {@link Long#MAX_VALUE} if there are not that many.
     */
    public long keyAfter(long from, int count) {
        int p = Math.max(0, pages.pageFor(from));
        if (p >= pages.count()) {
            return Long.MAX_VALUE;
        }
        int i = pages.page(p).search(from);
        int skip = (i >= 0 ? i : -i - 1) + count;
        for (; p < pages.count(); p++) {
            Page page = pages.page(p);
            if (skip < page.count) {
                return page.keys[skip];
            }
            skip -= page.count;
        }
        return Long.MAX_VALUE;
    }

    /**
     * Removes every entry whose key lies in {@code [from, to)}, handing each to {@code removed} in
     * key order (which must not change this map).
     *
     * @return how many were removed
     */
    public int drainRange(long from, long to, EntryConsumer removed) {
        return replaceRange(from, to, null, null, 0, removed);
    }

    /**
     * Puts the first {@code n} entries of {@code keys} (ascending) and {@code values}; no key of
     * this map may lie in {@code [keys[0], keys[n - 1]]}.
     *
     * @throws IllegalArgumentException if one does (then nothing changes)
     */
    public void putRun(long[] keys, long[] values, int n) {
        if (n > 0) {
            long next = ceilingKey(keys[0]);
            if (next != Long.MIN_VALUE && next <= keys[n - 1]) {
                throw new IllegalArgumentException(
                        "key " + next + " lies among the run's [" + keys[0] + ", " + keys[n - 1] + "]");
            }
            replaceRange(keys[0], keys[n - 1] + 1, keys, values, n, null);
        }
    }

    /**
     * Removes the entries of {@code [from, to)} (handing each to {@code removed}) and puts the run
     * {@code rk}/{@code rv} (ascending, every key in the range) in their place: the pages that may
     * hold keys of the range are rebuilt from what stays and the run, three quarters full.
     */
    private int replaceRange(long from, long to, long[] rk, long[] rv, int rn, EntryConsumer removed) {
        int p0 = 0;
        int p1 = -1;
        if (pages.count() > 0) {
            p0 = Math.max(0, pages.pageFor(from));
            p1 = Math.max(p0, pages.pageFor(to - 1));
        }
        int drainedInPlace = p0 == p1 ? replaceInPage(p0, from, to, rk, rv, rn, removed) : -1;
        if (drainedInPlace >= 0) {
            return drainedInPlace;
        }
        int old = 0;
        for (int p = p0; p <= p1; p++) {
            old += pages.page(p).count;
        }
        long[] k = new long[old + rn];
        long[] v = new long[old + rn];
        int t = 0;
        int drained = 0;
        boolean runPut = false;
        for (int p = p0; p <= p1; p++) {
            Page page = pages.page(p);
            for (int i = 0; i < page.count; i++) {
                long key = page.keys[i];
                if (key >= from && !runPut) {
                    System.arraycopy(rk == null ? k : rk, 0, k, t, rn);
                    System.arraycopy(rv == null ? v : rv, 0, v, t, rn);
                    t += rn;
                    runPut = true;
                }
                if (key >= from && key < to) {
                    drained++;
                    if (removed != null) {
                        removed.accept(key, page.values[i]);
                    }
                } else {
                    k[t] = key;
                    v[t++] = page.values[i];
                }
            }
        }
        if (!runPut && rn > 0) {
            System.arraycopy(rk, 0, k, t, rn);
            System.arraycopy(rv, 0, v, t, rn);
            t += rn;
        }
        if (drained == 0 && rn == 0) {
            return 0;
        }
        int fill = MAX_PAGE * 3 / 4;
        int made = (t + fill - 1) / fill;
        Page[] built = new Page[made];
        long[] firsts = new long[made];
        for (int j = 0, at = 0; j < made; j++) {
            int c = (t - at) / (made - j);
            Page page = new Page(Math.min(MAX_PAGE, Math.max(MIN_CAPACITY, c + c / 4)));
            System.arraycopy(k, at, page.keys, 0, c);
            System.arraycopy(v, at, page.values, 0, c);
            page.count = c;
            built[j] = page;
            firsts[j] = page.keys[0];
            at += c;
        }
        pages.replace(p0, p1 - p0 + 1, built, firsts, made);
        size += rn - drained;
        return drained;
    }

    /**
     * {@link #replaceRange} within page {@code p}, in place, when it is the one page the range
     * touches and the result fits in it (the common case: a range smaller than a page). Returns how
     * many entries it removed, or -1 if the result does not fit (then nothing changed).
     */
    private int replaceInPage(int p, long from, long to, long[] rk, long[] rv, int rn, EntryConsumer removed) {
        Page page = pages.page(p);
        int i0 = page.search(from);
        i0 = i0 >= 0 ? i0 : -i0 - 1;
        int i1 = page.search(to);
        i1 = i1 >= 0 ? i1 : -i1 - 1;
        int drained = i1 - i0;
        int count = page.count - drained + rn;
        if (count > MAX_PAGE) {
            return -1;
        }
        for (int i = i0; removed != null && i < i1; i++) {
            removed.accept(page.keys[i], page.values[i]);
        }
        if (count == 0) {
            pages.remove(p);
        } else {
            if (count > page.keys.length) {
                page.resize(Math.min(MAX_PAGE, count + count / 4));
            }
            System.arraycopy(page.keys, i1, page.keys, i0 + rn, page.count - i1);
            System.arraycopy(page.values, i1, page.values, i0 + rn, page.count - i1);
            if (rn > 0) {
                System.arraycopy(rk, 0, page.keys, i0, rn);
                System.arraycopy(rv, 0, page.values, i0, rn);
            }
            page.count = count;
            pages.setFirstKey(p, page.keys[0]);
        }
        size += rn - drained;
        return drained;
    }

    /** Calls {@code action} for every entry, in key order. */
    public void forEach(EntryConsumer action) {
        for (int p = 0; p < pages.count(); p++) {
            Page page = pages.page(p);
            for (int i = 0; i < page.count; i++) {
                action.accept(page.keys[i], page.values[i]);
            }
        }
    }

    /** Heap bytes held: object headers, arrays and their slack. */
    public long footprintBytes() {
        // object: header 12, a reference, size: 24
        long bytes = 24 + pages.footprintBytes();
        for (int p = 0; p < pages.count(); p++) {
            Page page = pages.page(p);
            bytes += 24 + 16 + page.keys.length * 8L + 16 + page.values.length * 8L;
        }
        return bytes;
    }

    /** Checks the invariants (for tests and assertions): sorted, page sizes, first keys, count. */
    boolean checkInvariants() {
        int total = 0;
        long prev = Long.MIN_VALUE;
        boolean any = false;
        for (int p = 0; p < pages.count(); p++) {
            Page page = pages.page(p);
            if (page.count <= 0
                    || page.count > MAX_PAGE
                    || page.count > page.keys.length
                    || page.keys.length != page.values.length) {
                throw new AssertionError("page " + p + " holds " + page.count + " of " + page.keys.length);
            }
            if (pages.firstKey(p) != page.keys[0]) {
                throw new AssertionError(
                        "page " + p + " first key " + pages.firstKey(p) + " but holds " + page.keys[0]);
            }
            for (int i = 0; i < page.count; i++) {
                if (any && page.keys[i] <= prev) {
                    throw new AssertionError("key " + page.keys[i] + " after " + prev);
                }
                prev = page.keys[i];
                any = true;
            }
            total += page.count;
        }
        if (total != size) {
            throw new AssertionError("size " + size + " but pages hold " + total);
        }
        return true;
    }

    @Override
    public String toString() {
        return "SortedLongLongMap[" + size + " entries in " + pages.count() + " pages, " + footprintBytes() + " bytes]";
    }
}
