package org.bobbob.store;

import org.bobbob.store.support.Errors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.bobbob.store.internal.alloc.ExtentList;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.ObjectLocator;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaRecord;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.engine.DiskTokens;

/**
 * The engine shared by {@link BasicStore} and {@link MultiStore}: the file, its header, the
 * commit protocol, data I/O and the Late handles. A subclass only chooses the
 * {@link ObjectAllocator} (where objects go); everything that touches the file is here, once.
 *
 * <h2>File</h2>
 * Two {@link HeaderSlot header slots} (offsets 0 and 512), then data from byte 1024: objects,
 * blocks of slots, and metadata records, all placed by the allocator. The current metadata
 * record holds the allocator state (live objects only; free space is derived as the gaps).
 * See {@code docs/FORMAT.md}.
 *
 * <h2>Opening</h2>
 * A record ends with an index ({@link RecordIndex}), so opening reads the record and its footer
 * and stops: look-ups are answered from the record in place until the first call that changes the
 * allocator state (or asks for {@link #stats()}) builds it, once, under the write lock. A sync
 * with nothing allocated or freed since the open only forces the data: the record still holds.
 * A record in format 1 has no index and is built at open.
 *
 * <h2>Commit protocol ({@link #sync()})</h2>
 * <ol>
 *   <li>Under the metadata lock: encode the allocator state and its index, allocate space for the record
 *       (the old record stays untouched), note the allocator end and what has been freed so far.
 *   <li>Write the record (and extend the file to the end if it is shorter), then force: data
 *       written before the sync and the record are now durable.
 *   <li>Write header slot A with sequence {@code s+1} naming the record; force. Write slot B
 *       with {@code s+2}; force. Both slots now name the new record, so a slot damaged later
 *       falls back to the same state, never to an older one whose space may have been reused.
 *   <li>Under the metadata lock: make reusable the space freed before step 1 and the old
 *       record's space. Nothing freed is reused before this point, so every durable state only
 *       names bytes that still hold what it says.
 * </ol>
 * A crash before slot A is durable leaves the previous state; a torn slot A leaves slot B (the
 * previous state, intact by step 4's rule); after slot A the new state.
 *
 * <h2>Threads</h2>
 * Safe for concurrent use on distinct objects: allocator state is guarded by a
 * {@link StampedLock} (mutations exclusive and short, never across data I/O; look-ups
 * optimistic, falling back to a shared lock when a mutation raced them); data I/O is positional
 * and takes no lock. Coordinating readers and writers of the same object, and deletes against
 * open handles, is left to the caller; {@link ConcurrentStore} does it.
 */
abstract sealed class FileStore implements Storer, ObjectInfoProvider, StatisticsProvider
        permits BasicStore, MultiStore {

    static final int KIND_BASIC = 1;
    static final int KIND_MULTI = 2;
    private static final int ZERO_CHUNK = 64 * 1024;
    /**
     * Metadata records take space in steps of this many bytes, so that the next record, a little
     * larger or smaller, fits the hole of the one before it rather than growing the file.
     */
    static final int RECORD_GRANULE = 4096;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    /** Builds an allocator: empty for a new store, or from a metadata payload. */
    interface AllocatorFactory {
        ObjectAllocator create(FileSpace space);

        /**
         * Reads the allocator parts of a payload in format {@code version}, adding every extent
         * they name to {@code used}; with an {@code index} (format 2), checks it against them.
         */
        ObjectAllocator read(MetaReader in, int version, RecordIndex index, FileSpace space, long end, ExtentList used);
    }

    /** What a store opened in format 2 builds its allocator from, when it first needs it. */
    private record Unbuilt(MetaReader parts, int version, RecordIndex index, long end) {}

    private final StoreFile file;
    private final Path path;
    private final int kind;
    private final DiskTokens tokens;
    /**
     * Guards {@link #space}, {@link #allocator}, {@link #unbuilt}, {@link #primeId} and the current
     * record's extent.
     */
    private final StampedLock meta = new StampedLock();
    /** Serialises syncs (and close); guards {@link #sequence} and {@link #metaWriter}. */
    private final ReentrantLock syncLock = new ReentrantLock();
    private final MetaWriter metaWriter = new MetaWriter();
    private final AllocatorFactory factory;
    final FileSpace space;
    /**
     * The allocator state; null while the store answers look-ups from the record it opened
     * ({@link #unbuilt}). Use {@link #allocator()} under the write lock.
     */
    private ObjectAllocator allocator;
    /** Until {@link #allocator} is built: the record to build it from. */
    private Unbuilt unbuilt;
    /**
     * Answers look-ups: the record's index until the allocator is built, then the allocator.
     * Volatile: optimistic readers read it without the lock.
     */
    private volatile ObjectLocator locator;
    private long primeId;
    private long recordOffset;
    private int recordLength;
    private long sequence;
    private long syncs;
    /**
     * Set by every change, cleared when a sync starts. Volatile: a change that completed before
     * sync() was called is seen by it, so no completed change is skipped.
     */
    private volatile boolean dirty;
    /** Written once under {@link #syncLock}; read on every call. */
    private volatile boolean closed;

    FileStore(StoreFile file, int kind, OpenMode mode, DiskTokens tokens, AllocatorFactory factory) throws IOException {
        this.file = file;
        this.path = file.path();
        this.kind = kind;
        this.tokens = tokens;
        this.factory = factory;
        this.space = new FileSpace(HeaderSlot.DATA_START);
        try {
            long size = file.size();
            if (size == 0 && mode.mayCreateFile()) {
                this.allocator = factory.create(space);
                this.locator = allocator;
                dirty = true;
                commit();
            } else if (mode == OpenMode.CREATE) {
                throw Errors.exists(path);
            } else {
                load(size);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens the record the newest valid header slot names. Format 2 reads its index footer and
     * stops there: look-ups are answered from the record in place and the allocator state is
     * built on first need ({@link #allocator()}), so opening costs the same for any number of
     * objects. Format 1 has no index and is built at once.
     */
    private void load(long size) throws IOException {
        if (size == 0) {
            throw Errors.notAStore(path, "the file is empty");
        }
        ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
        file.readFullyZeroPadded(head, 0);
        HeaderSlot.Decoded[] slots = decodeSlots(path, head);
        if (size < HeaderSlot.DATA_START) {
            throw Errors.corrupted(path, "truncated to " + size + " bytes; the header alone needs " + HeaderSlot.DATA_START);
        }
        HeaderSlot header = newestValid(path, slots);
        if (header.kind() != kind) {
            throw Errors.wrongKind(path, kindName(header.kind()), kindName(kind));
        }
        if (size < header.end()) {
            throw Errors.corrupted(path, "truncated to " + size + " bytes; the allocator end is " + header.end());
        }
        if (header.recordOffset() < HeaderSlot.DATA_START || header.recordLength() < MetaRecord.FRAMING
                || header.recordOffset() > header.end() - recordExtent(header.recordLength())) {
            throw Errors.corrupted(path, "header names a metadata record at " + header.recordOffset() + " of "
                    + header.recordLength() + " bytes, outside the data area");
        }
        try {
            MetaReader in = MetaRecord.read(file, header.recordOffset(), header.recordLength());
            long prime = in.getVarLong();
            this.recordOffset = header.recordOffset();
            this.recordLength = header.recordLength();
            if (header.version() >= 2) {
                RecordIndex index = RecordIndex.read(in);
                if (kind == KIND_BASIC && index.blockCount() != 0) {
                    throw new MetadataException("a basic store's record names " + index.blockCount() + " blocks");
                }
                this.unbuilt = new Unbuilt(in, header.version(), index, header.end());
                this.locator = index;
            } else {
                build(in, header.version(), null, header.end());
            }
            if (prime != 0 && !locator.locate(prime, new Location())) {
                throw new MetadataException("prime object " + prime + " is not a live object");
            }
            this.primeId = prime;
            this.sequence = header.sequence();
            if (size > header.end()) {
                // Bytes past the end were written after the last sync and belong to nothing now.
                // Cutting them keeps the rule that space taken from the end reads as zeros.
                file.truncate(header.end());
            }
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        }
    }

    /**
     * Builds the allocator state and the free space from the current record's parts ({@code in},
     * just past the prime id), checking that its extents neither overlap nor pass {@code end},
     * and in format 2 that every index entry matches. Free space is the gaps.
     */
    private void build(MetaReader in, int version, RecordIndex index, long end) {
        ExtentList used = new ExtentList();
        ObjectAllocator built = factory.read(in, version, index, space, end, used);
        int partsEnd = index != null ? index.indexPosition() : in.payloadLength();
        if (in.position() != partsEnd) {
            throw new MetadataException("the allocator parts end at byte " + in.position() + " of the payload, not at " + partsEnd);
        }
        if (index != null) {
            index.checkTotals(built.liveObjects(), built.liveBytes());
        }
        used.add(recordOffset, recordExtent(recordLength));
        used.sortByOffset();
        space.restore(end, used);
        allocator = built;
        locator = built;
    }

    /** The allocator state, built first if the store opened lazily. Caller holds the write lock. */
    private ObjectAllocator allocator() throws StoreCorruptedException {
        ObjectAllocator a = allocator;
        if (a != null) {
            return a;
        }
        Unbuilt u = unbuilt;
        try {
            build(u.parts().at(u.parts().position()), u.version(), u.index(), u.end());
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        }
        unbuilt = null;
        return allocator;
    }

    /** Bytes set aside for a record of {@code length} bytes. */
    static long recordExtent(int length) {
        return (length + RECORD_GRANULE - 1L) / RECORD_GRANULE * RECORD_GRANULE;
    }

    /**
     * The kind ({@code "basic"} or {@code "multi"}) of the store file at {@code path}, read from
     * its newest valid header slot without opening the store (and without taking its lock).
     *
     * @throws StoreException BOB-203 if the file does not exist, BOB-302 if it is not a store,
     *     BOB-303 if its version is unknown, BOB-301 if both slots fail their checksum
     */
    static String kindOf(Path path) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
        try (FileChannel ch = FileChannel.open(path)) {
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // positional reads until the header is in or the file ends
            }
        } catch (NoSuchFileException e) {
            throw Errors.missing(path);
        }
        if (head.position() == 0) {
            throw Errors.notAStore(path, "the file is empty");
        }
        return kindName(newestValid(path, decodeSlots(path, head.clear())).kind());
    }

    /** Decodes both header slots from the first {@link HeaderSlot#DATA_START} bytes of a file. */
    private static HeaderSlot.Decoded[] decodeSlots(Path path, ByteBuffer head) throws StoreCorruptedException {
        HeaderSlot.Decoded a = HeaderSlot.decode(head.duplicate().position(0).limit(HeaderSlot.SLOT_SIZE).slice());
        HeaderSlot.Decoded b = HeaderSlot.decode(head.duplicate().position(HeaderSlot.SLOT_SIZE).slice());
        if (a.status() == HeaderSlot.Status.BAD_MAGIC && b.status() == HeaderSlot.Status.BAD_MAGIC) {
            throw Errors.notAStore(path, "no header slot has the bobbob magic");
        }
        return new HeaderSlot.Decoded[] {a, b};
    }

    /** The valid slot with the higher sequence; with none valid, why not. */
    private static HeaderSlot newestValid(Path path, HeaderSlot.Decoded[] slots) throws StoreCorruptedException {
        HeaderSlot header = newest(slots[0], slots[1]);
        if (header == null) {
            for (HeaderSlot.Decoded d : slots) {
                if (d.status() == HeaderSlot.Status.BAD_VERSION) {
                    throw Errors.unsupportedVersion(path, d.version(), HeaderSlot.OLDEST_VERSION, HeaderSlot.VERSION);
                }
            }
            throw Errors.corrupted(path, "both header slots fail their checksum");
        }
        return header;
    }

    private static HeaderSlot newest(HeaderSlot.Decoded a, HeaderSlot.Decoded b) {
        HeaderSlot sa = a.status() == HeaderSlot.Status.VALID ? a.slot() : null;
        HeaderSlot sb = b.status() == HeaderSlot.Status.VALID ? b.slot() : null;
        if (sa == null) {
            return sb;
        }
        if (sb == null) {
            return sa;
        }
        return sa.sequence() >= sb.sequence() ? sa : sb;
    }

    private static String kindName(int kind) {
        return switch (kind) {
            case KIND_BASIC -> "basic";
            case KIND_MULTI -> "multi";
            default -> "unknown (kind " + kind + ")";
        };
    }

    // ---------------------------------------------------------------- preconditions and look-ups

    /** The store file's path. */
    public Path path() {
        return path;
    }

    static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, got " + size);
        }
        return size;
    }

    private void checkOpen() throws StoreClosedException {
        if (closed) {
            throw Errors.closed(this);
        }
    }

    /** Maps a failure of the file under a closed store to {@link StoreClosedException}. */
    private IOException translate(IOException e) {
        if (closed || e instanceof ClosedChannelException) {
            return e instanceof StoreClosedException ? e : Errors.closed(this, e);
        }
        return e;
    }

    /**
     * Finds a live object; optimistic, falling back to the shared lock if a mutation raced.
     *
     * @throws StoreCorruptedException if the record the store opened holds a bad index entry
     */
    private boolean lookup(long id, Location out) throws StoreCorruptedException {
        long stamp = meta.tryOptimisticRead();
        if (stamp != 0) {
            boolean found;
            try {
                found = locator.locate(id, out);
            } catch (RuntimeException raced) {
                found = false;
                stamp = 0;
            }
            if (stamp != 0 && meta.validate(stamp)) {
                return found;
            }
        }
        stamp = meta.readLock();
        try {
            return locator.locate(id, out);
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        } finally {
            meta.unlockRead(stamp);
        }
    }

    private Location locateOrThrow(long id) throws IOException {
        checkOpen();
        Location loc = new Location();
        if (!lookup(id, loc)) {
            throw Errors.notFound(id);
        }
        return loc;
    }

    private Location allocate(int size) throws StoreCorruptedException {
        Location loc = new Location();
        long stamp = meta.writeLock();
        try {
            allocator().allocate(size, loc);
        } finally {
            meta.unlockWrite(stamp);
        }
        dirty = true;
        return loc;
    }

    /** A change to the allocator state beyond the {@link Storer} calls, for subclasses. */
    @FunctionalInterface
    interface AllocatorChange<T> {
        T apply(ObjectAllocator allocator);
    }

    /** Runs {@code change} with the allocator state locked exclusively (for subclass extras). */
    final <T> T underMetaLock(AllocatorChange<T> change) throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            ObjectAllocator a = allocator();
            dirty = true;
            return change.apply(a);
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public long newObj(int size) throws IOException {
        checkSize(size);
        checkOpen();
        Location loc = allocate(size);
        if (!loc.fresh) {
            fillOrDiscard(loc, () -> writeZeros(loc.offset, loc.size));
        }
        return loc.id;
    }

    @FunctionalInterface
    private interface Fill {
        void run() throws IOException;
    }

    /** Runs the write that fills a new object; if it fails, frees the object and rethrows. */
    private void fillOrDiscard(Location loc, Fill fill) throws IOException {
        try {
            fill.run();
        } catch (IOException e) {
            discard(loc.id, e);
            throw translate(e);
        } catch (RuntimeException e) {
            discard(loc.id, e);
            throw e;
        }
    }

    private void discard(long id, Throwable primary) {
        try {
            deleteObj(id);
        } catch (IOException | RuntimeException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    @Override
    public void deleteObj(long id) throws IOException {
        checkOpen();
        long stamp = meta.writeLock();
        try {
            if (!allocator().free(id)) {
                throw Errors.notFound(id);
            }
            if (id == primeId) {
                primeId = 0;
            }
        } finally {
            meta.unlockWrite(stamp);
        }
        dirty = true;
    }

    @Override
    public long primeObject(int size) throws IOException {
        checkSize(size);
        checkOpen();
        long stamp = meta.writeLock();
        try {
            Location loc = new Location();
            if (primeId != 0 && locator.locate(primeId, loc)) { // no need to build the allocator
                if (loc.size < size) {
                    throw Errors.primeTooSmall(primeId, loc.size, size);
                }
                return primeId;
            }
            ObjectAllocator allocator = allocator();
            allocator.allocate(size, loc);
            dirty = true;
            if (!loc.fresh) {
                // Once per store: zero-filled under the lock so no caller sees the id before its zeros.
                try {
                    writeZeros(loc.offset, loc.size);
                } catch (IOException e) {
                    allocator.free(loc.id);
                    throw translate(e);
                }
            }
            primeId = loc.id;
            return primeId;
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        checkSize(size);
        checkOpen();
        tokens.acquire();
        try {
            Location loc = allocate(size);
            return new Writer(loc, !loc.fresh, loc.clustered);
        } catch (RuntimeException e) {
            tokens.release();
            throw e;
        }
    }

    /** As the default, without a handle: one allocation, one write; on failure the object is freed. */
    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        checkSize(data.length);
        checkOpen();
        tokens.acquire();
        try {
            Location loc = allocate(data.length);
            fillOrDiscard(loc, () -> {
                if (loc.clustered) {
                    file.writeNewObject(ByteBuffer.wrap(data), loc.offset);
                } else {
                    file.writeFully(ByteBuffer.wrap(data), loc.offset);
                }
            });
            return loc.id;
        } finally {
            tokens.release();
        }
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        checkOpen();
        tokens.acquire();
        try {
            return new Writer(locateOrThrow(id), false, false);
        } catch (IOException | RuntimeException e) {
            tokens.release();
            throw e;
        }
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        checkOpen();
        tokens.acquire();
        try {
            return new Reader(locateOrThrow(id));
        } catch (IOException | RuntimeException e) {
            tokens.release();
            throw e;
        }
    }

    /** As the default, without a handle: one look-up, one copy. */
    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        Location loc = locateOrThrow(id);
        byte[] out = new byte[loc.size];
        tokens.acquire();
        try {
            file.readFullyZeroPadded(ByteBuffer.wrap(out), loc.offset);
        } catch (IOException e) {
            throw translate(e);
        } finally {
            tokens.release();
        }
        return out;
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        Location[] locs = BatchCheck.validate(ids, data, sizes);
        checkOpen();
        for (int i = 0; i < ids.length; i++) {
            locs[i] = locateOrThrow(ids[i]);
        }
        BatchCheck.checkPlacement(ids, sizes, locs);
        if (ids.length == 0) {
            return;
        }
        tokens.acquire();
        try {
            if (BatchCheck.packed(sizes, locs)) {
                file.writeFully(ByteBuffer.wrap(data), locs[0].offset);
            } else {
                int pos = 0;
                for (int i = 0; i < ids.length; i++) {
                    file.writeFully(ByteBuffer.wrap(data, pos, sizes[i]), locs[i].offset);
                    pos += sizes[i];
                }
            }
            dirty = true;
        } catch (IOException e) {
            throw translate(e);
        } finally {
            tokens.release();
        }
    }

    @Override
    public Optional<ObjectInfo> objectInfo(long id) {
        Location loc = new Location();
        try {
            if (closed || !lookup(id, loc)) {
                return Optional.empty();
            }
        } catch (StoreCorruptedException e) {
            return Optional.empty();
        }
        return Optional.of(new ObjectInfo(loc.offset, loc.size, loc.allocatedSize));
    }

    /**
     * {@inheritDoc}
     *
     * <p>On a store that opened lazily, builds its allocator state first (once); if its record
     * turns out to be corrupted, throws {@link java.io.UncheckedIOException} wrapping the
     * {@link StoreCorruptedException}.
     */
    @Override
    public StoreStats stats() {
        long stamp = meta.readLock();
        try {
            if (allocator != null) {
                return statsOf(allocator);
            }
        } finally {
            meta.unlockRead(stamp);
        }
        stamp = meta.writeLock();
        try {
            return statsOf(allocator());
        } catch (StoreCorruptedException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    private StoreStats statsOf(ObjectAllocator allocator) {
        return new StoreStats(allocator.liveObjects(), allocator.liveBytes(), space.end(), space.freeBytes(),
                space.parkedBytes(), syncs, allocator.footprintBytes() + space.footprintBytes());
    }

    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        throw Errors.unsupported(this, capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        return capability != null && capability.isInstance(this);
    }

    // ---------------------------------------------------------------- sync and close

    @Override
    public void sync() throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            commit();
        } finally {
            syncLock.unlock();
        }
    }

    /** The commit protocol of the class comment. Caller holds {@link #syncLock}. */
    private void commit() throws IOException {
        if (!dirty) {
            return;
        }
        dirty = false;
        ByteBuffer record;
        long newOffset;
        long end;
        int spaceMark;
        long allocatorMark;
        long stamp = meta.writeLock();
        try {
            if (allocator == null) {
                // Opened lazily and nothing allocated or freed since: the current record still
                // holds the state, so only overwritten data needs to reach the disk.
                meta.unlockWrite(stamp);
                stamp = 0;
                forceData();
                return;
            }
            metaWriter.reset().putVarLong(primeId);
            RecordIndex.Builder index = new RecordIndex.Builder();
            allocator.write(metaWriter, index);
            index.writeTo(metaWriter, allocator.liveObjects(), allocator.liveBytes());
            record = metaWriter.toRecord();
            newOffset = space.allocate(recordExtent(record.remaining()));
            end = space.end();
            spaceMark = space.freedMark();
            allocatorMark = allocator.freedMark();
        } finally {
            if (stamp != 0) {
                meta.unlockWrite(stamp);
            }
        }
        int newLength = record.remaining();
        boolean durable = false;
        long shrinkTo = Long.MAX_VALUE;
        try {
            file.writeFully(record, newOffset);
            if (file.size() < end) {
                file.writeFully(ZEROS.duplicate().limit(1), end - 1);
            }
            file.force();
            writeHeaders(newOffset, newLength, end);
            syncs++;
            durable = true;
        } catch (IOException e) {
            dirty = true;
            throw translate(e);
        } catch (RuntimeException e) {
            dirty = true;
            throw e;
        } finally {
            stamp = meta.writeLock();
            try {
                if (durable) {
                    space.releaseFreed(spaceMark);
                    allocator.releaseFreed(allocatorMark);
                    if (recordLength > 0) {
                        space.freeNow(recordOffset, recordExtent(recordLength));
                    }
                    recordOffset = newOffset;
                    recordLength = newLength;
                    shrinkTo = space.end();
                } else {
                    // A header slot may name it; reuse it only after a later sync succeeds.
                    space.free(newOffset, recordExtent(newLength));
                }
            } finally {
                meta.unlockWrite(stamp);
            }
        }
        if (shrinkTo < end) {
            shrink(newOffset, newLength, shrinkTo);
        }
    }

    private void forceData() throws IOException {
        try {
            file.force();
            syncs++;
        } catch (IOException e) {
            dirty = true;
            throw translate(e);
        }
    }

    /** Writes slot A then slot B (next two sequence numbers), each forced, naming one record. */
    private void writeHeaders(long offset, int length, long end) throws IOException {
        for (int step = 1; step <= 2; step++) {
            long seq = sequence + step;
            HeaderSlot slot = new HeaderSlot(HeaderSlot.VERSION, kind, seq, offset, length, end);
            file.writeFully(slot.encode(), HeaderSlot.position((int) (seq & 1)));
            file.force();
        }
        sequence += 2;
    }

    /**
     * The end moved back (a free tail): record the lower end in both slots, then cut the file.
     * Cutting only after the slots are durable keeps the file at least as long as any durable
     * header says; cutting at the end current under the lock never cuts an allocated byte.
     */
    private void shrink(long recordAt, int recordBytes, long lowerEnd) throws IOException {
        try {
            writeHeaders(recordAt, recordBytes, lowerEnd);
            long stamp = meta.writeLock();
            try {
                long cut = space.end();
                if (file.size() > cut) {
                    file.truncate(cut);
                    space.truncated(cut);
                }
            } finally {
                meta.unlockWrite(stamp);
            }
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * Syncs, then releases the file and its lock. Idempotent. Handles still open fail with
     * {@link StoreClosedException} from then on. If the final sync fails the file is still
     * released, and it reopens at its previous sync.
     */
    @Override
    public void close() throws IOException {
        syncLock.lock();
        try {
            if (closed) {
                return;
            }
            IOException failure = null;
            try {
                commit();
            } catch (IOException e) {
                failure = e;
            } finally {
                closed = true;
                try {
                    file.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e); // the sync's failure is the one to report
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Whether the allocator state is built (false after a lazy open, until the first change). For tests. */
    boolean allocatorBuilt() {
        long stamp = meta.readLock();
        try {
            return allocator != null;
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + "]";
    }

    // ---------------------------------------------------------------- data I/O

    /** Writes zeros over {@code [position, position + length)}; for subclasses' fresh allocations. */
    final void zeroFill(long position, long length) throws IOException {
        try {
            writeZeros(position, length);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private void writeZeros(long position, long length) throws IOException {
        long pos = position;
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, ZERO_CHUNK);
            file.writeFully(ZEROS.duplicate().limit(n), pos);
            pos += n;
            left -= n;
        }
        dirty = true;
    }

    /** Base of the two handles: idempotent close that returns the disk token. */
    private abstract class Handle {
        private static final AtomicIntegerFieldUpdater<Handle> CLOSED =
                AtomicIntegerFieldUpdater.newUpdater(Handle.class, "closedFlag");
        final long id;
        final long offset;
        final int size;
        long position;
        private volatile int closedFlag;

        Handle(Location loc) {
            this.id = loc.id;
            this.offset = loc.offset;
            this.size = loc.size;
        }

        public long id() {
            return id;
        }

        public int size() {
            return size;
        }

        public boolean isOpen() {
            return closedFlag == 0;
        }

        void checkUsable() throws StoreClosedException {
            if (closedFlag != 0) {
                throw Errors.closed("handle of object " + id);
            }
            checkOpen();
        }

        public void close() throws IOException {
            if (!CLOSED.compareAndSet(this, 0, 1)) {
                return;
            }
            try {
                finish();
            } finally {
                tokens.release();
            }
        }

        void finish() throws IOException {}
    }

    private final class Writer extends Handle implements ObjectWriter {
        private final boolean zeroTail;
        /** Writing a just-allocated object among neighbours being filled (a hint for the combining cache). */
        private final boolean newObject;

        Writer(Location loc, boolean zeroTail, boolean newObject) {
            super(loc);
            this.zeroTail = zeroTail;
            this.newObject = newObject;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            checkUsable();
            int n = src.remaining();
            if (n > size - position) {
                throw Errors.writeLimit(id, size, position, n);
            }
            try {
                if (newObject) {
                    file.writeNewObject(src, offset + position);
                } else {
                    file.writeFully(src, offset + position);
                }
            } catch (IOException e) {
                throw translate(e);
            }
            position += n;
            dirty = true;
            return n;
        }

        /** A new object in reused space: bytes the caller did not write must read as zeros. */
        @Override
        void finish() throws IOException {
            if (zeroTail && position < size && !closed) {
                try {
                    writeZeros(offset + position, size - position);
                } catch (IOException e) {
                    throw translate(e);
                }
            }
        }

        @Override
        public String toString() {
            return "ObjectWriter[id=" + id + ", size=" + size + ", position=" + position + "]";
        }
    }

    private final class Reader extends Handle implements ObjectReader {
        Reader(Location loc) {
            super(loc);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            checkUsable();
            long left = size - position;
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), left);
            if (n == 0) {
                return 0;
            }
            int limit = dst.limit();
            dst.limit(dst.position() + n);
            int got;
            try {
                got = file.read(dst, offset + position);
                if (got < 0) {
                    // Allocated at the end of the file and not written yet: zeros.
                    got = n;
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                }
            } catch (IOException e) {
                throw translate(e);
            } finally {
                dst.limit(limit);
            }
            position += got;
            return got;
        }

        @Override
        public String toString() {
            return "ObjectReader[id=" + id + ", size=" + size + ", position=" + position + "]";
        }
    }
}
