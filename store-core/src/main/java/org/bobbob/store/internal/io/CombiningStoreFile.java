package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bobbob.store.support.Failures;

/**
 * Gathers small writes into few large ones: a {@link StoreFile} decorator with a small
 * write-back cache of chunks of the file: {@value #CACHE_BYTES} bytes of them, 64 KiB each unless
 * the store asks for larger ones ({@link #over(StoreFile, int)}).
 *
 * <h2>Why</h2>
 * A store writes each object with its own positional write, and most objects are small: the
 * system call, not the copy, is the cost. New objects of one size class fill a block slot after
 * slot, and new large objects go to the end of the file one after another, so consecutive writes
 * usually continue where an earlier one stopped. Gathering them turns thousands of calls into a
 * few large writes.
 *
 * <h2>How</h2>
 * <ol>
 *   <li>A write smaller than {@value #DIRECT_WRITE} bytes is copied into the chunk(s) it falls
 *       in; each chunk keeps one dirty interval. A write that touches or overlaps it widens it.
 *       One that leaves a small gap (objects in slots larger than themselves leave one after
 *       each) widens it too when the gap lies past where the file ended when the chunk was made:
 *       those bytes are zeros in the file and in the buffer, so writing them back changes nothing.
 *       So does a gap inside loaded units (3), or one whose units may be loaded now. Any other gap
 *       writes the interval out and starts a new one. The file is read into a chunk only by a load.
 *   <li>Only new data is cached: a write that reaches past the file's end (new objects at the
 *       end, new blocks of slots), or one into a chunk already cached. A write wholly inside the
 *       file (an overwrite, an object in a reused hole) goes straight through, outside the lock,
 *       since caching it would evict chunks still being filled.
 *   <li>Except for new objects in reused space that come close together: a multi store refills a
 *       block's free slots one after another, between live objects, and the allocator refills
 *       holes sweeping through the file ({@code FileSpace}). A {@link #writeNewObject} into a chunk
 *       that another recent one went to (one of the last {@value #RECENT} chunks), or into the
 *       chunk after such a one, <em>loads</em> the chunk's <em>units</em> it falls in: their bytes
 *       are read from the file, so the dirty interval may then widen over any gap in them, and the
 *       refill becomes one write per chunk instead of one per object. A unit is the whole chunk
 *       unless the store asks for smaller ones ({@link #over(StoreFile, int, int)}): a multi
 *       store's 64 KiB, about a block of slots, so refilling a block reads little more than the
 *       block, not the blocks of other size classes around it. A new object that begins in a
 *       cached chunk loads the units it reaches into in the next chunk as well. Loading
 *       is safe only while no direct write into the chunk is under way (it would read bytes that
 *       write is about to replace, and write them back later): each direct write counts itself in
 *       and out of its chunk's stripe of {@link #inFlight} (in under the lock), and a chunk with a
 *       write in flight is not loaded. Once loaded, later writes see the chunk and join it.
 *   <li>When the chunks cached fill {@value #CACHE_BYTES} bytes (64 of a multi store's 256 KiB), the
 *       least recently written is written out and its buffer reused: a multi store fills a block
 *       per size class at once, so dozens of chunks are being filled side by side. Larger writes
 *       write out the chunks they overlap, then go straight through.
 *   <li>The chunk size is the unit of a write-out. A basic store asks for 512 KiB chunks, read
 *       whole: its refills sweep through the file's holes a 4 MiB window at a time, so every
 *       byte of a chunk it loads is written back soon, and one call per 512 KiB instead of eight
 *       moves the same bytes in three quarters of the time (docs/BENCHMARKS.md). A multi store
 *       asks for 256 KiB, read in 64 KiB units: most of its new bytes are new blocks at the file's
 *       end, and a reused block's refill loads the units it lies in. Bytes past the file's end leave a chunk in pieces of at
 *       most 256 KiB whatever its size ({@link #writeInPieces}): the page cache keeps new bytes
 *       in folios as large as the write that made them. Larger folios make the first read of the
 *       new bytes through a map cheaper (fewer page faults), but beyond about 1 MiB they make
 *       later small overwrites cost more.
 *   <li>{@link #force()} writes every chunk out, in file order, then forces the file; so does
 *       {@link #close()}. {@link #flush()} writes them out too, without the force, and keeps
 *       them. {@link #truncate} and {@link #size()} see the cached bytes too.
 *   <li>{@link #extendTo} (a commit making the file as long as its header's end, while an object
 *       at the end may still be being written) looks at the size and writes its zero byte under
 *       the lock that every write past the file's end takes, so it never undoes such a write.
 *   <li>A read that overlaps a cached chunk is served under the cache's lock, chunk by chunk: from
 *       the buffer alone where it holds the current bytes (the dirty interval, loaded units, and
 *       every byte from {@code validFrom} on), so data just written is read without a system call and
 *       without padding bytes past the file's end; elsewhere the file's bytes with the dirty
 *       interval laid over them. A read that overlaps none goes straight to the file, without the
 *       lock: a chunk leaves the cache only after its bytes are in the file. Whether a read meets
 *       the cache is first asked of a count of cached chunks per stripe of chunk indexes, so
 *       most reads that miss it never look into the map of chunks.
 * </ol>
 * What the cache holds is lost by a crash, as page-cache writes are lost by a power failure: the
 * store's promise is only for what a sync covered, and a sync forces the cache first.
 *
 * <h2>Why one class of some 500 lines</h2>
 * The cache's rules (dirty intervals, what may be cached, the in-flight stripes that make a load
 * safe, eviction order) hold together under one lock and every method relies on all of them; in
 * separate classes each part would have to reach into the others' state.
 *
 * <p>Thread-safe. One lock guards the cache; it is held for copies into chunk buffers and for
 * writing chunks out, never for a read that misses the cache nor for a durable write.
 */
public final class CombiningStoreFile implements StoreFile {
    /** The chunk size unless the store asks for another: 64 KiB. */
    public static final int DEFAULT_CHUNK_BITS = 16;
    /** The largest chunk size a store may ask for: 1 MiB. */
    public static final int MAX_CHUNK_BITS = 20;
    /** The smallest chunk size a store may ask for: 4 KiB, a page. */
    public static final int MIN_CHUNK_BITS = 12;

    static final int DEFAULT_CHUNK_SIZE = 1 << DEFAULT_CHUNK_BITS;
    /** What the chunks' buffers hold at most together: 16 MiB, whatever their size. */
    static final int CACHE_BYTES = 16 << 20;

    /**
     * Writes of this many bytes or more go straight to the file whatever the chunk size (32 KiB,
     * half a default chunk): a large object gains nothing from a copy into the cache.
     */
    static final int DIRECT_WRITE = DEFAULT_CHUNK_SIZE / 2;
    /** The largest write of bytes past the file's end (see {@link #writeInPieces}): 256 KiB. */
    static final int APPEND_PIECE = 1 << 18;

    static final int MAX_GAP = 8192;
    /** How many chunks that recent new objects went to are remembered. */
    static final int RECENT = 64;
    /**
     * How long after the last chunk was made a force keeps the chunks' buffers for reuse (1 s);
     * see {@link #newChunkMemory}.
     */
    static final long KEEP_BUFFERS_NANOS = 1_000_000_000L;

    /** At most 2^6 load units in a chunk: one bit each in {@link Chunk#loaded}. */
    private static final int MAX_UNIT_BITS = 6;

    private static final int STRIPES = 4096;
    private static final int PAGE = 4096;
    /** Zeros to clear a chunk buffer with, a piece at a time. */
    private static final byte[] ZEROS = new byte[DEFAULT_CHUNK_SIZE];

    /**
     * One cached chunk: its buffer and its dirty interval [lo, hi), relative to the chunk. From
     * {@code validFrom} on, the buffer holds what the file holds (or newer, dirty bytes): the part
     * of a chunk past the file's end starts as zeros, so a gap there needs no read.
     */
    private static final class Chunk {
        final long index;
        /** The chunk's first byte in the file. */
        final long base;
        /** The native block the buffer lies in (see {@link #newChunkMemory}). */
        final ByteBuffer memory;
        /** One chunk's bytes of {@link #memory}, from a page boundary. */
        final ByteBuffer buf;

        int lo;
        int hi;
        int validFrom;
        /**
         * Bit u set: the buffer holds the file's bytes (or newer, dirty ones) in load unit u, bytes
         * {@code [u << loadBits, (u + 1) << loadBits)} of the chunk; what lies below {@code validFrom}
         * is current only in such units and in the dirty interval.
         */
        long loaded;

        Chunk(long index, int chunkBits, ByteBuffer memory) {
            this.index = index;
            this.base = index << chunkBits;
            this.memory = memory;
            this.buf = memory.alignedSlice(PAGE).slice(0, 1 << chunkBits);
        }

        long base() {
            return base;
        }
    }

    private final StoreFile inner;
    /** Whether small writes are gathered into chunks; if not, no chunk is ever made (see {@link #over}). */
    private final boolean gathering;

    private final Object lock = new Object();
    /** Present chunks by index, for the lock-free "does a read touch the cache" check. */
    private final ConcurrentHashMap<Long, Chunk> present = new ConcurrentHashMap<>();
    /** The same chunks, least recently written first (guarded by {@link #lock}). */
    private final LinkedHashMap<Long, Chunk> order;
    /** log2 of {@link #chunkSize}. */
    private final int chunkBits;
    /** Bytes per chunk. */
    private final int chunkSize;
    /** Chunks cached at most: {@link #CACHE_BYTES} of them. */
    private final int maxChunks;
    /** log2 of the load unit: a chunk is read from the file a unit at a time ({@link #loadUnits}). */
    private final int loadBits;

    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    /** See {@link #KEEP_BUFFERS_NANOS}. */
    private final long keepBuffersNanos;
    /** {@link System#nanoTime} when the last chunk was made (guarded by the lock). */
    private long lastChunkMade;
    /**
     * The file's own length as this object last set or saw it (every write to the file goes through
     * here): bytes at or past it read as zeros, so a gap there needs no read. Guarded by the lock.
     */
    private long innerSize = -1;
    /**
     * The end of the durable writes under way ({@link #writeDurably}; 0 when none is), which may
     * lie past {@link #innerSize}: their bytes count as the file's, not as zeros, for the chunks
     * made meanwhile ({@link #knownEnd}). Guarded by the lock, as is {@link #durableWrites}.
     */
    private long durableEnd;

    private int durableWrites;
    /**
     * At least the end of every chunk's dirty interval (none past it), so that {@link #size()} and
     * a read that meets the cache need not look at every chunk. Raised by copies into chunks; exact
     * again after {@link #discard}; 0 once every chunk is written out and dropped. Guarded by the lock.
     */
    private long dirtyEnd;
    /** Set by close(): later calls fail as a closed channel's would, rather than filling the cache. */
    private volatile boolean closed;
    /** Set when the file refused a write (a full disk): writes then go straight through; see {@link #writeOut}. */
    private volatile boolean writingThrough;
    /**
     * Direct writes under way, per stripe of chunk indexes. Counted up under the lock, when the
     * write is decided; down after it, without the lock. A chunk is loaded (under the lock) only
     * when its stripe is at zero, so no direct write can land in it unseen.
     */
    private final AtomicIntegerArray inFlight = new AtomicIntegerArray(STRIPES);
    /** Cached chunks per stripe of chunk indexes, so a read can tell cheaply that it meets none. */
    private final AtomicIntegerArray cachedPerStripe = new AtomicIntegerArray(STRIPES);
    /** Chunks that recent new objects went to, a ring (guarded by the lock). */
    private final long[] recentNew = new long[RECENT];

    private int recentNext;

    /** {@code inner} behind a cache of {@value #DEFAULT_CHUNK_SIZE}-byte chunks that gathers writes. */
    public CombiningStoreFile(StoreFile inner) {
        this(inner, true);
    }

    CombiningStoreFile(StoreFile inner, boolean gathering) {
        this(inner, gathering, DEFAULT_CHUNK_BITS, KEEP_BUFFERS_NANOS);
    }

    CombiningStoreFile(StoreFile inner, boolean gathering, long keepBuffersNanos) {
        this(inner, gathering, DEFAULT_CHUNK_BITS, keepBuffersNanos);
    }

    CombiningStoreFile(StoreFile inner, boolean gathering, int chunkBits, long keepBuffersNanos) {
        this(inner, gathering, chunkBits, chunkBits, keepBuffersNanos);
    }

    CombiningStoreFile(StoreFile inner, boolean gathering, int chunkBits, int loadBits, long keepBuffersNanos) {
        if (chunkBits < MIN_CHUNK_BITS || chunkBits > MAX_CHUNK_BITS) {
            throw new IllegalArgumentException("chunks of 2^" + chunkBits + " bytes: the bounds are 2^" + MIN_CHUNK_BITS
                    + " and 2^" + MAX_CHUNK_BITS);
        }
        if (loadBits > chunkBits || loadBits < Math.max(MIN_CHUNK_BITS, chunkBits - MAX_UNIT_BITS)) {
            throw new IllegalArgumentException("load units of 2^" + loadBits + " bytes in chunks of 2^" + chunkBits
                    + ": the bounds are 2^" + Math.max(MIN_CHUNK_BITS, chunkBits - MAX_UNIT_BITS) + " and the chunk");
        }
        this.inner = inner;
        this.gathering = gathering;
        this.loadBits = loadBits;
        this.chunkBits = chunkBits;
        this.chunkSize = 1 << chunkBits;
        this.maxChunks = CACHE_BYTES >>> chunkBits;
        this.keepBuffersNanos = keepBuffersNanos;
        this.order = new LinkedHashMap<>(maxChunks * 2, 0.75f, true);
        Arrays.fill(recentNew, -1);
    }

    /**
     * {@code file} behind a combining cache. With the system property
     * {@code bobbob.writeCombining} {@code false} nothing is gathered (every write is its own
     * system call), but writes past the file's end still take the lock, so that
     * {@link #extendTo} stays atomic with them.
     */
    public static StoreFile over(StoreFile file) {
        return over(file, DEFAULT_CHUNK_BITS);
    }

    /**
     * As {@link #over(StoreFile)}, with chunks of {@code 2^chunkBits} bytes (the cache holds
     * {@value #CACHE_BYTES} bytes of them whatever their size). Larger chunks suit a store whose new
     * objects refill the holes of one stretch of the file after another: each chunk is read and
     * written with one call, so fewer, larger calls move the same bytes.
     *
     * @throws IllegalArgumentException unless {@code chunkBits} lies in
     *     [{@value #MIN_CHUNK_BITS}, {@value #MAX_CHUNK_BITS}]
     */
    public static StoreFile over(StoreFile file, int chunkBits) {
        return over(file, chunkBits, chunkBits);
    }

    /**
     * As {@link #over(StoreFile, int)}, reading the file into a chunk in units of
     * {@code 2^loadBits} bytes, as many as the new objects in it need ({@link #loadUnits}): suits a
     * store whose new objects refill stretches of the file smaller than a chunk.
     *
     * @throws IllegalArgumentException unless {@code chunkBits} lies in
     *     [{@value #MIN_CHUNK_BITS}, {@value #MAX_CHUNK_BITS}] and {@code loadBits} between
     *     {@code chunkBits - 6} (and {@value #MIN_CHUNK_BITS}) and {@code chunkBits}
     */
    public static StoreFile over(StoreFile file, int chunkBits, int loadBits) {
        return new CombiningStoreFile(
                file,
                Boolean.parseBoolean(System.getProperty("bobbob.writeCombining", "true")),
                chunkBits,
                loadBits,
                KEEP_BUFFERS_NANOS);
    }

    @Override
    public Path path() {
        return inner.path();
    }

    // ---------------------------------------------------------------- writes

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return write(src, position, false);
    }

    @Override
    public void writeNewObject(ByteBuffer src, long position) throws IOException {
        long pos = position;
        boolean first = true;
        while (src.hasRemaining()) {
            pos += write(src, pos, first);
            first = false;
        }
    }

    private int write(ByteBuffer src, long position, boolean newObject) throws IOException {
        checkOpen();
        int n = src.remaining();
        if (n >= DIRECT_WRITE || writingThrough) {
            synchronized (lock) {
                flushRange(position, position + n);
                int written = writeThrough(src, position);
                innerSize = Math.max(innerSize(), position + written);
                return written;
            }
        }
        boolean direct;
        long end = position + n;
        synchronized (lock) {
            direct = end <= innerSize()
                    && !touchesCachedChunk(position, end)
                    && !(newObject && gathering && loadForNewObject(position, end));
            if (direct) {
                countInFlight(position, end, 1);
            } else if (gathering) {
                if (newObject) {
                    loadUncached(position, end);
                }
                copyIn(src, position);
            } else { // past the file's end, not gathered: written here, in order with extendTo
                int written = writeThrough(src, position);
                innerSize = Math.max(innerSize(), position + written);
                return written;
            }
        }
        if (direct) {
            // A write wholly inside the file: caching it would only evict chunks still being
            // filled. It goes straight through, outside the lock, so threads writing different
            // objects do not wait for each other. A chunk created meanwhile cannot
            // cover these bytes: it only takes up bytes written to it or known to be zeros (past
            // the file's end when it was made), and these lie wholly below the file's end; nor
            // can one be loaded while this write is counted in flight.
            try {
                return writeThrough(src, position);
            } finally {
                countInFlight(position, end, -1);
            }
        }
        return n;
    }

    /** One write to the file; a failure makes later writes go through too ({@link #writeOut}). */
    private int writeThrough(ByteBuffer src, long position) throws IOException {
        try {
            return inner.write(src, position);
        } catch (IOException e) {
            writingThrough = true;
            throw e;
        }
    }

    /**
     * Writes out and drops the chunks the range overlaps (no chunk may hold older bytes of it),
     * then writes it durably below, outside the lock: other threads' writes go on meanwhile (a
     * commit's entry takes as long as the disk does). While it is under way no chunk is made on
     * the belief that the range reads as zeros past the file's end ({@link #durableEnd}), and none
     * over it is loaded (it counts itself in flight, as a direct write does).
     */
    @Override
    public void writeDurably(ByteBuffer src, long position) throws IOException {
        checkOpen();
        long end = position + src.remaining();
        synchronized (lock) {
            flushRange(position, end);
            countInFlight(position, end, 1);
            durableWrites++;
            durableEnd = Math.max(durableEnd, end);
        }
        boolean written = false;
        try {
            inner.writeDurably(src, position);
            written = true;
        } finally {
            countInFlight(position, end, -1);
            synchronized (lock) {
                if (written) {
                    innerSize = Math.max(innerSize(), end);
                }
                if (--durableWrites == 0) {
                    durableEnd = 0;
                }
            }
        }
    }

    @Override
    public boolean holdsRefusedWrites() {
        return writingThrough && !present.isEmpty();
    }

    /**
     * Drops the dirty bytes of {@code [from, to)}: a chunk whose dirty interval lies inside it
     * leaves the cache unwritten; one whose interval it overlaps at an end is trimmed. Reads of the
     * range then see the file's bytes, which is right for freed space; the next successful
     * {@link #force} drops every chunk before the space can be reused.
     */
    @Override
    public void discard(long from, long to) {
        if (to <= from) {
            return;
        }
        synchronized (lock) {
            for (long i = from >>> chunkBits; i <= (to - 1) >>> chunkBits; i++) {
                Chunk c = order.get(i);
                if (c == null || c.hi == c.lo) {
                    continue;
                }
                long lo = c.base() + c.lo;
                long hi = c.base() + c.hi;
                if (from <= lo && hi <= to) {
                    order.remove(c.index);
                    unlist(c);
                    spare.push(c.memory);
                } else {
                    if (from <= lo && to > lo) {
                        c.lo = (int) (to - c.base());
                    } else if (to >= hi && from < hi) {
                        c.hi = (int) (from - c.base());
                    }
                    // The dropped bytes stay in the buffer but are not the file's: trust it
                    // only past the range from now on.
                    c.validFrom = (int) Math.max(c.validFrom, Math.min(chunkSize, to - c.base()));
                    c.loaded = 0;
                }
            }
            dirtyEnd = 0;
            for (Chunk c : order.values()) {
                if (c.hi > c.lo) {
                    dirtyEnd = Math.max(dirtyEnd, c.base() + c.hi);
                }
            }
        }
    }

    private void countInFlight(long from, long to, int delta) {
        for (long i = from >>> chunkBits; i <= (to - 1) >>> chunkBits; i++) {
            inFlight.addAndGet(stripe(i), delta);
        }
    }

    private static int stripe(long chunkIndex) {
        return (int) (chunkIndex & (STRIPES - 1));
    }

    /**
     * A new object wholly inside the file, in chunks none of which is cached: if a recent new
     * object went to each of them or to the chunk before each (a refill moving through the file),
     * load them and return true (the caller copies in); otherwise return false (the caller writes
     * straight through). Either way the chunks are remembered. Caller holds {@link #lock}.
     */
    private boolean loadForNewObject(long from, long to) throws IOException {
        long first = from >>> chunkBits;
        long last = (to - 1) >>> chunkBits;
        boolean recent = true;
        for (long i = first; i <= last && recent; i++) {
            recent = (isRecentNew(i) || (i > 0 && isRecentNew(i - 1))) && inFlight.get(stripe(i)) == 0;
        }
        for (long i = first; i <= last; i++) {
            if (recent) {
                loadUnitsOf(chunk(i), from, to);
            }
            remember(i);
        }
        return recent;
    }

    /** Notes that a new object went to chunk {@code i}, directly or by loading it. Caller holds {@link #lock}. */
    private void remember(long i) {
        if (!isRecentNew(i)) {
            recentNew[recentNext] = i;
            recentNext = (recentNext + 1) % RECENT;
        }
    }

    /**
     * Loads the chunks of a new object that are not cached, where no direct write is in flight:
     * an object that begins in a cached chunk and ends in the next one makes that one loaded, not
     * a chunk whose gaps would each cost a write. Caller holds {@link #lock}.
     */
    private void loadUncached(long from, long to) throws IOException {
        for (long i = from >>> chunkBits; i <= (to - 1) >>> chunkBits; i++) {
            if (!order.containsKey(i) && inFlight.get(stripe(i)) == 0) {
                loadUnitsOf(chunk(i), from, to);
                remember(i);
            }
        }
    }

    private boolean isRecentNew(long chunkIndex) {
        for (long r : recentNew) {
            if (r == chunkIndex) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loads the units of {@code c} that the file range {@code [from, to)} overlaps. Caller holds
     * {@link #lock} and has checked that no direct write into the chunk is in flight.
     */
    private void loadUnitsOf(Chunk c, long from, long to) throws IOException {
        int a = (int) (Math.max(from, c.base()) - c.base());
        int b = (int) (Math.min(to, c.base() + chunkSize) - c.base());
        boolean done = loadUnits(c, a, b);
        assert done : "a direct write in flight into a chunk being loaded";
    }

    /**
     * Makes the buffer current in {@code [from, to)} (relative to the chunk): reads the file's bytes
     * into every unit the range overlaps below {@code validFrom} that is not loaded yet, one call per
     * run of such units, around the dirty interval (those bytes are newer than the file's). Returns
     * false, reading nothing, while a direct write into the chunk may be under way: it would land
     * in the file after the read, and the chunk would later write the older bytes back over it.
     * Caller holds {@link #lock}.
     */
    private boolean loadUnits(Chunk c, int from, int to) throws IOException {
        int end = Math.min(to, c.validFrom);
        if (from >= end) {
            return true;
        }
        long wanted = units(from, end);
        long missing = wanted & ~c.loaded;
        if (missing == 0) {
            return true;
        }
        if (inFlight.get(stripe(c.index)) != 0) {
            return false;
        }
        while (missing != 0) {
            int first = Long.numberOfTrailingZeros(missing);
            int past = Math.min(64, first + Long.numberOfTrailingZeros(~(missing >>> first)));
            int a = first << loadBits;
            int b = Math.min(past << loadBits, c.validFrom);
            if (c.hi > c.lo && c.lo < b && c.hi > a) {
                readInto(c, a, c.lo);
                readInto(c, c.hi, b);
            } else {
                readInto(c, a, b);
            }
            missing &= past >= 64 ? 0 : -1L << past;
        }
        c.loaded |= wanted;
        if (isLoaded(c, 0, c.validFrom)) {
            c.validFrom = 0; // the whole buffer is current
        }
        return true;
    }

    /** Reads the file's bytes of {@code [from, to)} (relative to the chunk) into its buffer, if any. */
    private void readInto(Chunk c, int from, int to) throws IOException {
        if (from < to) {
            inner.readOnceFullyZeroPadded(c.buf.slice(from, to - from), c.base() + from);
        }
    }

    /** Whether every byte of {@code [from, to)} below {@code validFrom} lies in a loaded unit. */
    private boolean isLoaded(Chunk c, int from, int to) {
        int end = Math.min(to, c.validFrom);
        if (from >= end) {
            return true;
        }
        long wanted = units(from, end);
        return (c.loaded & wanted) == wanted;
    }

    /** The bits of the load units that {@code [from, to)} overlaps ({@code from < to}). */
    private long units(int from, int to) {
        int first = from >>> loadBits;
        int last = (to - 1) >>> loadBits;
        return (last == 63 ? -1L : (1L << (last + 1)) - 1) & (-1L << first);
    }

    /**
     * Whether the dirty interval may widen over the gap {@code [gapFrom, gapTo)} (relative to the
     * chunk): its bytes must be current in the buffer. Past {@code validFrom} they are zeros in the
     * file and in the buffer, but a long such gap is not worth writing; below it, the units the gap
     * overlaps are loaded if they are not, when that is safe ({@link #loadUnits}). Caller holds
     * {@link #lock}.
     */
    private boolean mayBridge(Chunk c, int gapFrom, int gapTo) throws IOException {
        if (c.validFrom == 0) {
            return true;
        }
        if (gapFrom >= c.validFrom) {
            return gapTo - gapFrom <= MAX_GAP;
        }
        return (gapTo <= c.validFrom || gapTo - c.validFrom <= MAX_GAP) && loadUnits(c, gapFrom, gapTo);
    }

    /** Copies {@code src} into the chunks it falls in. Caller holds {@link #lock}. */
    private void copyIn(ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            long index = pos >>> chunkBits;
            int off = (int) (pos & (chunkSize - 1));
            int len = Math.min(src.remaining(), chunkSize - off);
            Chunk c = chunk(index);
            if (c.hi > c.lo && (off > c.hi || off + len < c.lo)) {
                int gapFrom = off > c.hi ? c.hi : off + len;
                int gapTo = off > c.hi ? off : c.lo;
                if (!mayBridge(c, gapFrom, gapTo)) {
                    // The gap may hold bytes of other objects the buffer does not have (or is a
                    // long stretch of zeros): write the interval out and start anew.
                    writeOut(c);
                } // else the gap's bytes are in the buffer (loaded, or zeros past the old end)
            }
            c.buf.put(off, src, src.position(), len);
            src.position(src.position() + len);
            if (c.hi == c.lo) {
                c.lo = off;
                c.hi = off + len;
            } else {
                c.lo = Math.min(c.lo, off);
                c.hi = Math.max(c.hi, off + len);
            }
            dirtyEnd = Math.max(dirtyEnd, c.base() + c.hi);
            pos += len;
        }
    }

    /** Whether [from, to) falls in a cached chunk. Caller holds {@link #lock}. */
    private boolean touchesCachedChunk(long from, long to) {
        for (long i = from >>> chunkBits; i <= (to - 1) >>> chunkBits; i++) {
            if (order.containsKey(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Native memory for a chunk's buffer, a page more than it needs: native, so the file's reads
     * and writes use the buffer as it is, without the copy through a temporary native buffer that a
     * heap array costs each call; with room to start the buffer at a page boundary, since the
     * kernel copies to and from a buffer that starts a few bytes past one several times slower on
     * some machines (docs/BENCHMARKS.md). A force that writes every chunk out keeps their
     * buffers for the chunks to come if a chunk was made within the last second: new memory costs
     * its zeroing and a page fault per 4 KiB at its first touch, about 5 % of the time a store
     * takes to refill holes after a sync. Otherwise (an idle store's force), and at close, it
     * hands them to the {@link ChunkMemoryPool} at once, not when the collector finds them (app
     * servers often disable {@code System.gc()}): a store that stopped writing holds none past its
     * next sync, and the pool keeps one cache's worth for the next store or burst of writes.
     */
    private ByteBuffer newChunkMemory() {
        return ChunkMemoryPool.take(chunkSize + PAGE);
    }

    /** The cached chunk {@code index}, making room if needed. Caller holds {@link #lock}. */
    private Chunk chunk(long index) throws IOException {
        Chunk c = order.get(index);
        if (c != null) {
            return c;
        }
        if (order.size() >= maxChunks) {
            Chunk oldest = order.values().iterator().next();
            evict(oldest);
        }
        c = new Chunk(index, chunkBits, spare.isEmpty() ? newChunkMemory() : spare.pop());
        lastChunkMade = System.nanoTime();
        ByteBuffer buf = c.buf;
        c.validFrom = (int) Math.max(0, Math.min(chunkSize, knownEnd() - c.base()));
        for (int at = c.validFrom; at < chunkSize; at += ZEROS.length) {
            buf.put(at, ZEROS, 0, Math.min(ZEROS.length, chunkSize - at));
        }
        order.put(index, c);
        cachedPerStripe.incrementAndGet(stripe(index)); // before it is listed: see touchesCache
        present.put(index, c);
        return c;
    }

    private long innerSize() throws IOException {
        if (innerSize < 0) {
            innerSize = inner.size();
        }
        return innerSize;
    }

    /**
     * Where the bytes a new chunk may take as zeros begin: the file's end, or past it the end of a
     * durable write under way. Caller holds {@link #lock}.
     */
    private long knownEnd() throws IOException {
        return Math.max(innerSize(), durableEnd);
    }

    /**
     * Writes the chunk's dirty interval to the file. Caller holds {@link #lock}. If that fails
     * (a full disk), writes go through to the file from then on, each failing at its own call,
     * until a {@link #force} succeeds: a write the file cannot take must not seem to succeed
     * into memory.
     */
    private void writeOut(Chunk c) throws IOException {
        if (c.hi > c.lo) {
            try {
                if (c.base() + c.hi > innerSize()) {
                    writeInPieces(c);
                } else {
                    inner.writeFully(c.buf.slice(c.lo, c.hi - c.lo), c.base() + c.lo);
                }
            } catch (IOException e) {
                writingThrough = true;
                throw e;
            }
            innerSize = Math.max(innerSize(), c.base() + c.hi);
            c.lo = 0;
            c.hi = 0;
        }
    }

    /**
     * Writes a dirty interval that reaches past the file's end in pieces of at most
     * {@value #APPEND_PIECE} bytes, each ending at a multiple of that size (one piece in a chunk of
     * that size or smaller). The kernel keeps the page-cache folios of new file bytes as large as
     * the write that made them. A map of the file takes one page fault per folio it first
     * touches, so 256 KiB folios make the first reads of new objects four times fewer faults than
     * 64 KiB ones; a small write into a folio of 2 MiB costs twice one into 256 KiB (ext4
     * prepares every block of it), and up to 512 KiB the cost does not grow (docs/BENCHMARKS.md).
     * Bytes already in the file keep their folios whatever the write.
     */
    private void writeInPieces(Chunk c) throws IOException {
        int from = c.lo;
        while (from < c.hi) {
            int to = Math.min(c.hi, (from / APPEND_PIECE + 1) * APPEND_PIECE);
            inner.writeFully(c.buf.slice(from, to - from), c.base() + from);
            from = to;
        }
    }

    /** Writes the chunk out, then drops it (its bytes are in the file first). Caller holds {@link #lock}. */
    private void evict(Chunk c) throws IOException {
        writeOut(c);
        order.remove(c.index);
        unlist(c);
        spare.push(c.memory);
    }

    /** Takes the chunk out of {@link #present} and its stripe's count. Caller holds {@link #lock}. */
    private void unlist(Chunk c) {
        present.remove(c.index);
        cachedPerStripe.decrementAndGet(stripe(c.index));
    }

    /** Writes out and drops the chunks that overlap [from, to). Caller holds {@link #lock}. */
    private void flushRange(long from, long to) throws IOException {
        if (order.isEmpty()) {
            return;
        }
        for (long i = from >>> chunkBits; i <= (to - 1) >>> chunkBits; i++) {
            Chunk c = order.get(i);
            if (c != null) {
                evict(c);
            }
        }
    }

    /**
     * Writes every chunk out, in file order, and drops them; their buffers are kept for reuse
     * while the store writes on, else handed to the pool ({@link #newChunkMemory}). Caller holds
     * {@link #lock}.
     */
    private void flushAll() throws IOException {
        for (Chunk c : inFileOrder()) {
            evict(c);
        }
        if (closed || System.nanoTime() - lastChunkMade >= keepBuffersNanos) {
            while (!spare.isEmpty()) {
                ChunkMemoryPool.give(spare.pop());
            }
        }
        dirtyEnd = 0;
    }

    /** The buffers kept for reuse (for tests). */
    int keptBuffers() {
        synchronized (lock) {
            return spare.size();
        }
    }

    /** The cached chunks by position in the file. Caller holds {@link #lock}. */
    private List<Chunk> inFileOrder() {
        List<Chunk> all = new ArrayList<>(order.values());
        all.sort(Comparator.comparingLong(c -> c.index));
        return all;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return read(dst, position, false);
    }

    @Override
    public int readOnce(ByteBuffer dst, long position) throws IOException {
        return read(dst, position, true);
    }

    /**
     * A read ({@link #readOnce} of the file below if {@code once}). Where it meets a cached chunk,
     * under the lock, piece by piece: a piece the chunk's buffer holds current bytes for
     * ({@link #holdsCurrent}) is copied from the buffer alone, so a read of data just written does
     * not go to the file at all; any other piece is read from the file and the dirty interval laid
     * over it.
     */
    private int read(ByteBuffer dst, long position, boolean once) throws IOException {
        checkOpen();
        int n = dst.remaining();
        if (n == 0 || !touchesCache(position, n)) {
            return once ? inner.readOnce(dst, position) : inner.read(dst, position);
        }
        synchronized (lock) {
            long end = sizeLocked();
            if (position >= end) {
                return -1;
            }
            int len = (int) Math.min(n, end - position);
            int start = dst.position();
            long pos = position;
            long stop = position + len;
            while (pos < stop) {
                Chunk c = present.get(pos >>> chunkBits); // not order.get: a read is no write
                int off = (int) (pos & (chunkSize - 1));
                int piece = (int) Math.min(stop - pos, chunkSize - off);
                int at = start + (int) (pos - position);
                if (c != null && holdsCurrent(c, off, off + piece)) {
                    dst.put(at, c.buf, off, piece);
                } else {
                    ByteBuffer view = dst.slice(at, piece);
                    if (once) {
                        inner.readOnceFullyZeroPadded(view, pos);
                    } else {
                        inner.readFullyZeroPadded(view, pos);
                    }
                    if (c != null && c.hi > c.lo) {
                        int from = Math.max(off, c.lo);
                        int to = Math.min(off + piece, c.hi);
                        if (from < to) {
                            dst.put(at + (from - off), c.buf, from, to - from);
                        }
                    }
                }
                pos += piece;
            }
            dst.position(start + len);
            return len;
        }
    }

    /**
     * Whether the chunk's buffer holds the current bytes of {@code [from, to)} (relative to the
     * chunk): the dirty interval does, and so does everything from {@code validFrom} on (what the
     * file holds, or zeros past its end that no write reached but through this chunk). Caller
     * holds {@link #lock}.
     */
    private boolean holdsCurrent(Chunk c, int from, int to) {
        boolean dirty = c.hi > c.lo;
        int currentFrom = dirty && c.hi >= c.validFrom ? Math.min(c.lo, c.validFrom) : c.validFrom;
        return from >= currentFrom || (dirty && from >= c.lo && to <= c.hi) || isLoaded(c, from, to);
    }

    private void checkOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Whether a read of {@code [position, position + n)} meets a cached chunk. Without the lock:
     * a chunk is counted in its stripe before it is listed and uncounted after it left, so a
     * stripe at zero has no chunk; most reads miss the cache on that count alone, without a look
     * into {@link #present}.
     */
    private boolean touchesCache(long position, int n) {
        if (present.isEmpty()) {
            return false;
        }
        for (long i = position >>> chunkBits; i <= (position + n - 1) >>> chunkBits; i++) {
            if (cachedPerStripe.get(stripe(i)) != 0 && present.containsKey(i)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public long size() throws IOException {
        synchronized (lock) {
            return sizeLocked();
        }
    }

    private long sizeLocked() throws IOException {
        return Math.max(innerSize(), dirtyEnd);
    }

    /**
     * Under the lock: every write that reaches past the file's end takes it too (gathered or
     * written through), so no write can land between the look at the size and the zero byte
     * written at {@code size - 1}; one that comes later lands after it. The byte goes straight to
     * the file.
     */
    @Override
    public void extendTo(long size) throws IOException {
        checkOpen();
        synchronized (lock) {
            if (sizeLocked() >= size) {
                return;
            }
            flushRange(size - 1, size); // a chunk over that byte holds none of it: written out, dropped
            ByteBuffer zero = ByteBuffer.allocate(1);
            while (zero.hasRemaining()) {
                writeThrough(zero, size - 1);
            }
            innerSize = Math.max(innerSize(), size);
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        synchronized (lock) {
            flushAll();
            inner.truncate(size);
            innerSize = Math.min(innerSize(), size);
        }
    }

    /**
     * Writes every chunk's dirty interval out, in file order, and keeps the chunks (writers go on
     * filling them): the file then reads as this one does. No force.
     */
    @Override
    public void flush() throws IOException {
        checkOpen();
        synchronized (lock) {
            for (Chunk c : inFileOrder()) {
                writeOut(c);
            }
        }
    }

    @Override
    public void force() throws IOException {
        synchronized (lock) {
            flushAll();
        }
        inner.force();
        writingThrough = false; // the file took everything: gather writes again
    }

    /** The file's view where no cached chunk holds bytes of the range ({@link #touchesCache}); else null (read it instead). */
    @Override
    public ByteBuffer mappedView(long position, int length) throws IOException {
        checkOpen();
        return length > 0 && touchesCache(position, length) ? null : inner.mappedView(position, length);
    }

    @Override
    public boolean readsThroughMaps() {
        return inner.readsThroughMaps();
    }

    @Override
    public void unmap() {
        inner.unmap();
    }

    /** Writes the cache out, then closes the file; the file is closed even if that fails. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flushAll();
            } catch (IOException e) {
                failure = e;
            }
        }
        try {
            inner.close();
        } catch (IOException e) {
            failure = Failures.keepFirst(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "CombiningStoreFile[" + inner + "]";
    }
}
