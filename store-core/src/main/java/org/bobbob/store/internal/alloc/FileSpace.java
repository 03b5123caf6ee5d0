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
 *       through the file: in the <em>window</em> from it (its next {@value #SWEEP_WINDOW} bytes,
 *       or its first {@value #WINDOW_HOLES} holes if that ends sooner), the best fit among the
 *       holes of {@code n}'s class there, else the lowest hole there of the next class above that
 *       has one (every hole of a higher class fits). If the window has none, the sweep moves on
 *       past it and looks once more; past the last hole it starts again from the start. The
 *       window is what the store's write cache keeps of recent new objects
 *       ({@code CombiningStoreFile}: 16 MiB of chunks, 512 KiB each in a basic store): new
 *       objects that refill scattered holes one after another land close together, and the cache
 *       gathers them into one write per chunk, in file order, instead of one per object.
 *   <li>A window that serves a request is <em>checked out</em>: its holes leave the maps (one
 *       {@link SortedLongLongMap#drainRange} per map that has any) for arrays of their own, in
 *       offset order, with a bit set per length class over their indexes. The window's next
 *       allocations cut its holes there, without a search of the maps: a hole keeps its index
 *       when its front is taken (its rest lies before the next hole), so index order stays offset
 *       order, and a rest of another class only moves a bit. A request that none of the
 *       window's holes fits is served from the maps (which then hold every fit): the next
 *       window's holes first, by the same rule, else as in the next step. The sweep stays until
 *       the window's {@value #WINDOW_MISSES}th such request, or until its holes are all taken:
 *       then the holes left go back into the maps ({@link SortedLongLongMap#putRun}), the sweep
 *       moves past the window, and the request looks there. Before anything else changes the maps
 *       the holes go back too (what only reads the space reads the window's arrays as well); a
 *       range freed far enough from the window changes the maps directly. So a window's bookkeeping costs two bulk changes of each map it touches,
 *       instead of a search and a change of two or three maps for every allocation.
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
    /** Most holes in one window (it ends sooner than {@link #SWEEP_WINDOW} bytes where holes are dense). */
    static final int WINDOW_HOLES = 4096;
    /** A window is left at the request it cannot serve after this many others it could not. */
    static final int WINDOW_MISSES = 8;

    private static final int CLASSES = classOf(MAX_HOLE) + 1;

    private final long start;
    private long end;
    /** Every hole: offset → length. */
    private final SortedLongLongMap byOffset = new SortedLongLongMap();
    /** The holes of each length class, offset → length; created when first needed. */
    private final SortedLongLongMap[] byClass = new SortedLongLongMap[CLASSES];
    /** Bit {@code c} set: class {@code c} has a hole. */
    private final long[] nonEmpty = new long[nonEmptyWords()];

    private long freeBytes;
    /** Where the window searched first for a fit begins (see the class comment). */
    private long sweep;

    private boolean lastWasFresh;
    private boolean lastWasHole;
    /** Every byte at or past this offset reads as zero (never written since the file was cut). */
    private long zeroFrom;

    /** Whether a window's holes are checked out of the maps (see the class comment). */
    private boolean windowOut;
    /**
     * The window checked out (or last checked out): its holes began in [windowFrom, windowTo) (a
     * hole's rest may begin past windowTo, before the maps' next hole).
     */
    private long windowFrom;

    private long windowTo;
    /** Every byte of the window's holes lies below this. */
    private long windowHolesEnd;
    /** The window's holes in offset order: offset and length (0: taken whole). */
    private long[] windowOffsets = new long[64];

    private int[] windowLengths = new int[64];
    /** Holes in the window's arrays, taken ones included, and those not taken. */
    private int windowCount;

    private int windowLive;
    /** Requests the window could not serve since it was checked out. */
    private int windowMisses;
    /** Per length class, a bit per window index: the window's holes of that class; created when first needed. */
    private final long[][] windowClassBits = new long[CLASSES][];
    /** Bit {@code c} set: class {@code c} has a hole in the window. */
    private final long[] windowNonEmpty = new long[nonEmptyWords()];
    /** Per length class, the window's holes of that class. */
    private final int[] windowClassCount = new int[CLASSES];
    /** Scratch for putting holes back into a map, ascending. */
    private long[] runKeys = new long[64];

    private long[] runValues = new long[64];

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
        checkIn();
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

    /**
     * Calls {@code action} with every hole's offset and length, in offset order. Changes nothing,
     * so it may run under a lock that only keeps the space from changing: the holes of a checked-out
     * window are visited where they lie, between the maps' holes below the window and those above.
     */
    public void forEachHole(SortedLongLongMap.EntryConsumer action) {
        if (!windowOut) {
            byOffset.forEach(action);
            return;
        }
        boolean[] windowDone = {false};
        byOffset.forEach((offset, length) -> {
            if (!windowDone[0] && offset >= windowFrom) {
                forEachWindowHole(action);
                windowDone[0] = true;
            }
            action.accept(offset, length);
        });
        if (!windowDone[0]) {
            forEachWindowHole(action);
        }
    }

    private void forEachWindowHole(SortedLongLongMap.EntryConsumer action) {
        for (int i = 0; i < windowCount; i++) {
            if (windowLengths[i] > 0) {
                action.accept(windowOffsets[i], windowLengths[i]);
            }
        }
    }

    public int holes() {
        return byOffset.size() + (windowOut ? windowLive : 0);
    }

    /** Heap bytes of the hole index and the parked list (an estimate for statistics). */
    public long footprintBytes() {
        long bytes = byOffset.footprintBytes() + 16L * parked.capacity() + 64;
        bytes += 8L * (windowOffsets.length + runKeys.length + runValues.length) + 4L * windowLengths.length;
        for (long[] bits : windowClassBits) {
            if (bits != null) {
                bytes += 16 + 8L * bits.length;
            }
        }
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
        if (length <= MAX_HOLE && holes() > 0) {
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
        if (mark >= BULK_RELEASE && mark >= holes() / 4) {
            checkIn();
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
            long below = holeEndingAt(e);
            if (below != Long.MIN_VALUE) {
                e = below;
                continue;
            }
            return e;
        }
    }

    /** The offset of the hole that ends at {@code e}, in the maps or the window; or MIN_VALUE. Changes nothing. */
    private long holeEndingAt(long e) {
        long below = byOffset.floorKey(e - 1);
        if (below != Long.MIN_VALUE && below + byOffset.get(below) == e) {
            return below;
        }
        if (windowOut && e > windowFrom && e <= windowHolesEnd) {
            int i = Arrays.binarySearch(windowOffsets, 0, windowCount, e - 1);
            i = i >= 0 ? i : -i - 2; // the last hole starting below e
            if (i >= 0 && windowLengths[i] > 0 && windowOffsets[i] + windowLengths[i] == e) {
                return windowOffsets[i];
            }
        }
        return Long.MIN_VALUE;
    }

    /** Bytes parked and not yet reusable. */
    public long parkedBytes() {
        return parkedBytes;
    }

    /** Makes a range reusable at once, merging it with neighbouring holes. */
    public void freeNow(long offset, long length) {
        if (windowOut && offset + length >= windowFrom && offset <= windowHolesEnd) {
            checkIn(); // a neighbour may be one of the window's holes
        }
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
        int looks = 2;
        if (windowOut) {
            long offset = fitInWindow(c, length);
            if (offset != Long.MIN_VALUE) {
                return offset;
            }
            if (++windowMisses < WINDOW_MISSES && windowLive > 0) {
                // None of the window's holes fits, so the maps (which lack them) hold every fit:
                // the next window's first, as the sweep would move there, else one anywhere.
                long to = Math.min(windowTo + SWEEP_WINDOW, byOffset.keyAfter(windowTo, WINDOW_HOLES));
                offset = fitWithin(windowTo, to, c, length);
                return offset != Long.MIN_VALUE ? takeFromMaps(offset, length) : takeGoodFit(c, length);
            }
            checkIn();
            sweep = windowTo; // the window served what it could: look once past it
            looks = 1;
        } else if (byOffset.size() > 0 && byOffset.lastKey() < sweep) {
            sweep = start;
        }
        for (int look = 0; look < looks && byOffset.size() > 0; look++) {
            long to = Math.min(sweep + SWEEP_WINDOW, byOffset.keyAfter(sweep, WINDOW_HOLES));
            if (fitWithin(sweep, to, c, length) != Long.MIN_VALUE) {
                checkOut(sweep, to);
                long offset = fitInWindow(c, length);
                assert offset != Long.MIN_VALUE : "the window's fit vanished at check-out";
                return offset;
            }
            if (look + 1 < looks) {
                sweep = to;
            }
        }
        return takeGoodFit(c, length);
    }

    /** A good fit anywhere in the maps, cut down to {@code length}; or MIN_VALUE (see the class comment). */
    private long takeGoodFit(int c, int length) {
        if (byOffset.size() == 0) {
            return Long.MIN_VALUE;
        }
        long offset = Long.MIN_VALUE;
        SortedLongLongMap own = byClass[c];
        if (own != null && own.size() > 0) {
            offset = own.bestFitAmongFirst(SCAN, length);
        }
        if (offset == Long.MIN_VALUE) {
            int above = nextNonEmpty(nonEmpty, c + 1);
            if (above < 0) {
                return Long.MIN_VALUE;
            }
            offset = byClass[above].firstKey();
        }
        return takeFromMaps(offset, length);
    }

    /** Cuts {@code length} bytes from the front of the maps' hole at {@code offset}; returns the offset. */
    private long takeFromMaps(long offset, int length) {
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
     * Whether the maps hold a good fit in the holes of {@code [from, to)}: one of class {@code c}
     * at least {@code length} long, or one of a class above.
     */
    private long fitWithin(long from, long to, int c, int length) {
        SortedLongLongMap own = byClass[c];
        if (own != null && own.size() > 0) {
            long offset = own.bestFitWithin(from, to, length);
            if (offset != Long.MIN_VALUE) {
                return offset;
            }
        }
        for (int above = nextNonEmpty(nonEmpty, c + 1); above >= 0; above = nextNonEmpty(nonEmpty, above + 1)) {
            long offset = byClass[above].ceilingKey(from);
            if (offset != Long.MIN_VALUE && offset < to) {
                return offset;
            }
        }
        return Long.MIN_VALUE;
    }

    /**
     * Moves the holes of {@code [from, to)} out of the maps into the window's arrays (see the class
     * comment). No window may be out.
     */
    private void checkOut(long from, long to) {
        assert !windowOut;
        windowMisses = 0;
        windowFrom = from;
        windowTo = to;
        windowCount = 0;
        windowHolesEnd = from;
        byOffset.drainRange(from, to, this::addToWindow);
        windowLive = windowCount;
        for (int i = 0; i < windowCount; i++) {
            int c = classOf(windowLengths[i]);
            if (windowClassCount[c] == 0) {
                removeClassRange(c, from, to); // the window's first hole of this class
            }
            setWindowBit(c, i);
        }
        windowOut = true;
    }

    private void addToWindow(long offset, long length) {
        if (windowCount == windowOffsets.length) {
            windowOffsets = Arrays.copyOf(windowOffsets, windowCount * 2);
            windowLengths = Arrays.copyOf(windowLengths, windowCount * 2);
        }
        windowOffsets[windowCount] = offset;
        windowLengths[windowCount++] = (int) length;
        windowHolesEnd = Math.max(windowHolesEnd, offset + length);
    }

    private void removeClassRange(int c, long from, long to) {
        SortedLongLongMap m = byClass[c];
        m.drainRange(from, to, null);
        if (m.size() == 0) {
            nonEmpty[c >>> 6] &= ~(1L << c);
        }
    }

    /**
     * A good fit among the window's holes (the same rule as {@link #fitWithin}), cut down to
     * {@code length}; or MIN_VALUE.
     */
    private long fitInWindow(int c, int length) {
        int best = -1;
        if (windowClassCount[c] > 0) {
            long[] bits = windowClassBits[c];
            int bestLength = Integer.MAX_VALUE;
            scan:
            for (int w = 0, words = (windowCount + 63) >>> 6; w < words; w++) {
                for (long b = bits[w]; b != 0; b &= b - 1) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(b);
                    int holeLength = windowLengths[i];
                    if (holeLength >= length && holeLength < bestLength) {
                        best = i;
                        bestLength = holeLength;
                        if (holeLength == length) {
                            break scan;
                        }
                    }
                }
            }
        }
        if (best < 0) {
            int above = nextNonEmpty(windowNonEmpty, c + 1);
            if (above < 0) {
                return Long.MIN_VALUE;
            }
            best = firstBit(windowClassBits[above]);
        }
        long offset = windowOffsets[best];
        int holeLength = windowLengths[best];
        int was = classOf(holeLength);
        clearWindowBit(was, best);
        int rest = holeLength - length;
        if (rest == 0) {
            windowLengths[best] = 0;
            windowLive--;
        } else {
            windowOffsets[best] = offset + length;
            windowLengths[best] = rest;
            setWindowBit(classOf(rest), best);
        }
        freeBytes -= length;
        return offset;
    }

    /** Notes window hole {@code i} in class {@code c}'s bit set, made or grown when the class was empty. */
    private void setWindowBit(int c, int i) {
        if (windowClassCount[c]++ == 0) {
            windowNonEmpty[c >>> 6] |= 1L << c;
            int words = (windowCount + 63) >>> 6;
            if (windowClassBits[c] == null || windowClassBits[c].length < words) {
                windowClassBits[c] = new long[Math.max(words, 4)]; // an empty class has no bit set
            }
        }
        windowClassBits[c][i >>> 6] |= 1L << i;
    }

    private void clearWindowBit(int c, int i) {
        windowClassBits[c][i >>> 6] &= ~(1L << i);
        if (--windowClassCount[c] == 0) {
            windowNonEmpty[c >>> 6] &= ~(1L << c);
        }
    }

    private static int firstBit(long[] bits) {
        for (int w = 0; ; w++) {
            if (bits[w] != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits[w]);
            }
        }
    }

    /**
     * Puts the window's holes that are left back into the maps (see the class comment); nothing
     * if no window is out.
     */
    private void checkIn() {
        if (!windowOut) {
            return;
        }
        windowOut = false;
        if (runKeys.length < windowLive) {
            runKeys = new long[windowCount];
            runValues = new long[windowCount];
        }
        int n = 0;
        for (int i = 0; i < windowCount; i++) {
            if (windowLengths[i] > 0) {
                runKeys[n] = windowOffsets[i];
                runValues[n++] = windowLengths[i];
            }
        }
        byOffset.putRun(runKeys, runValues, n);
        for (int c = nextNonEmpty(windowNonEmpty, 0); c >= 0; c = nextNonEmpty(windowNonEmpty, c + 1)) {
            long[] bits = windowClassBits[c];
            n = 0;
            for (int w = 0, words = (windowCount + 63) >>> 6; w < words; w++) {
                for (long b = bits[w]; b != 0; b &= b - 1) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(b);
                    runKeys[n] = windowOffsets[i];
                    runValues[n++] = windowLengths[i];
                }
                bits[w] = 0;
            }
            SortedLongLongMap m = byClass[c];
            if (m == null) {
                m = byClass[c] = new SortedLongLongMap();
            }
            m.putRun(runKeys, runValues, n);
            nonEmpty[c >>> 6] |= 1L << c;
            windowClassCount[c] = 0;
        }
        Arrays.fill(windowNonEmpty, 0);
        windowCount = 0;
        windowLive = 0;
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

    /** The first class at or after {@code from} whose bit is set in {@code classes}, or -1. */
    private static int nextNonEmpty(long[] classes, int from) {
        for (int w = from >>> 6; w < classes.length; w++) {
            long bits = classes[w] & (w == from >>> 6 ? -1L << from : -1L);
            if (bits != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    private static int nonEmptyWords() {
        return (CLASSES + 63) >>> 6;
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
