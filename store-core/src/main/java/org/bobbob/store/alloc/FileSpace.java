package org.bobbob.store.alloc;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bobbob.store.io.MetadataException;

/**
 * The free space of a store file: which byte ranges between {@link #start()} and {@link #end()}
 * are free, and the end itself.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Free ranges ("holes") are kept twice: by offset, to merge a freed range with its
 *       neighbours, and by (length, offset), to find the best fit in O(log holes).
 *   <li>{@link #allocate} takes the smallest hole that fits (splitting off the rest); if none
 *       fits it takes bytes at the end, which moves the end.
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
    /** A free range; ordered by length, then offset (the best-fit order). */
    private record Hole(long length, long offset) implements Comparable<Hole> {
        @Override
        public int compareTo(Hole o) {
            int c = Long.compare(length, o.length);
            return c != 0 ? c : Long.compare(offset, o.offset);
        }
    }

    private final long start;
    private long end;
    private final TreeMap<Long, Hole> byOffset = new TreeMap<>();
    private final TreeSet<Hole> bySize = new TreeSet<>();
    private long freeBytes;
    private boolean lastWasFresh;
    /** Every byte at or past this offset reads as zero (never written since the file was cut). */
    private long zeroFrom;

    private long[] parkedOffsets = new long[16];
    private long[] parkedLengths = new long[16];
    private int parked;

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
        bySize.clear();
        freeBytes = 0;
        parked = 0;
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

    public int holes() {
        return byOffset.size();
    }

    /** Whether the range returned by the last {@link #allocate} came from the end (reads as zeros). */
    public boolean lastWasFresh() {
        return lastWasFresh;
    }

    /** Takes {@code length > 0} bytes, best fit, and returns their offset. */
    public long allocate(long length) {
        assert length > 0 : "allocate(" + length + ")";
        Hole hole = bySize.ceiling(new Hole(length, Long.MIN_VALUE));
        if (hole != null) {
            removeHole(hole);
            if (hole.length > length) {
                addHole(hole.offset + length, hole.length - length);
            }
            lastWasFresh = false;
            return hole.offset;
        }
        if (end > Long.MAX_VALUE / 2 - length) {
            throw new IllegalStateException("store file would exceed " + (Long.MAX_VALUE / 2) + " bytes");
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
        if (parked == parkedOffsets.length) {
            parkedOffsets = Arrays.copyOf(parkedOffsets, parked * 2);
            parkedLengths = Arrays.copyOf(parkedLengths, parked * 2);
        }
        parkedOffsets[parked] = offset;
        parkedLengths[parked] = length;
        parked++;
    }

    /** A mark covering every range parked so far. */
    public int freedMark() {
        return parked;
    }

    /** Makes the ranges parked before {@code mark} reusable; later ones stay parked. */
    public void releaseFreed(int mark) {
        for (int i = 0; i < mark; i++) {
            freeNow(parkedOffsets[i], parkedLengths[i]);
        }
        System.arraycopy(parkedOffsets, mark, parkedOffsets, 0, parked - mark);
        System.arraycopy(parkedLengths, mark, parkedLengths, 0, parked - mark);
        parked -= mark;
    }

    /** Bytes parked and not yet reusable. */
    public long parkedBytes() {
        long sum = 0;
        for (int i = 0; i < parked; i++) {
            sum += parkedLengths[i];
        }
        return sum;
    }

    /** Makes a range reusable at once, merging it with neighbouring holes. */
    public void freeNow(long offset, long length) {
        long off = offset;
        long len = length;
        Map.Entry<Long, Hole> below = byOffset.floorEntry(off);
        if (below != null) {
            Hole b = below.getValue();
            assert b.offset + b.length <= off : "double free of " + off + " (inside hole " + b + ")";
            if (b.offset + b.length == off) {
                removeHole(b);
                off = b.offset;
                len += b.length;
            }
        }
        Hole above = byOffset.get(off + len);
        if (above != null) {
            removeHole(above);
            len += above.length;
        }
        if (off + len == end) {
            end = off;
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

    private void addHole(long offset, long length) {
        Hole h = new Hole(length, offset);
        byOffset.put(offset, h);
        bySize.add(h);
        freeBytes += length;
    }

    private void removeHole(Hole h) {
        byOffset.remove(h.offset);
        bySize.remove(h);
        freeBytes -= h.length;
    }

    @Override
    public String toString() {
        return "FileSpace[end=" + end + ", holes=" + holes() + ", free=" + freeBytes + ", parked=" + parked + "]";
    }
}
