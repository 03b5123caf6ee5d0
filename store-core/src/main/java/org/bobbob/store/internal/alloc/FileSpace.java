package org.bobbob.store.internal.alloc;

import java.util.Arrays;
import java.util.HashMap;
import org.bobbob.store.internal.format.MetadataException;

/**
 * The free space of a store file: which byte ranges between {@link #start()} and {@link #end()}
 * are free, and the end itself.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Free ranges ("holes") are kept twice, in {@link SortedLongLongMap}s of offset → length
 *       (16 bytes an entry, so about 32 bytes a hole, no object per hole): once all together by
 *       offset, to merge a freed range with its neighbours; once per <em>length class</em>, to
 *       find a fit. Length classes
 *       are four per doubling (lengths 1–3 have one each), so the holes of one class differ in
 *       length by less than 25 %:
 *       <pre>
 *         class(len) = len                                   for len &lt; 4
 *                    = 4 (h - 1) + ((len &gt;&gt;&gt; (h - 2)) &amp; 3)   for len &gt;= 4, h = floor(log2 len)
 *       </pre>
 *   <li>{@link #allocate}{@code (n)} first looks near the <em>sweep</em>, a place that moves
 *       through the file: in the window of {@value #SWEEP_WINDOW} bytes from it, the best fit
 *       among the holes of {@code n}'s class there, else the lowest hole there of the next class
 *       above that has one (every hole of a higher class fits). If the window has none, the sweep
 *       moves on by a window and looks once more; past the last hole it starts again from the
 *       start. The window is what the store's write cache keeps of recent new objects
 *       ({@code CombiningStoreFile}: 64 chunks of 64 KiB): new objects that refill scattered
 *       holes one after another land close together, and the cache gathers them into one write
 *       per 64 KiB chunk, in file order, instead of one per object.
 *   <li>Failing that (a request larger than every hole in two windows), "good fit" over the
 *       whole file, as in TLSF allocators: among the first {@value #SCAN} holes of {@code n}'s
 *       class in offset order, the smallest that fits (its holes may be shorter than {@code n});
 *       else the lowest hole of the next class that has any, which wastes at most the class's
 *       width, going back as a smaller hole. A bit set of non-empty classes makes that step a few
 *       word scans. If no hole fits, the bytes come from the end, which moves the end.
 *   <li>{@link #releaseFreed} of many ranges at once (at least {@value #BULK_RELEASE}, and a
 *       quarter of the holes) sorts them, merges them with the holes in one pass and builds the
 *       maps anew by appending, instead of inserting each into the middle of two maps.
 *   <li>A hole is at most {@value #MAX_HOLE} bytes (lengths are {@code int}s); a longer free range
 *       is kept as adjacent holes. Requests longer than that come from the end.
 *   <li>{@link #free} does not make space reusable: it parks the range. The store calls
 *       {@link #releaseFreed} with a {@link #freedMark} taken at a sync once that sync is
 *       durable, so that the last durable state never names bytes that now hold something else.
 *       {@link #freeNow} is for ranges that no durable state names as live.
 *   <li>Holes are not persisted: on open, {@link #restore} derives them as the gaps between the
 *       extents that the metadata says are used.
 * </ol>
 * A hole that reaches the end is not kept: the end moves back instead, so the store can
 * shrink the file. Bytes at or past {@link #zeroFrom()} were never written since the file was
 * last cut there (the store truncates the file to its end on open and after shrinking), so a
 * range taken from the end beyond it reads as zeros: {@link #lastWasFresh()} tells callers when
 * they may skip zero-filling.
 *
 * <p>Not thread-safe: the store guards it with its metadata lock.
 */
public final class FileSpace {
    /** The longest single hole (1 GiB). */
    static final int MAX_HOLE = 1 << 30;
    /** Holes of the request's own class looked at for the best fit. */
    static final int SCAN = 16;
    /** From this many ranges on, {@link #releaseFreed} merges them in bulk. */
    static final int BULK_RELEASE = 1024;
    /** The span of file, from the sweep on, searched first for a fit. */
    static final long SWEEP_WINDOW = 4L << 20;

    private static final int CLASSES = classOf(MAX_HOLE) + 1;

    private final long start;
    private long end;
    /** Every hole: offset → length. */
    private final SortedLongLongMap byOffset = new SortedLongLongMap();
    /** The holes of each length class, offset → length; created when first needed. */
    private final SortedLongLongMap[] byClass = new SortedLongLongMap[CLASSES];
    /** Bit {@code c} set: class {@code c} has a hole. */
    private final long[] nonEmpty = new long[(CLASSES + 63) >>> 6];

    private long freeBytes;
    /** Where the window searched first for a fit begins (see the class comment). */
    private long sweep;

    private boolean lastWasFresh;
    private boolean lastWasHole;
    /** Every byte at or past this offset reads as zero (never written since the file was cut). */
    private long zeroFrom;

    /** Freed ranges not yet reusable (until the sync that recorded the free is durable). */
    private final ExtentList parked = new ExtentList(16);
    /** The sum of {@link #parked}'s lengths. */
    private long parkedBytes;

    /** An empty space: nothing used, the end at {@code start}. */
    public FileSpace(long start) {
        this.start = start;
        this.end = start;
        this.zeroFrom = start;
    }

    /**
     * Restores the space of an opened file: {@code used} (sorted by offset) are taken, the gaps
     * between them below {@code end} are free. Replaces whatever this space held.
     *
     * @throws MetadataException if extents overlap or fall outside {@code [start, end)}
     */
    public void restore(long end, ExtentList used) {
        if (end < start) {
            throw new MetadataException("allocator end " + end + " lies before the data start " + start);
        }
        byOffset.clear();
        Arrays.fill(byClass, null);
        Arrays.fill(nonEmpty, 0);
        freeBytes = 0;
        parked.clear();
        parkedBytes = 0;
        this.end = end;
        long cursor = start;
        for (int i = 0; i < used.size(); i++) {
            long off = used.offset(i);
            long len = used.length(i);
            if (len <= 0 || off < cursor || off > end - len) {
                throw new MetadataException("extent [" + off + ", +" + len + ") overlaps another or lies outside ["
                        + start + ", " + end + ")");
            }
            if (off > cursor) {
                addHole(cursor, off - cursor);
            }
            cursor = off + len;
        }
        zeroFrom = end; // the store cut the file to the recorded end
        this.end = cursor; // a free tail is no hole: the end moves back
    }

    public long start() {
        return start;
    }

    /** One past the last byte ever allocated. */
    public long end() {
        return end;
    }

    /** Bytes in reusable holes (parked bytes not counted). */
    public long freeBytes() {
        return freeBytes;
    }

    /** Calls {@code action} with every hole's offset and length, in offset order. */
    public void forEachHole(SortedLongLongMap.EntryConsumer action) {
        byOffset.forEach(action);
    }

    public int holes() {
        return byOffset.size();
    }

    /** Heap bytes of the hole index and the parked list (an estimate for statistics). */
    public long footprintBytes() {
        long bytes = byOffset.footprintBytes() + 16L * parked.capacity() + 64;
        for (SortedLongLongMap m : byClass) {
            if (m != null) {
                bytes += m.footprintBytes();
            }
        }
        return bytes;
    }

    /**
     * Whether the range returned by the last {@link #allocate} came from a hole: the next ones will
     * likely come from holes close to it (the sweep; see the class comment).
     */
    public boolean lastWasHole() {
        return lastWasHole;
    }

    /** Whether the range returned by the last {@link #allocate} came from the end (reads as zeros). */
    public boolean lastWasFresh() {
        return lastWasFresh;
    }

    /**
     * Takes {@code length > 0} bytes, a good fit (see the class comment), and returns their offset.
     *
     * @throws SpaceExhaustedException if the end would pass {@link ObjectIds#MAX_FILE_END}
     */
    public long allocate(long length) {
        assert length > 0 : "allocate(" + length + ")";
        if (length <= MAX_HOLE && byOffset.size() > 0) {
            long offset = takeHole((int) length);
            if (offset != Long.MIN_VALUE) {
                lastWasFresh = false;
                lastWasHole = true;
                return offset;
            }
        }
        if (length > ObjectIds.MAX_FILE_END - end) {
            throw new SpaceExhaustedException("the file would pass " + ObjectIds.MAX_FILE_END + " bytes (" + length
                    + " bytes wanted at end " + end + ")");
        }
        long offset = end;
        end += length;
        lastWasFresh = offset >= zeroFrom;
        lastWasHole = false;
        zeroFrom = Math.max(zeroFrom, end);
        return offset;
    }

    /** Parks a range; it becomes reusable through {@link #releaseFreed}. */
    public void free(long offset, long length) {
        assert offset >= start && offset + length <= end : "free outside the space: " + offset + "+" + length;
        parked.add(offset, length);
        parkedBytes += length;
    }

    /** A mark covering every range parked so far. */
    public int freedMark() {
        return parked.size();
    }

    /** Makes the ranges parked before {@code mark} reusable; later ones stay parked. */
    public void releaseFreed(int mark) {
        if (mark >= BULK_RELEASE && mark >= byOffset.size() / 4) {
            releaseInBulk(mark);
        } else {
            for (int i = 0; i < mark; i++) {
                freeNow(parked.offset(i), parked.length(i));
            }
        }
        for (int i = 0; i < mark; i++) {
            parkedBytes -= parked.length(i);
        }
        parked.dropFirst(mark);
    }

    /**
     * As {@link #freeNow} for each range parked before {@code mark}, for many at once: the ranges
     * sorted, merged with the holes in one pass, and the hole index built anew in offset order
     * (appends only), instead of one insertion into the middle of each map per range.
     */
    private void releaseInBulk(int mark) {
        ExtentList freed = new ExtentList(mark);
        for (int i = 0; i < mark; i++) {
            freed.add(parked.offset(i), parked.length(i));
        }
        freed.sortByOffset();
        ExtentList holes = new ExtentList(Math.max(16, byOffset.size()));
        byOffset.forEach(holes::add);
        ExtentList merged = new ExtentList(holes.size() + freed.size());
        int h = 0;
        int f = 0;
        while (h < holes.size() || f < freed.size()) {
            boolean takeHole = f == freed.size() || (h < holes.size() && holes.offset(h) < freed.offset(f));
            long off = takeHole ? holes.offset(h) : freed.offset(f);
            long len = takeHole ? holes.length(h++) : freed.length(f++);
            int last = merged.size() - 1;
            if (last >= 0) {
                long lastEnd = merged.offset(last) + merged.length(last);
                assert lastEnd <= off : "double free of " + off + " (inside free range ending at " + lastEnd + ")";
                if (lastEnd == off) {
                    merged.extendLast(len);
                    continue;
                }
            }
            merged.add(off, len);
        }
        byOffset.clear();
        for (SortedLongLongMap m : byClass) {
            if (m != null) {
                m.clear();
            }
        }
        Arrays.fill(nonEmpty, 0);
        freeBytes = 0;
        int count = merged.size();
        if (count > 0 && merged.offset(count - 1) + merged.length(count - 1) == end) {
            end = merged.offset(--count); // a free tail is no hole: the end moves back
        }
        for (int i = 0; i < count; i++) {
            addHole(merged.offset(i), merged.length(i));
        }
    }

    /**
     * The end the allocated space would have if the ranges parked before {@code mark} were free:
     * everything a record encoded at that mark names lies below it. A commit whose file is shorter
     * than {@link #end()} (a full disk refused the tail's bytes, and their objects were deleted)
     * need not lengthen it past this.
     */
    public long endWithoutParked(int mark) {
        boolean endsAtEnd = false;
        for (int i = 0; i < mark && !endsAtEnd; i++) {
            endsAtEnd = parked.offset(i) + parked.length(i) == end;
        }
        if (!endsAtEnd) {
            return end; // no hole ends at the end either: a free tail is no hole
        }
        HashMap<Long, Long> startOfEnd = new HashMap<>();
        for (int i = 0; i < mark; i++) {
            startOfEnd.put(parked.offset(i) + parked.length(i), parked.offset(i));
        }
        long e = end;
        while (true) {
            Long start = startOfEnd.get(e);
            if (start != null) {
                e = start;
                continue;
            }
            long below = byOffset.floorKey(e - 1);
            if (below != Long.MIN_VALUE && below + byOffset.get(below) == e) {
                e = below;
                continue;
            }
            return e;
        }
    }

    /** Bytes parked and not yet reusable. */
    public long parkedBytes() {
        return parkedBytes;
    }

    /** Makes a range reusable at once, merging it with neighbouring holes. */
    public void freeNow(long offset, long length) {
        long off = offset;
        long len = length;
        long below = byOffset.floorKey(off);
        if (below != Long.MIN_VALUE) {
            int belowLength = (int) byOffset.get(below); // holes are at most MAX_HOLE long
            assert below + belowLength <= off
                    : "double free of " + off + " (inside hole " + below + "+" + belowLength + ")";
            if (below + belowLength == off) {
                removeHole(below, belowLength);
                off = below;
                len += belowLength;
            }
        }
        int aboveLength = (int) byOffset.get(off + len);
        if (aboveLength >= 0) {
            removeHole(off + len, aboveLength);
            len += aboveLength;
        }
        if (off + len == end) {
            end = off;
            // a free range longer than MAX_HOLE is several holes: drop every one now at the end
            long last = byOffset.floorKey(end - 1);
            while (last != Long.MIN_VALUE && last + byOffset.get(last) == end) {
                removeHole(last, (int) byOffset.get(last));
                end = last;
                last = byOffset.floorKey(end - 1);
            }
        } else {
            addHole(off, len);
        }
    }

    /** See the class comment. */
    public long zeroFrom() {
        return zeroFrom;
    }

    /** The store cut the file at {@code size} ({@code >= end()}): everything past it reads as zeros. */
    public void truncated(long size) {
        assert size >= end : "truncated below the end: " + size + " < " + end;
        zeroFrom = Math.min(zeroFrom, size);
    }

    /** The offset of a hole that fits {@code length}, cut down to it (the rest stays a hole); or MIN_VALUE. */
    private long takeHole(int length) {
        if (byOffset.size() == 0) {
            return Long.MIN_VALUE;
        }
        int c = classOf(length);
        if (byOffset.lastKey() < sweep) {
            sweep = start;
        }
        long offset = fitWithin(sweep, c, length);
        if (offset == Long.MIN_VALUE) {
            sweep += SWEEP_WINDOW;
            offset = fitWithin(sweep, c, length);
        }
        SortedLongLongMap own = byClass[c];
        if (offset == Long.MIN_VALUE && own != null && own.size() > 0) {
            offset = own.bestFitAmongFirst(SCAN, length);
        }
        if (offset == Long.MIN_VALUE) {
            int above = nextNonEmpty(c + 1);
            if (above < 0) {
                return Long.MIN_VALUE;
            }
            offset = byClass[above].firstKey();
        }
        int holeLength = (int) byOffset.get(offset);
        assert holeLength >= length : "hole " + offset + "+" + holeLength + " too short for " + length;
        if (holeLength == length) {
            removeHole(offset, holeLength);
            return offset;
        }
        // The rest of the hole starts further on, before any other hole (holes never touch): it
        // keeps the hole's place in the maps, so it moves there instead of being removed and put.
        int rest = holeLength - length;
        byOffset.moveUp(offset, offset + length, rest);
        int was = classOf(holeLength);
        int now = classOf(rest);
        if (was == now) {
            byClass[was].moveUp(offset, offset + length, rest);
        } else {
            removeFromClass(was, offset);
            addToClass(now, offset + length, rest);
        }
        freeBytes -= length;
        return offset;
    }

    /**
     * A good fit in the holes of {@code [from, from + SWEEP_WINDOW)}: the best fit among the holes
     * of class {@code c} there, else the lowest hole there of the next class above that has one.
     */
    private long fitWithin(long from, int c, int length) {
        long to = from + SWEEP_WINDOW;
        SortedLongLongMap own = byClass[c];
        if (own != null && own.size() > 0) {
            long offset = own.bestFitWithin(from, to, length);
            if (offset != Long.MIN_VALUE) {
                return offset;
            }
        }
        for (int above = nextNonEmpty(c + 1); above >= 0; above = nextNonEmpty(above + 1)) {
            long offset = byClass[above].ceilingKey(from);
            if (offset != Long.MIN_VALUE && offset < to) {
                return offset;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Adds a free range as one hole, or as several of at most {@link #MAX_HOLE} bytes. */
    private void addHole(long offset, long length) {
        long off = offset;
        long left = length;
        while (left > 0) {
            int len = (int) Math.min(left, MAX_HOLE);
            byOffset.put(off, len);
            addToClass(classOf(len), off, len);
            freeBytes += len;
            off += len;
            left -= len;
        }
    }

    private void removeHole(long offset, int length) {
        byOffset.remove(offset);
        removeFromClass(classOf(length), offset);
        freeBytes -= length;
    }

    private void addToClass(int c, long offset, int length) {
        SortedLongLongMap m = byClass[c];
        if (m == null) {
            m = byClass[c] = new SortedLongLongMap();
        }
        m.put(offset, length);
        nonEmpty[c >>> 6] |= 1L << c;
    }

    private void removeFromClass(int c, long offset) {
        SortedLongLongMap m = byClass[c];
        m.remove(offset);
        if (m.size() == 0) {
            nonEmpty[c >>> 6] &= ~(1L << c);
        }
    }

    /** The first class at or after {@code from} that has a hole, or -1. */
    private int nextNonEmpty(int from) {
        for (int w = from >>> 6; w < nonEmpty.length; w++) {
            long bits = nonEmpty[w] & (w == from >>> 6 ? -1L << from : -1L);
            if (bits != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    /** The length class of {@code length >= 1} (see the class comment). */
    static int classOf(long length) {
        if (length < 4) {
            return (int) length;
        }
        int h = 63 - Long.numberOfLeadingZeros(length);
        return 4 * (h - 1) + (int) ((length >>> (h - 2)) & 3);
    }

    @Override
    public String toString() {
        return "FileSpace[end=" + end + ", holes=" + holes() + ", free=" + freeBytes + ", parked=" + parked.size()
                + "]";
    }
}
