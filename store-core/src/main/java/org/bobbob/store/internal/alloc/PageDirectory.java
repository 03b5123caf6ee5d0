package org.bobbob.store.internal.alloc;

import java.util.Arrays;

/**
 * The page directory of a paged sorted map ({@link SortedLongLongMap}, {@link ExtentMap}): its
 * pages in key order and, in a parallel {@code long[]}, each page's first key. {@link #pageFor}
 * searches the first keys (an interpolated guess, then a bisection) for the last page starting at
 * or below a key; inserting or
 * removing a page shifts both arrays' tails by one, and a full directory doubles them. What a page
 * holds, and what its first key is, is the map's business: the directory stores the key it is given.
 *
 * <p>Not thread-safe: a map changes it under its own rules. A reader racing a writer may see a
 * wrong answer or a {@link RuntimeException}, but never loops forever: {@link #pageFor} is bounded
 * by the length of the array it reads.
 *
 * @param <P> the page type
 */
final class PageDirectory<P> {
    private static final int INITIAL_CAPACITY = 4;

    private P[] pages;
    private long[] firstKeys;
    private int count;

    /** An empty directory with room for {@value #INITIAL_CAPACITY} pages. */
    PageDirectory() {
        clear();
    }

    @SuppressWarnings("unchecked") // holds only Ps and never hands out the array
    private static <P> P[] newArray(int capacity) {
        return (P[]) new Object[capacity];
    }

    /** Pages held. */
    int count() {
        return count;
    }

    /** Page {@code p}, in key order. */
    P page(int p) {
        return pages[p];
    }

    /** Page {@code p}'s first key, as last set. */
    long firstKey(int p) {
        return firstKeys[p];
    }

    /** Records that page {@code p} now starts at {@code key}; its place in the order must not change. */
    void setFirstKey(int p, long key) {
        firstKeys[p] = key;
    }

    /**
     * The last page whose first key is at most {@code key}, or -1 if there is none.
     *
     * <p>Interpolates first: where the key would lie if the first keys were evenly spread between
     * the first and the last (pages filled in key order are nearly so: a file's objects, its holes),
     * then doubles its steps from that guess until the key is bracketed, then bisects the bracket.
     * A look-up in 400 pages so probes 2–4 first keys instead of 9, each a likely cache miss on a
     * random read; on keys spread unevenly it costs at most about twice a bisection's probes.
     */
    int pageFor(long key) {
        long[] f = firstKeys;
        int n = Math.min(count, f.length);
        if (n == 0 || key < f[0]) {
            return -1;
        }
        if (key >= f[n - 1]) {
            return n - 1;
        }
        // f[0] <= key < f[n - 1], so n >= 2; below, f[lo] <= key < f[hi]
        int lo = 0;
        int hi = n - 1;
        int g = interpolate(key, f[0], f[n - 1], n - 1);
        if (f[g] <= key) {
            lo = g;
            for (int step = 1; lo + step < hi; step <<= 1) {
                if (f[lo + step] > key) {
                    hi = lo + step;
                    break;
                }
                lo += step;
            }
        } else {
            hi = g;
            for (int step = 1; hi - step > lo; step <<= 1) {
                if (f[hi - step] <= key) {
                    lo = hi - step;
                    break;
                }
                hi -= step;
            }
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (f[mid] <= key) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Where {@code key} would lie in {@code [0, last]} if the keys from {@code first} to
     * {@code lastKey} were spread evenly: an index in {@code [0, last]} for any arguments (in
     * doubles, so no key difference overflows).
     */
    static int interpolate(long key, long first, long lastKey, int last) {
        double at = ((double) key - (double) first) / ((double) lastKey - (double) first) * last;
        return at >= last ? last : at > 0 ? (int) at : 0; // NaN (lastKey == first) gives 0
    }

    /** Puts {@code page}, starting at {@code firstKey}, at index {@code at} (0 to {@link #count}). */
    void insert(int at, P page, long firstKey) {
        if (count == pages.length) {
            pages = Arrays.copyOf(pages, count * 2);
            firstKeys = Arrays.copyOf(firstKeys, count * 2);
        }
        System.arraycopy(pages, at, pages, at + 1, count - at);
        System.arraycopy(firstKeys, at, firstKeys, at + 1, count - at);
        pages[at] = page;
        firstKeys[at] = firstKey;
        count++;
    }

    /** Drops page {@code at}; the pages after it move down by one. */
    void remove(int at) {
        System.arraycopy(pages, at + 1, pages, at, count - at - 1);
        System.arraycopy(firstKeys, at + 1, firstKeys, at, count - at - 1);
        count--;
        pages[count] = null;
    }

    /**
     * Replaces the {@code removed} pages from index {@code at} on by the first {@code n} of
     * {@code newPages}, starting at the matching {@code newFirstKeys}; the pages after them move.
     */
    void replace(int at, int removed, P[] newPages, long[] newFirstKeys, int n) {
        int after = count - at - removed;
        int newCount = count - removed + n;
        if (newCount > pages.length) {
            int capacity = Math.max(newCount, pages.length * 2);
            pages = Arrays.copyOf(pages, capacity);
            firstKeys = Arrays.copyOf(firstKeys, capacity);
        }
        System.arraycopy(pages, at + removed, pages, at + n, after);
        System.arraycopy(firstKeys, at + removed, firstKeys, at + n, after);
        System.arraycopy(newPages, 0, pages, at, n);
        System.arraycopy(newFirstKeys, 0, firstKeys, at, n);
        for (int p = newCount; p < count; p++) {
            pages[p] = null;
        }
        count = newCount;
    }

    /** Drops every page and shrinks back to the initial capacity. */
    void clear() {
        pages = newArray(INITIAL_CAPACITY);
        firstKeys = new long[INITIAL_CAPACITY];
        count = 0;
    }

    /** Heap bytes of the directory itself (object, both arrays and their slack), not of its pages. */
    long footprintBytes() {
        // object: header 12, 2 references, count: 24
        return 24 + 16 + pages.length * 4L + 16 + firstKeys.length * 8L;
    }
}
