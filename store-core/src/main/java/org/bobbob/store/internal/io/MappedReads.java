package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Serves positional reads from read-only memory maps of the file, so a read is one copy from
 * the page cache instead of a system call.
 *
 * <h2>How</h2>
 * <ul>
 *   <li>The file is mapped in segments of {@value #SEGMENT_BITS}-bit size (1 GiB; a
 *       {@code MappedByteBuffer} holds at most 2 GiB), never past the file's size at the time of
 *       mapping: a map past the end would fault on access.
 *   <li>{@link #limit} says how far the maps reach. A read that ends past it asks for a remap,
 *       which happens only when the file has grown by at least 1/8 of what is mapped (or
 *       {@value #MIN_GROWTH} bytes), so a growing file is not remapped on every read; until then
 *       such reads go to the channel ({@link #read} returns -1 and the caller falls back). A sync
 *       remaps once the file has grown by 1/64, so after one at most that sliver takes that path.
 *   <li>Writes go through the channel; on Linux the page cache is shared, so maps see them.
 *   <li>{@code read} uses the maps, and so does the record a store opened lazily answers look-ups
 *       from ({@link #view}, {@code StoreFile#mappedView}); {@code readOnce} (bytes read once:
 *       headers, journal entries, a commit's and a backup's copies) does not (see
 *       {@code StoreFile#readOnce}).
 *   <li>To cut the file, {@link #cut} first pulls the limit back, so reads past the new end go
 *       to the channel (and read end-of-file) instead of touching a page that no longer exists,
 *       and then waits for the reads already copying under the old limit. A store reads without
 *       its locks (a reader holding an object's stale place checks what it read afterwards), so
 *       such a reader may be copying from the very bytes the cut removes; touching them after the
 *       cut would fault the JVM. Each read counts itself in a {@link ReadsInFlight} for the
 *       generation of maps it read under, and checks after counting that no cut has begun since;
 *       a cut starts a new generation, waits until the old one's count is zero, and only then
 *       cuts the file.
 *       Remaps that only grow the maps keep the generation (their old maps stay valid); a remap
 *       reads the file's size under the same lock as the cut, so it never maps a size read before
 *       a cut.
 *   <li>Every segment ever mapped is remembered until {@link #unmapAll}, which the store calls at
 *       close once no read can be running: the maps go at once, not at some later garbage
 *       collection (a store opened and closed many times would otherwise pile up maps up to the
 *       kernel's limit). Unmapping uses {@code sun.misc.Unsafe.invokeCleaner}, the JDK 17 way for a
 *       channel's map, found reflectively; without it the maps go with the garbage collector.
 *   <li>A page the kernel cannot supply faults the copy (SIGBUS), which the JVM raises as an
 *       {@link InternalError} at some later point of the thread, where nothing can catch it for
 *       this read. So maps are not used where that happens in normal operation: on a memory file
 *       system, where reading a never-written page of a full tmpfs faults (see
 *       {@code ChannelStoreFile}). What remains: a device I/O error under a map, or the file cut
 *       by another program behind the store's lock.
 * </ul>
 * Thread-safe: {@link #maps} is replaced whole and published through a volatile field.
 */
final class MappedReads {
    static final int SEGMENT_BITS = 30;
    private static final long SEGMENT = 1L << SEGMENT_BITS;
    private static final long MIN_GROWTH = 64L << 20;

    private static final MappedByteBuffer[] NO_SEGMENTS = new MappedByteBuffer[0];

    /** The maps, how far they reach and the count of reads under them; immutable once published. */
    private record Maps(MappedByteBuffer[] segments, long limit, ReadsInFlight readers) {}

    private volatile Maps maps = new Maps(NO_SEGMENTS, 0, new ReadsInFlight());
    /** Every segment mapped since the last {@link #unmapAll}; guarded by {@code this}. */
    private final List<MappedByteBuffer> mappedEver = new ArrayList<>();
    /** Runs inside each read, between its checks and its copy; a no-op but in tests. */
    private final Runnable insideRead;

    MappedReads() {
        this(() -> {});
    }

    /** For tests: {@code insideRead} runs in each read once it is counted, before it copies. */
    MappedReads(Runnable insideRead) {
        this.insideRead = insideRead;
    }

    /** How far the maps reach. */
    long limit() {
        return maps.limit;
    }

    /**
     * Copies {@code dst.remaining()} bytes from {@code position} if the maps cover them.
     *
     * @return the bytes copied, or -1 if the maps do not cover the range (read from the channel)
     */
    int read(ByteBuffer dst, long position) {
        Maps m = maps;
        int n = dst.remaining();
        if (position < 0 || position + n > m.limit) {
            return -1;
        }
        ReadsInFlight readers = m.readers;
        int stripe = readers.enter();
        try {
            if (maps.readers != readers) {
                return -1; // a cut began after m was read: its bytes may be gone, ask the channel
            }
            insideRead.run();
            long pos = position;
            int left = n;
            while (left > 0) {
                MappedByteBuffer seg = m.segments[(int) (pos >>> SEGMENT_BITS)];
                int inSeg = (int) (pos & (SEGMENT - 1));
                int chunk = Math.min(left, seg.limit() - inSeg);
                dst.put(dst.position(), seg, inSeg, chunk);
                dst.position(dst.position() + chunk);
                pos += chunk;
                left -= chunk;
            }
            return n;
        } finally {
            readers.exit(stripe);
        }
    }

    /**
     * A read-only view of {@code [position, position + length)}: a slice of one segment, valid
     * until {@link #unmapAll} and while the file is not cut below its end (a view is not counted
     * as a read: the caller keeps cuts away while it reads one, as a store does with its lock).
     * Null if the maps do not reach the range or it spans two segments.
     */
    ByteBuffer view(long position, int length) {
        Maps m = maps;
        if (position < 0 || length < 0 || position + length > m.limit) {
            return null;
        }
        MappedByteBuffer seg = m.segments[(int) (position >>> SEGMENT_BITS)];
        int inSeg = (int) (position & (SEGMENT - 1));
        return inSeg + length <= seg.limit() ? seg.slice(inSeg, length) : null;
    }

    /** Maps up to the file's size if it has grown enough since the last map. */
    void grow(FileChannel channel) throws IOException {
        grow(channel, false);
    }

    /**
     * Maps up to the file's size if it has grown enough since the last map: by 1/8 of what is
     * mapped, or with {@code afterSync} by 1/64. A sync is when the file has stopped growing for
     * a while, so the smaller step leaves at most a sliver of it to be read through the channel,
     * while a store that syncs every second does not remap every time (each remap leaves the old
     * maps to the garbage collector). The size is read under this object's lock, which
     * {@link #cut} holds from lowering the limit to cutting the file: a size read before a cut
     * and mapped after it would map pages past the file's end.
     */
    synchronized void grow(FileChannel channel, boolean afterSync) throws IOException {
        long fileSize = channel.size();
        Maps m = maps;
        long growth = fileSize - m.limit;
        long step = Math.min(MIN_GROWTH, Math.max(4096, m.limit >>> (afterSync ? 6 : 3)));
        if (growth <= 0 || growth < step) {
            return;
        }
        int count = (int) ((fileSize + SEGMENT - 1) >>> SEGMENT_BITS);
        MappedByteBuffer[] segments = Arrays.copyOf(m.segments, count);
        int firstToMap = (int) (m.limit >>> SEGMENT_BITS); // the last, partial segment is mapped again
        for (int i = firstToMap; i < count; i++) {
            long start = (long) i << SEGMENT_BITS;
            segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(SEGMENT, fileSize - start));
            mappedEver.add(segments[i]);
        }
        maps = new Maps(segments, fileSize, m.readers);
    }

    /**
     * Cuts the file to {@code size}: first reads past it leave the maps, then the reads that may
     * be copying from past it end, then {@code channel} is cut, all under this object's lock, so
     * no remap in between maps the doomed pages again. Reads do not wait for it: those that
     * begin meanwhile go to the channel or stay below {@code size}.
     */
    synchronized void cut(FileChannel channel, long size) throws IOException {
        Maps m = maps;
        if (size < m.limit) {
            maps = new Maps(size == 0 ? NO_SEGMENTS : m.segments, size, new ReadsInFlight());
            m.readers.awaitNone();
        }
        channel.truncate(size);
    }

    /** Forgets every map (the channel was replaced, or closed); unmapping waits for {@link #unmapAll}. */
    synchronized void clear() {
        maps = new Maps(NO_SEGMENTS, 0, maps.readers);
    }

    /**
     * Unmaps every segment ever mapped. The caller guarantees that no {@link #read} is running or
     * will start: touching an unmapped segment would crash the JVM.
     */
    synchronized void unmapAll() {
        maps = new Maps(NO_SEGMENTS, 0, maps.readers);
        for (MappedByteBuffer segment : mappedEver) {
            Unmapper.unmap(segment);
        }
        mappedEver.clear();
    }
}
