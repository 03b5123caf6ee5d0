package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.bobbob.bench.StoreAdapter;

/**
 * RAW-refill: the practical limit of a store that puts new objects into the space deleted ones
 * freed, in place (W3 and W7 only). What bobbob's stores do when they refill holes, without
 * anything else they do: no crash safety (freed space is reused at once, sync or not), no
 * checksums, no ids to check, no metadata but an index snapshot at the durable step.
 *
 * <p><b>Placement</b>, as bobbob's {@code FileSpace} places new objects while it refills holes
 * (a window that sweeps through the file), with first fit instead of its best fit and no size
 * classes. Freed ranges are merged into one list of holes sorted by offset at the first put after
 * deletes. A new object takes the first hole that fits wholly inside the window of
 * {@value #WINDOW} bytes from the sweep; with none, the sweep moves on to the window of the next
 * hole past it (the holes left behind are given up on) and looks once more; with none there
 * either, the object goes to the end. The sweep starts at the first hole.
 *
 * <p><b>I/O.</b> The window is also what is read and written: read with one call when the first
 * new object falls into it, written back (its changed span) with one call when the sweep moves
 * on. So the live bytes between the holes are read and written once, in the fewest and largest
 * calls (bobbob gathers the same refill into 64 KiB chunks). New objects at the end are appended to
 * a buffer of the same size, written with one call when full (as RAW-buffered writes). Reads and
 * overwrites are positional calls, after the window and the buffer are written if they touch them.
 * Nothing is forced before the durable step.
 *
 * <p>Durable = the window and the append buffer written, the index (offset {@code long}, size {@code int} per key)
 * written as one snapshot file, both forced. Reopen reads the snapshot and derives the holes as
 * the gaps between the live objects. Not thread-safe (W3 and W7 use one thread).
 */
public final class RawRefillAdapter implements StoreAdapter {
    /** Bytes of file the window holds. */
    static final int WINDOW = 4 << 20;
    /** The smallest object the workloads write: a hole shorter than this is passed over. */
    private static final int MIN_OBJECT = 16;

    private final Path dir;
    private final Path log;
    private final Path index;
    private FileChannel ch;

    private final KeyIndex keys = new KeyIndex("raw-refill");
    /** Where the next object at the end goes. */
    private long end;
    /** The file's length as this store last made it. */
    private long fileSize;

    /** Holes by offset: [holeOff[i], holeOff[i] + holeLen[i]); the cursor is where fits are looked for. */
    private long[] holeOff = new long[0];

    private long[] holeLen = new long[0];
    private int holes;
    /** The first hole not passed over; every hole before it is used up or given up on. */
    private int cursor;
    /** Where the window new objects are placed in begins (64 KiB aligned). */
    private long sweep;
    /** Ranges freed since the holes were last merged. */
    private long[] freedOff = new long[1024];

    private long[] freedLen = new long[1024];
    private int freed;

    private final byte[] window = new byte[WINDOW];
    /** The window's first byte in the file; -1 when it holds nothing. */
    private long windowStart = -1;
    /** The window's changed span [dirtyFrom, dirtyTo), relative to it; empty when equal. */
    private int dirtyFrom;

    private int dirtyTo;

    private final ByteBuffer appends = ByteBuffer.allocate(WINDOW);
    /** Where {@link #appends}' first byte goes in the file. */
    private long appendsStart;

    private RawRefillAdapter(Path dir, boolean create) throws IOException {
        this.dir = dir;
        this.log = dir.resolve("data.log");
        this.index = dir.resolve("index.snap");
        if (create) {
            ch = FileChannel.open(
                    log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            reopen();
        }
    }

    /** A new, empty store in {@code dir} ({@code create}) or the one already there. */
    public static RawRefillAdapter open(Path dir, boolean create) throws IOException {
        return new RawRefillAdapter(dir, create);
    }

    @Override
    public long put(byte[] data) throws IOException {
        int n = data.length;
        long at = place(n);
        int key = keys.add(at, n);
        if (at + n == end && n <= appends.capacity()) { // placed at the end: appended
            if (appends.position() > 0 && appendsStart + appends.position() != at || n > appends.remaining()) {
                writeAppends();
            }
            if (appends.position() == 0) {
                appendsStart = at;
            }
            appends.put(data);
            return key;
        }
        if (n > WINDOW / 2) {
            leaveWindow(at, n); // the window must not write its older bytes of the range back later
            writeFully(ByteBuffer.wrap(data), at);
            fileSize = Math.max(fileSize, at + n);
            return key;
        }
        if (windowStart < 0 || at < windowStart || at + n > windowStart + WINDOW) {
            writeBack();
            load(at >= sweep && at + n <= sweep + WINDOW ? sweep : at & -65536L);
        }
        int rel = (int) (at - windowStart);
        System.arraycopy(data, 0, window, rel, n);
        dirtyFrom = dirtyTo == dirtyFrom ? rel : Math.min(dirtyFrom, rel);
        dirtyTo = Math.max(dirtyTo, rel + n);
        return key;
    }

    /** Writes the appended objects to the file. */
    private void writeAppends() throws IOException {
        if (appends.position() > 0) {
            appends.flip();
            writeFully(appends, appendsStart);
            fileSize = Math.max(fileSize, appendsStart + appends.limit());
            appends.clear();
        }
    }

    /**
     * Where a new object of {@code n} bytes goes: the first hole that fits in the window from the
     * sweep on, else in the window after it, else the end.
     */
    private long place(int n) {
        if (freed > 0) {
            mergeFreed();
        }
        for (int attempt = 0; attempt < 2 && cursor < holes; attempt++) {
            long limit = sweep + WINDOW;
            for (int i = cursor; i < holes && holeOff[i] < limit; i++) {
                if (holeLen[i] >= n && holeOff[i] + n <= limit) {
                    long at = holeOff[i];
                    holeOff[i] += n;
                    holeLen[i] -= n;
                    while (cursor < holes && holeLen[cursor] < MIN_OBJECT) {
                        cursor++;
                    }
                    return at;
                }
            }
            while (cursor < holes && holeOff[cursor] < limit) {
                cursor++; // the rest of this window's holes are passed over for good
            }
            if (cursor < holes) {
                sweep = holeOff[cursor] & -65536L;
            }
        }
        long at = end;
        end += n;
        return at;
    }

    /**
     * Merges the freed ranges with the holes left from the cursor on: one sorted, coalesced list.
     * Sorted as longs ({@code offset << 24 | i}, offsets below 2^40, fewer than 2^24 ranges).
     */
    private void mergeFreed() {
        int m = holes - cursor + freed;
        long[] lens = new long[m];
        long[] sorted = new long[m];
        int k = 0;
        for (int i = cursor; i < holes; i++, k++) {
            lens[k] = holeLen[i];
            sorted[k] = holeOff[i] << 24 | k;
        }
        for (int i = 0; i < freed; i++, k++) {
            lens[k] = freedLen[i];
            sorted[k] = freedOff[i] << 24 | k;
        }
        Arrays.sort(sorted);
        holeOff = new long[m];
        holeLen = new long[m];
        holes = 0;
        for (long key : sorted) {
            long at = key >>> 24;
            long n = lens[(int) (key & 0xFFFFFF)];
            if (n == 0) {
                continue;
            }
            if (holes > 0 && holeOff[holes - 1] + holeLen[holes - 1] == at) {
                holeLen[holes - 1] += n;
            } else {
                holeOff[holes] = at;
                holeLen[holes++] = n;
            }
        }
        cursor = 0;
        freed = 0;
        sweep = holes > 0 ? holeOff[0] & -65536L : end;
    }

    /** Makes the window hold the file's bytes from {@code start} (zeros past the file's end). */
    private void load(long start) throws IOException {
        windowStart = start;
        dirtyFrom = 0;
        dirtyTo = 0;
        int have = (int) Math.max(0, Math.min(WINDOW, fileSize - start));
        ByteBuffer dst = ByteBuffer.wrap(window, 0, have);
        long pos = start;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        Arrays.fill(window, dst.position(), WINDOW, (byte) 0);
    }

    /** Writes the window's changed span back to the file. */
    private void writeBack() throws IOException {
        if (dirtyTo > dirtyFrom) {
            writeFully(ByteBuffer.wrap(window, dirtyFrom, dirtyTo - dirtyFrom), windowStart + dirtyFrom);
            fileSize = Math.max(fileSize, windowStart + dirtyTo);
        }
        dirtyFrom = 0;
        dirtyTo = 0;
    }

    /** Writes the window back and forgets it if {@code [at, at + n)} touches it; the same for the appends. */
    private void leaveWindow(long at, int n) throws IOException {
        if (appends.position() > 0 && at + n > appendsStart) {
            writeAppends();
        }
        if (windowStart >= 0 && at < windowStart + WINDOW && at + n > windowStart) {
            writeBack();
            windowStart = -1;
        }
    }

    @Override
    public byte[] get(long key) throws IOException {
        int n = keys.size(key);
        long at = keys.off[(int) key];
        leaveWindow(at, n);
        ByteBuffer dst = ByteBuffer.allocate(n);
        long pos = at;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new IOException("raw-refill: short read at " + pos);
            }
            pos += r;
        }
        return dst.array();
    }

    @Override
    public void overwrite(long key, byte[] data) throws IOException {
        if (keys.size(key) != data.length) {
            throw new IllegalArgumentException("raw-refill: overwrite must keep the size");
        }
        leaveWindow(keys.off[(int) key], data.length);
        writeFully(ByteBuffer.wrap(data), keys.off[(int) key]);
    }

    @Override
    public void delete(long key) {
        int n = keys.size(key);
        free(keys.off[(int) key], n);
        keys.len[(int) key] = -1;
    }

    /** Notes {@code [at, at + n)} as freed: a hole from the next put on. */
    private void free(long at, long n) {
        if (freed == freedOff.length) {
            freedOff = Arrays.copyOf(freedOff, freed * 2);
            freedLen = Arrays.copyOf(freedLen, freed * 2);
        }
        freedOff[freed] = at;
        freedLen[freed++] = n;
    }

    @Override
    public void durable() throws IOException {
        writeBack();
        writeAppends();
        keys.writeSnapshot(index, end, ch);
    }

    @Override
    public void close() throws IOException {
        durable();
        ch.close();
        windowStart = -1;
    }

    @Override
    public void reopen() throws IOException {
        ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileSize = ch.size();
        keys.readSnapshot(index);
        // The holes: the gaps between the live objects (sorted as mergeFreed sorts), merged as freed ranges.
        long[] sorted = new long[keys.count];
        int m = 0;
        for (int i = 0; i < keys.count; i++) {
            if (keys.len[i] > 0) {
                sorted[m++] = keys.off[i] << 24 | i;
            }
        }
        Arrays.sort(sorted, 0, m);
        holes = 0;
        cursor = 0;
        freed = 0;
        long at = 0;
        for (int k = 0; k < m; k++) {
            long off = sorted[k] >>> 24;
            if (off > at) {
                free(at, off - at);
            }
            at = Math.max(at, off + keys.len[(int) (sorted[k] & 0xFFFFFF)]);
        }
        end = at;
        mergeFreed();
        windowStart = -1;
    }

    private void writeFully(ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
    }

    @Override
    public Path dir() {
        return dir;
    }
}
