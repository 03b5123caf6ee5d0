package org.bobbob.store.internal.alloc;

import java.util.Arrays;

/**
 * The {@link ExtentAllocator}'s objects by file offset: offset → (check, size, CRC32C), about 12
 * bytes an object. At most one object lies at an offset; a look-up names the offset and the check
 * ({@link ObjectIds}) and finds nothing if the recorded check differs.
 *
 * <h2>Why not a {@link SortedLongLongMap}</h2>
 * That map holds a {@code long} key and a {@code long} value, 16 bytes an entry. Here the key is
 * an offset below 2^44 with an 18-bit check, and the value a 31-bit size and a 32-bit checksum:
 * 125 bits, but some repeat between neighbours: offsets close to each other differ in their low
 * 32 bits only, and objects allocated between two syncs that free something share one generation,
 * so one check (a fresh store, or one filled in a batch, has a single check).
 *
 * <h2>Layout</h2>
 * Objects are kept in offset order in <em>pages</em> of at most {@value #MAX_PAGE}, as in
 * {@link SortedLongLongMap}. A page holds a {@code long base} and parallel arrays:
 * <pre>
 *   field    per object   holds
 *   offs     int (4 B)    offset - base, unsigned: every offset of a page lies in [base, base + 2^32)
 *   values   long (8 B)   the object's size in the high word, the CRC32C of its bytes in the low
 *                         (0: none known); one array, so a look-up reads one line past its search
 *   checks   int (4 B)    its check; no array at all (one {@code int check} for the page) while
 *                         every object of the page has the same check
 * </pre>
 * so a page costs 12 bytes an object while its checks agree, 16 when they differ.
 * A {@link PageDirectory} holds the pages with each one's smallest offset; {@code base} is at
 * most that.
 * <ol>
 *   <li><b>Look-up</b>: a search of the first offsets for the last page starting at or below the
 *       offset, then of that page's {@code offs} for {@code offset - base}, each an interpolated
 *       guess followed by a bisection ({@link PageDirectory#pageFor}); then compare the check.
 *   <li><b>Append</b> (an offset above every other, the common case: a growing file, a store
 *       being read back): into the last page, growing its arrays by half. A new page starts,
 *       with {@code base} = the offset, when the last is full or when the offset lies 2^32 or
 *       more above its base. Pages filled in file order are therefore full (or hold 4 GiB).
 *   <li><b>Insert</b> in the middle (an object in a reused hole): shift the page's tail up by one;
 *       a full page is first split in two halves, both keeping the base (the offsets of each
 *       half still lie within 2^32 of it). The new object's offset fits the page it sorts into
 *       except in two cases: above its last object but 2^32 or more above its base, or below the
 *       first page's base. It then goes to the front of the following (respectively the first)
 *       page if that page spans less than 2^32 with it, moving that page's base down
 *       ({@code offs} rewritten, one pass); else into a page of its own. A check unlike the
 *       page's creates the page's {@code checks} array.
 *   <li><b>Remove</b>: shift the tail down. An empty page is dropped; a page below a quarter
 *       full is merged into a neighbour when both fit in half a page and span less than 2^32
 *       together, and its arrays shrink when a quarter used.
 * </ol>
 *
 * <p>Not thread-safe: the store changes it under its allocation lock. A reader racing a writer
 * (the store's optimistic reads) may see a wrong answer or a {@link RuntimeException} such as
 * {@link ArrayIndexOutOfBoundsException} or {@link NullPointerException}, but never loops forever:
 * every search is bounded by the length of an array it holds. The store validates its optimistic
 * stamp afterwards and retries under the lock. {@link #setCrc} rewrites one element of a
 * {@code values} array (the same size, another CRC32C) and nothing else, so it may run beside
 * readers and beside other {@code setCrc}s of other objects.
 */
final class ExtentMap {
    /**
     * Most objects in one page. 256 × 16 B = 4 KiB: a shift moves at most that. An object placed
     * in a reused hole shifts half a page on average; with 2048-object pages that copy was most of
     * an insert's cost (350–370 ns against 220–300 ns, 50 000 inserts among 50 000 objects), while
     * a look-up costs the same (the directory's extra levels are few and stay in cache).
     */
    static final int MAX_PAGE = 256;
    /** Every offset of a page lies below its base plus this. */
    static final long SPAN = 1L << 32;

    private static final int MIN_CAPACITY = 16;
    private static final long UNSIGNED = 0xFFFFFFFFL;

    /** Receives the objects in offset order. */
    @FunctionalInterface
    interface ExtentConsumer {
        void accept(long offset, int check, int size, int crc);
    }

    private static final class Page {
        /** At most the smallest offset; every offset lies below {@code base + SPAN}. */
        long base;
        /** {@code offset - base}, unsigned, ascending. */
        int[] offs;

        /** Size in the high word, CRC32C in the low. */
        long[] values;
        /** Per-object checks; null while every object has {@link #check}. */
        int[] checks;
        /** The check of every object while {@link #checks} is null. */
        int check;

        int count;

        Page(long base, int check, int capacity) {
            this.base = base;
            this.check = check;
            offs = new int[capacity];
            values = new long[capacity];
        }

        int capacity() {
            return offs.length;
        }

        void resize(int capacity) {
            offs = Arrays.copyOf(offs, capacity);
            values = Arrays.copyOf(values, capacity);
            if (checks != null) {
                checks = Arrays.copyOf(checks, capacity);
            }
        }

        long offset(int i) {
            return base + (offs[i] & UNSIGNED);
        }

        long lastOffset() {
            return offset(count - 1);
        }

        int checkAt(int i) {
            int[] c = checks;
            return c == null ? check : c[i];
        }

        /** Whether an object at {@code offset} lies within {@link #SPAN} of the base. */
        boolean fits(long offset) {
            long d = offset - base;
            return d >= 0 && d < SPAN;
        }

        /**
         * Index of {@code offset}, or {@code -(insertion point) - 1}. Interpolates, then brackets
         * and bisects, as {@link PageDirectory#pageFor} does: a page's offsets are nearly evenly
         * spread (consecutive objects of similar mean size), so the guess lands a few entries
         * away and the search reads two or three cache lines of {@code offs} instead of five.
         * A copy of that search for unsigned {@code int}s, not a shared one: shared, it would box
         * or call through an interface on every read's look-up.
         */
        int search(long offset) {
            int[] o = offs;
            int n = Math.min(count, o.length);
            long d = offset - base;
            if (d < 0 || n == 0) {
                return -1;
            }
            if (d >= SPAN) {
                return -(n + 1);
            }
            long first = o[0] & UNSIGNED;
            if (d <= first) {
                return d == first ? 0 : -1;
            }
            long last = o[n - 1] & UNSIGNED;
            if (d >= last) {
                return d == last ? n - 1 : -(n + 1);
            }
            // o[0] < d < o[n - 1], so n >= 2; below, o[lo] < d < o[hi]
            int lo = 0;
            int hi = n - 1;
            int g = PageDirectory.interpolate(d, first, last, n - 1);
            long m = o[g] & UNSIGNED;
            if (m == d) {
                return g;
            }
            if (m < d) {
                lo = g;
                for (int step = 1; lo + step < hi; step <<= 1) {
                    m = o[lo + step] & UNSIGNED;
                    if (m >= d) {
                        if (m == d) {
                            return lo + step;
                        }
                        hi = lo + step;
                        break;
                    }
                    lo += step;
                }
            } else {
                hi = g;
                for (int step = 1; hi - step > lo; step <<= 1) {
                    m = o[hi - step] & UNSIGNED;
                    if (m <= d) {
                        if (m == d) {
                            return hi - step;
                        }
                        lo = hi - step;
                        break;
                    }
                    hi -= step;
                }
            }
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                m = o[mid] & UNSIGNED;
                if (m < d) {
                    lo = mid;
                } else if (m > d) {
                    hi = mid;
                } else {
                    return mid;
                }
            }
            return -(hi + 1);
        }

        /** Makes {@code check} storable: creates {@link #checks} if it differs from the page's one. */
        void admitCheck(int c) {
            if (checks == null && c != check) {
                if (count == 0) {
                    check = c;
                } else {
                    materializeChecks();
                }
            }
        }

        /** Creates {@link #checks}, every object's check the page's one. */
        void materializeChecks() {
            if (checks == null) {
                checks = new int[offs.length];
                Arrays.fill(checks, 0, count, check);
            }
        }

        /** Drops {@link #checks} if its objects all have one check. */
        void compactChecks() {
            if (checks == null || count == 0) {
                return;
            }
            int c = checks[0];
            for (int i = 1; i < count; i++) {
                if (checks[i] != c) {
                    return;
                }
            }
            check = c;
            checks = null;
        }

        /** Moves the base down to {@code newBase}, rewriting every offset. */
        void rebase(long newBase) {
            assert newBase <= base && (count == 0 || lastOffset() - newBase < SPAN) : newBase + " for " + this;
            int shift = (int) (base - newBase);
            for (int i = 0; i < count; i++) {
                offs[i] += shift;
            }
            base = newBase;
        }

        /** Puts an object at index {@code at}; the page has room and {@code offset} fits. */
        void insert(int at, long offset, int check, int size, int crc) {
            admitCheck(check);
            int tail = count - at;
            System.arraycopy(offs, at, offs, at + 1, tail);
            System.arraycopy(values, at, values, at + 1, tail);
            if (checks != null) {
                System.arraycopy(checks, at, checks, at + 1, tail);
                checks[at] = check;
            }
            offs[at] = (int) (offset - base);
            values[at] = pack(size, crc);
            count++;
        }

        /** Removes the object at index {@code i}. */
        void delete(int i) {
            int tail = count - i - 1;
            System.arraycopy(offs, i + 1, offs, i, tail);
            System.arraycopy(values, i + 1, values, i, tail);
            if (checks != null) {
                System.arraycopy(checks, i + 1, checks, i, tail);
            }
            count--;
        }

        long footprintBytes() {
            // object: header 12, base 8, 3 references, check, count: 40
            return 40
                    + 16
                    + offs.length * 4L
                    + 16
                    + values.length * 8L
                    + (checks != null ? 16 + checks.length * 4L : 0);
        }

        @Override
        public String toString() {
            return "Page[base " + base + ", " + count + " of " + offs.length
                    + (checks == null ? ", check " + check : ", mixed checks") + "]";
        }
    }

    private final PageDirectory<Page> pages = new PageDirectory<>();
    private int size;

    /** Objects in the map. */
    int size() {
        return size;
    }

    /**
     * The size (high word) and CRC32C (low word) of the object at {@code offset} with check
     * {@code check}; -1 if there is none, or the object there has another check.
     */
    long get(long offset, int check) {
        long at = find(offset, check);
        if (at < 0) {
            return -1;
        }
        return pages.page((int) (at >>> 32)).values[(int) at];
    }

    /**
     * Sets the CRC32C of the object at {@code offset} with check {@code check}, changing nothing
     * else: no object moves.
     *
     * @return whether that object is present
     */
    boolean setCrc(long offset, int check, int crc) {
        long at = find(offset, check);
        if (at < 0) {
            return false;
        }
        long[] v = pages.page((int) (at >>> 32)).values;
        int i = (int) at;
        v[i] = v[i] & ~UNSIGNED | (crc & UNSIGNED);
        return true;
    }

    /** Where the object is: its page in the high word, its index in the low; -1 if absent. */
    private long find(long offset, int check) {
        int p = pages.pageFor(offset);
        if (p < 0) {
            return -1;
        }
        Page page = pages.page(p);
        int i = page.search(offset);
        return i < 0 || page.checkAt(i) != check ? -1 : (long) p << 32 | i;
    }

    /** Removes every object. */
    void clear() {
        pages.clear();
        size = 0;
    }

    /**
     * Adds an object at {@code offset} (at most 2^62) with check {@code check}, size {@code size}
     * (not negative) and CRC32C {@code crc}.
     *
     * @throws IllegalStateException if an object lies at {@code offset} already
     */
    void add(long offset, int check, int size, int crc) {
        assert size >= 0 && offset >= 0 : "add(" + offset + ", " + size + ")";
        if (pages.count() > 0) {
            Page last = pages.page(pages.count() - 1);
            if (offset > last.lastOffset()) {
                append(last, offset, check, size, crc);
                return;
            }
        } else {
            Page first = new Page(offset, check, MIN_CAPACITY);
            pages.insert(0, first, first.base);
            append(first, offset, check, size, crc);
            return;
        }
        int p = Math.max(0, pages.pageFor(offset));
        Page page = pages.page(p);
        int at = page.search(offset);
        if (at >= 0) {
            throw new IllegalStateException("an object lies at " + offset + " already");
        }
        at = -at - 1;
        if (!page.fits(offset)) {
            // above the page's last object but out of its span (at == count), or below the
            // first page's base (p == 0, at == 0): the front of the next page, or a page of its own
            int q = at == 0 ? p : p + 1;
            if (q < pages.count() && canTakeAtFront(pages.page(q), offset)) {
                page = pages.page(q);
                if (offset < page.base) {
                    page.rebase(offset);
                }
                p = q;
                at = 0;
            } else {
                Page own = new Page(offset, check, 1);
                pages.insert(q, own, offset);
                own.insert(0, offset, check, size, crc);
                this.size++;
                return;
            }
        }
        if (page.count == MAX_PAGE) {
            Page upper = split(p);
            if (at > page.count) {
                at -= page.count;
                page = upper;
                p++;
            }
        } else if (page.count == page.capacity()) {
            page.resize(grown(page.capacity()));
        }
        page.insert(at, offset, check, size, crc);
        pages.setFirstKey(p, page.offset(0));
        this.size++;
    }

    /** Whether {@code offset}, below every offset of {@code page}, can join it at its front. */
    private static boolean canTakeAtFront(Page page, long offset) {
        return page.count < MAX_PAGE && page.lastOffset() - offset < SPAN;
    }

    private void append(Page last, long offset, int check, int size, int crc) {
        if (last.count == MAX_PAGE) {
            // Appends that filled a page will most likely fill the next: take it whole at once.
            last = new Page(offset, check, MAX_PAGE);
            pages.insert(pages.count(), last, last.base);
        } else if (!last.fits(offset)) {
            last = new Page(offset, check, MIN_CAPACITY);
            pages.insert(pages.count(), last, last.base);
        } else if (last.count == last.capacity()) {
            last.resize(grown(last.capacity()));
        }
        last.admitCheck(check);
        int i = last.count;
        last.offs[i] = (int) (offset - last.base);
        last.values[i] = pack(size, crc);
        if (last.checks != null) {
            last.checks[i] = check;
        }
        if (i == 0) {
            pages.setFirstKey(pages.count() - 1, offset);
        }
        last.count++;
        this.size++;
    }

    /** Size in the high word, CRC32C in the low: never negative, so -1 stays "absent". */
    private static long pack(int size, int crc) {
        return (long) size << 32 | (crc & UNSIGNED);
    }

    private static int grown(int capacity) {
        return Math.min(MAX_PAGE, capacity + (capacity >> 1) + MIN_CAPACITY);
    }

    /** Moves the upper half of full page {@code p} into a new page after it (same base); returns that page. */
    private Page split(int p) {
        Page page = pages.page(p);
        int keep = page.count / 2;
        int moved = page.count - keep;
        Page upper = new Page(page.base, page.check, moved + moved / 4);
        System.arraycopy(page.offs, keep, upper.offs, 0, moved);
        System.arraycopy(page.values, keep, upper.values, 0, moved);
        if (page.checks != null) {
            upper.checks = Arrays.copyOfRange(page.checks, keep, keep + upper.capacity());
        }
        upper.count = moved;
        page.count = keep;
        page.resize(keep + keep / 4 + 1);
        page.compactChecks();
        upper.compactChecks();
        pages.insert(p + 1, upper, upper.offset(0));
        return upper;
    }

    /**
     * Removes the object at {@code offset} if its check is {@code check}.
     *
     * @return its size (high word) and CRC32C (low word), or -1 if it was absent
     */
    long remove(long offset, int check) {
        long at = find(offset, check);
        if (at < 0) {
            return -1;
        }
        int p = (int) (at >>> 32);
        int i = (int) at;
        Page page = pages.page(p);
        long old = page.values[i];
        page.delete(i);
        size--;
        if (page.count == 0) {
            pages.remove(p);
            return old;
        }
        pages.setFirstKey(p, page.offset(0));
        if (page.count < MAX_PAGE / 4 && !mergeIntoNeighbour(p) && page.count < page.capacity() / 4) {
            page.resize(Math.max(MIN_CAPACITY, page.count * 2));
        }
        return old;
    }

    /** Merges sparse page {@code p} with a neighbour if both fit in half a page and in one span. */
    private boolean mergeIntoNeighbour(int p) {
        int lower = p > 0 && mergeable(pages.page(p - 1), pages.page(p))
                ? p - 1
                : p + 1 < pages.count() && mergeable(pages.page(p), pages.page(p + 1)) ? p : -1;
        if (lower < 0) {
            return false;
        }
        Page a = pages.page(lower);
        Page b = pages.page(lower + 1);
        int total = a.count + b.count;
        if (a.capacity() < total) {
            a.resize(total + total / 4);
        }
        if (a.checks != null || b.checks != null || b.check != a.check) {
            a.materializeChecks();
            int[] bc = b.checks;
            for (int i = 0; i < b.count; i++) {
                a.checks[a.count + i] = bc == null ? b.check : bc[i];
            }
        }
        long shift = b.base - a.base; // >= 0: a's base lies below every offset of b
        for (int i = 0; i < b.count; i++) {
            a.offs[a.count + i] = (int) ((b.offs[i] & UNSIGNED) + shift);
        }
        System.arraycopy(b.values, 0, a.values, a.count, b.count);
        a.count = total;
        pages.remove(lower + 1);
        return true;
    }

    private static boolean mergeable(Page a, Page b) {
        return a.count + b.count <= MAX_PAGE / 2 && b.lastOffset() - a.base < SPAN;
    }

    /** Calls {@code action} for every object, in offset order. */
    void forEach(ExtentConsumer action) {
        for (int p = 0; p < pages.count(); p++) {
            Page page = pages.page(p);
            for (int i = 0; i < page.count; i++) {
                long v = page.values[i];
                action.accept(page.offset(i), page.checkAt(i), (int) (v >>> 32), (int) v);
            }
        }
    }

    /** Heap bytes held: object headers, arrays and their slack. */
    long footprintBytes() {
        // object: header 12, a reference, size: 24
        long bytes = 24 + pages.footprintBytes();
        for (int p = 0; p < pages.count(); p++) {
            bytes += pages.page(p).footprintBytes();
        }
        return bytes;
    }

    /** Pages that hold a {@code checks} array (for tests). */
    int mixedPages() {
        int n = 0;
        for (int p = 0; p < pages.count(); p++) {
            n += pages.page(p).checks != null ? 1 : 0;
        }
        return n;
    }

    /** Checks the invariants (for tests and assertions): order, spans, page sizes, first offsets, count. */
    boolean checkInvariants() {
        int total = 0;
        long prev = -1;
        for (int p = 0; p < pages.count(); p++) {
            Page page = pages.page(p);
            if (page.count <= 0
                    || page.count > MAX_PAGE
                    || page.count > page.capacity()
                    || page.values.length != page.capacity()
                    || (page.checks != null && page.checks.length != page.capacity())) {
                throw new AssertionError("page " + p + ": " + page);
            }
            if (pages.firstKey(p) != page.offset(0)) {
                throw new AssertionError(
                        "page " + p + " first offset " + pages.firstKey(p) + " but holds " + page.offset(0));
            }
            for (int i = 0; i < page.count; i++) {
                long offset = page.offset(i);
                if (offset <= prev || offset < page.base) {
                    throw new AssertionError("offset " + offset + " after " + prev + " in page " + p + ": " + page);
                }
                if (page.values[i] < 0) {
                    throw new AssertionError("size " + (page.values[i] >> 32) + " at " + offset);
                }
                prev = offset;
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
        return "ExtentMap[" + size + " objects in " + pages.count() + " pages (" + mixedPages()
                + " with mixed checks), " + footprintBytes() + " bytes]";
    }
}
