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
 *   <li>{@link #allocate}{@code (n)} looks at the class of {@code n} first: among its first
 *       {@value #SCAN} holes in offset order, the smallest that fits (its holes may be shorter
 *       than {@code n}). Failing that, the lowest hole of the next class that has any: every hole
 *       there fits, and wastes at most the class's width, which goes back as a smaller hole.
 *       A bit set of non-empty classes makes that step a few word scans. If no hole fits, the
 *       bytes come from the end, which moves the end. This is "good fit" as in TLSF allocators:
 *       close to best fit in space, O(1) in time.
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
    private boolean lastWasFresh;
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
        for (int i = 0; i < mark; i++) {
            freeNow(parked.offset(i), parked.length(i));
            parkedBytes -= parked.length(i);
        }
        parked.dropFirst(mark);
    }

    /**
     * The end the allocated space would have if the ranges parked before {@code mark} were free:
     * everything a record encoded at that mark names lies below it. A commit whose file is shorter
     * than {@link #end()} (a full disk refused the tail's bytes, and their objects were deleted)
     * need not lengthen it past this.
     */
    public long endWithoutParked(int mark) {
        if (mark == 0) {
            return end;
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
        int c = classOf(length);
        long offset = Long.MIN_VALUE;
        SortedLongLongMap own = byClass[c];
        if (own != null && own.size() > 0) {
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
        removeHole(offset, holeLength);
        if (holeLength > length) {
            addHole(offset + length, holeLength - length);
        }
        return offset;
    }

    /** Adds a free range as one hole, or as several of at most {@link #MAX_HOLE} bytes. */
    private void addHole(long offset, long length) {
        long off = offset;
        long left = length;
        while (left > 0) {
            int len = (int) Math.min(left, MAX_HOLE);
            byOffset.put(off, len);
            int c = classOf(len);
            SortedLongLongMap m = byClass[c];
            if (m == null) {
                m = byClass[c] = new SortedLongLongMap();
            }
            m.put(off, len);
            nonEmpty[c >>> 6] |= 1L << c;
            freeBytes += len;
            off += len;
            left -= len;
        }
    }

    private void removeHole(long offset, int length) {
        byOffset.remove(offset);
        int c = classOf(length);
        SortedLongLongMap m = byClass[c];
        m.remove(offset);
        if (m.size() == 0) {
            nonEmpty[c >>> 6] &= ~(1L << c);
        }
        freeBytes -= length;
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
