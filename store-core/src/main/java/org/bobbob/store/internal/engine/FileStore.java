package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.bobbob.store.AllocatedRun;
import org.bobbob.store.Backup;
import org.bobbob.store.BackupReport;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.RunAllocator;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreStats;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.VerifyReport;
import org.bobbob.store.internal.alloc.ExtentAllocator;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.events.Events;
import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.io.BackupTap;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.tx.Branch;
import org.bobbob.store.internal.tx.TxManager;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.Failures;
import org.bobbob.store.support.SelfGuardedCreates;

/**
 * The engine behind {@code BasicStore} and {@code MultiStore}: the file, its header, the commit
 * protocol, data I/O and the Late handles. An {@link AllocatorFactory} chooses the
 * {@link ObjectAllocator} (where objects go: {@link AllocatorFactory#BASIC} or
 * {@link AllocatorFactory#MULTI}); everything that touches the file is here and in the parts this
 * comment names, once.
 *
 * <h2>File</h2>
 * Two {@link HeaderSlot header slots} (offsets 0 and 512), then data from byte 1024: objects,
 * blocks of slots, and metadata records, all placed by the allocator. The current metadata
 * record holds the allocator state (live objects only; free space is derived as the gaps).
 * See {@code docs/FORMAT.md}.
 *
 * <h2>Opening ({@link RecordLoader})</h2>
 * A record ends with an index ({@link RecordIndex}), so opening reads the record and its footer
 * and stops: look-ups are answered from the record in place until the first call that changes the
 * allocator state (or asks for {@link #stats()}) builds it, once, under the write lock
 * ({@link AllocatorState}). A sync with nothing allocated or freed since the open only forces the
 * data: the record still holds. A record in format 1 has no index and is built at open, as is a
 * store whose header names journal entries (it was not closed after its last commit): the entries'
 * changes are replayed onto the record's state ({@link ChangeLog#replay}).
 *
 * <h2>Commit protocol ({@link #sync()}, {@link CommitProtocol})</h2>
 * <ol>
 *   <li>Under the metadata lock: once the record is large, encode the changes since the last commit
 *       ({@link ChangeLog}) as one journal entry, placed after the journal's entries; else (and when
 *       the journal is full, after a failed commit, at close) encode the whole allocator state and
 *       its index and allocate space for the record (the old record stays untouched). Note the
 *       allocator end and what has been freed so far.
 *   <li>Write the record or entry (and extend the file to the end if it is shorter), then force:
 *       data written before the sync and the record or entry are now durable. An entry that carries
 *       the bytes of every object written since the last commit is instead written durably by
 *       itself ({@link StoreFile#writeDurably}), with no force: the objects' own bytes reach the
 *       disk by the next whole record's force, and until then a crash finds them in the entries.
 *       An entry without the bytes that continues a journal is written durably only after the
 *       force: opening counts it once it is whole, so it must not reach the disk before the data.
 *   <li>Write the next header slot (sequence {@code s+1}) naming the record and the journal's
 *       length, durably. The other slot still names the previous state, whose record and journal wait
 *       one more sync (the record reserve), so a torn slot falls back to an intact state. Close
 *       (and a cut of a large free tail) writes both slots, so a closed store's slots agree. An
 *       entry that continues a journal writes no slot: it begins with the journal's salt, and
 *       opening reads on past the entries the slot names (format 6).
 *   <li>Under the metadata lock: make reusable the space freed before step 1; the old record's
 *       space becomes the reserve of the next record. Nothing freed is reused before this point,
 *       so every durable newest state only names bytes that still hold what it says.
 * </ol>
 * A crash before the slot is durable leaves the previous state; a torn slot leaves the other (the
 * previous state, intact by step 4's rule); after the slot the new state.
 *
 * <p>The store also commits by itself, the same way, when a new object would otherwise grow the
 * file while at least 1 MiB (and an eighth of the file) of freed space waits for a sync: churn
 * within one sync window then reuses that space instead of growing the file by it.
 *
 * <h2>Threads</h2>
 * Safe for concurrent use on distinct objects: allocator state is guarded by a
 * {@link StampedLock} in {@link AllocatorState} (mutations exclusive and short, never across data
 * I/O; look-ups optimistic, falling back to a shared lock when a mutation raced them); syncs and
 * close by a {@link ReentrantLock} in {@link CommitProtocol}, always taken before the metadata
 * lock; data I/O ({@link FileHandles}, and the handle-free calls here) is positional and takes no
 * lock. Coordinating readers and writers of the same object, and deletes against open handles, is
 * left to the caller; {@link LockingStore} (the {@code ConcurrentStore}) does it.
 *
 * <h2>Capabilities</h2>
 * {@link ObjectInfoProvider} and {@link StatisticsProvider}; {@link RunAllocator} when the allocator
 * lays out runs (basic); and, for {@link LockingStore} only, {@link SelfGuardedWrites} and
 * {@link KeptDeletes}.
 *
 * <h2>Ids</h2>
 * An id names its object or nothing: it carries a check of the generation the object was
 * allocated in ({@code org.bobbob.store.internal.alloc.ObjectIds}, {@code Generation}), so after a
 * delete, or a crash that lost the object, the id is not found, whatever reuses its space. Before
 * the first allocation after an open, {@link CommitProtocol#claimGeneration} makes the new
 * generation durable.
 */
final class FileStore
        implements Storer,
                ObjectInfoProvider,
                StatisticsProvider,
                ObjectLister,
                StoreVerifier,
                Backup,
                SelfGuardedWrites,
                KeptDeletes,
                TransactionalEngine {
    private static final int ZERO_CHUNK = 64 * 1024;
    /** The longest {@code byte[]} every JVM allocates (HotSpot's limit is a few bytes higher). */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Zeros to copy from; read-only and shared, so {@code duplicate()} it. */
    static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    final StoreFile file;
    private final Path path;
    private final AllocatorFactory factory;
    private final AllocatorState state;
    final CommitProtocol commits;
    /** {@link RunAllocator} when the allocator lays out runs, else null. */
    private final RunAllocator runs;
    /** Whether reads compare the bytes with their recorded CRC32C. */
    private final boolean verifyChecksums;
    /** Calls in progress (handle calls included); {@link #close()} shuts it and waits for them. */
    private final CloseGate calls = new CloseGate();
    /** How long close waits for calls in progress (each is one allocation or one I/O). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    /** The default of the URL key {@code lockTimeoutMillis}. */
    static final long DEFAULT_LOCK_TIMEOUT_MILLIS = 10_000;

    /** How long a transaction waits for an object another one holds. */
    private final long lockTimeoutMillis;
    /** Where an online backup copies the file from; null: none ({@link #isWrapperFor}). */
    private final BackupTap tap;
    /** One backup at a time. */
    private final ReentrantLock backupLock = new ReentrantLock();
    /** How long a backup waits for the calls in progress when it takes its sync point. */
    private static final Duration BACKUP_DRAIN_WAIT = Duration.ofSeconds(30);
    /** The store's transactions, made on first use ({@link #transactions}); guarded by {@code this}. */
    private TxManager transactions;

    FileStore(StoreFile file, AllocatorFactory factory, OpenMode mode, boolean verifyChecksums) throws IOException {
        this(file, factory, mode, verifyChecksums, DEFAULT_LOCK_TIMEOUT_MILLIS);
    }

    FileStore(StoreFile file, AllocatorFactory factory, OpenMode mode, boolean verifyChecksums, long lockTimeoutMillis)
            throws IOException {
        this(file, null, factory, mode, verifyChecksums, lockTimeoutMillis);
    }

    /**
     * A store on {@code file}; {@code tap} (or null: no {@link Backup}) is the {@link BackupTap}
     * below {@code file}'s write-combining layer, through which every write reaches the file.
     */
    FileStore(
            StoreFile file,
            BackupTap tap,
            AllocatorFactory factory,
            OpenMode mode,
            boolean verifyChecksums,
            long lockTimeoutMillis)
            throws IOException {
        this.file = file;
        this.tap = tap;
        this.verifyChecksums = verifyChecksums;
        this.lockTimeoutMillis = lockTimeoutMillis;
        this.path = file.path();
        this.factory = factory;
        this.state = new AllocatorState(path, factory);
        this.commits = new CommitProtocol(file, factory.kind(), state, this);
        this.runs = factory.allocatesRuns() ? this::allocateRun : null;
        Events.Open event = Events.open();
        boolean created = false;
        try {
            long size = file.size();
            if (size == 0 && mode.mayCreateFile()) {
                state.createEmpty();
                commits.commitNew();
                created = true;
            } else if (mode == OpenMode.CREATE) {
                throw Errors.exists(path);
            } else {
                RecordLoader.Loaded loaded = RecordLoader.load(file, factory, state, size);
                RecordLoader.settle(file, state, loaded);
                commits.opened(loaded.header());
                if (!state.transactions().isEmpty()) {
                    // Before open returns: roll back what did not commit, finish what did.
                    TxManager.recoverAtOpen(new EngineTx(this, this, null));
                }
            }
            event.done(path, RecordLoader.kindName(factory.kind()), created, new Events.OpenFigures() {
                @Override
                public long objects() {
                    return state.objectsOnRecord();
                }

                @Override
                public long fileBytes() throws IOException {
                    return file.size();
                }

                @Override
                public long recordBytes() {
                    return state.recordBytes();
                }
            });
        } catch (IOException | RuntimeException | Error e) {
            Failures.closeAfter(e, file);
            throw e;
        }
    }

    // ---------------------------------------------------------------- preconditions

    /** The store file's path. */
    Path path() {
        return path;
    }

    static int checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, got " + size);
        }
        return size;
    }

    /**
     * Counts a call in ({@link #calls}): refused once {@link #close()} has begun. Every call that
     * touches the file or the allocator is counted in and out, so close can wait for them.
     */
    void enter() throws StoreClosedException {
        calls.enter(this);
    }

    void exit() {
        calls.exit();
    }

    private Location locateOrThrow(long id) throws IOException {
        Location loc = new Location();
        if (!state.lookup(id, loc)) {
            throw Errors.notFound(id);
        }
        return loc;
    }

    /** What fills a new object's bytes, given its place. */
    @FunctionalInterface
    private interface Fill {
        void into(Location loc) throws IOException;
    }

    /** A Late writer's object: its bytes come later, through the handle. */
    private static final Fill LATER = loc -> {};

    /**
     * Allocates an object with checksum {@code crc} and fills it, as one fill of
     * {@link AllocatorState#startFill}: a commit encodes before the allocation or after the fill,
     * never between, so no durable state names the object with its bytes half written. If the
     * fill fails, frees the object and rethrows. {@code owner} (a transaction branch, or null)
     * receives the id under the metadata lock.
     */
    private Location allocateAndFill(int size, int crc, LongConsumer owner, Fill fill) throws IOException {
        reuseFreedSpaceFirst();
        commits.claimGeneration();
        Location loc = new Location();
        long filling = state.startFill();
        try {
            state.allocate(size, crc, loc, owner);
            commits.changed();
            try {
                fill.into(loc);
            } catch (IOException e) {
                discard(loc.id, e);
                throw commits.translate(e);
            } catch (RuntimeException e) {
                discard(loc.id, e);
                throw e;
            }
        } finally {
            state.endFill(filling);
        }
        return loc;
    }

    /**
     * Commits first when much freed space waits for a sync (churn within one sync window), so
     * that the new object can take it instead of growing the file. One volatile read otherwise.
     */
    private void reuseFreedSpaceFirst() throws IOException {
        if (state.freedSpaceWaits()) {
            commits.commitToReuse(state::freedSpaceWaits);
        }
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public long newObj(int size) throws IOException {
        checkSize(size);
        enter();
        try {
            return allocateAndFill(size, Crc32c.sealedZeros(size), null, loc -> {
                        if (!loc.fresh) {
                            writeZeros(loc.offset, loc.size);
                        }
                    })
                    .id;
        } finally {
            exit();
        }
    }

    private void discard(long id, Throwable primary) {
        try {
            state.free(id);
            commits.changed();
        } catch (IOException | RuntimeException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    @Override
    public void deleteObj(long id) throws IOException {
        enter();
        try {
            if (file.holdsRefusedWrites()) {
                deleteDiscarding(id);
            } else if (!state.free(id)) {
                throw Errors.notFound(id);
            }
            commits.changed();
        } finally {
            exit();
        }
    }

    /**
     * A delete while the file holds writes a full disk refused: the object's unwritten bytes are
     * dropped with it, so that a sync can succeed once deletes free what the store needs (the
     * record itself goes to the record reserve, see {@link AllocatorState}).
     */
    private void deleteDiscarding(long id) throws IOException {
        Location loc = new Location();
        if (!state.lookup(id, loc) || !state.free(id)) {
            throw Errors.notFound(id);
        }
        file.discard(loc.offset, loc.offset + Math.max(loc.allocatedSize, 1));
    }

    @Override
    public void deleteKeepingSpace(long id) throws IOException {
        enter();
        try {
            if (!state.freeKeepingSpace(id)) {
                throw Errors.notFound(id);
            }
            commits.changed();
        } finally {
            exit();
        }
    }

    @Override
    public void releaseKept(long id) {
        state.releaseKept(id);
        commits.changed(); // the next sync makes the space reusable
    }

    @Override
    public long primeObject(int size) throws IOException {
        checkSize(size);
        enter();
        try {
            long existing = state.existingPrime(size);
            if (existing != 0) {
                return existing;
            }
            commits.claimGeneration();
            // Once per store: a new prime object is zero-filled under the metadata lock.
            return state.prime(size, this::zeroFill, commits::changed);
        } finally {
            exit();
        }
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        checkSize(size);
        enter();
        try {
            Location loc = allocateAndFill(size, Crc32c.sealedZeros(size), null, LATER);
            return new FileHandles.Writer(this, loc, !loc.fresh, loc.clustered, true);
        } finally {
            exit();
        }
    }

    /** As the default, without a handle: one allocation, one write; on failure the object is freed. */
    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        checkSize(data.length);
        enter();
        try {
            return allocateAndFill(data.length, Crc32c.sealedOf(data, 0, data.length), null, loc -> {
                        if (loc.clustered) {
                            file.writeNewObject(ByteBuffer.wrap(data), loc.offset);
                        } else {
                            file.writeFully(ByteBuffer.wrap(data), loc.offset);
                        }
                    })
                    .id;
        } finally {
            exit();
        }
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        enter();
        try {
            return new FileHandles.Writer(this, locateOrThrow(id), false, false, false);
        } finally {
            exit();
        }
    }

    /**
     * As the default, without a handle: one call, in which the bytes are written and the object's
     * checksum updated, so that no sync point (a sync, an online backup's) falls between the two.
     */
    @Override
    public void writeBytesToObj(long id, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        enter();
        try {
            Location loc = locateOrThrow(id);
            if (data.length > loc.size) {
                throw Errors.writeLimit(id, loc.size, 0, data.length);
            }
            if (data.length == 0) {
                return;
            }
            try {
                file.writeFully(ByteBuffer.wrap(data), loc.offset);
            } catch (IOException e) {
                throw commits.translate(e);
            }
            commits.changed();
            wrote(id, loc.offset, loc.size, Crc32c.of(data, 0, data.length), data.length, false);
        } finally {
            exit();
        }
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        enter();
        try {
            Location loc = locateOrThrow(id);
            return new FileHandles.Reader(this, loc, verifyChecksums ? loc.crc : 0);
        } finally {
            exit();
        }
    }

    /** As the default, without a handle: one look-up, one copy. */
    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        enter();
        try {
            Location loc = locateOrThrow(id);
            if (loc.size > MAX_ARRAY) {
                throw Errors.tooLargeForAnArray(id, loc.size);
            }
            byte[] out = new byte[loc.size];
            try {
                file.readFullyZeroPadded(ByteBuffer.wrap(out), loc.offset);
            } catch (IOException e) {
                throw commits.translate(e);
            }
            if (verifyChecksums && loc.crc != 0) {
                int actual = Crc32c.sealedOf(out, 0, out.length);
                if (actual != loc.crc) {
                    throw Errors.checksumMismatch(this, id, loc.crc, actual);
                }
            }
            return out;
        } finally {
            exit();
        }
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        Location[] locs = BatchCheck.validate(ids, data, sizes);
        enter();
        try {
            for (int i = 0; i < ids.length; i++) {
                locs[i] = locateOrThrow(ids[i]);
            }
            BatchCheck.checkPlacement(ids, sizes, locs);
            if (ids.length > 0) {
                writeBatch(ids, data, sizes, locs);
            }
        } finally {
            exit();
        }
    }

    private void writeBatch(long[] ids, byte[] data, int[] sizes, Location[] locs) throws IOException {
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
            commits.changed();
            int pos = 0;
            for (int i = 0; i < ids.length; i++) {
                Location loc = locs[i];
                wrote(loc.id, loc.offset, loc.size, Crc32c.of(data, pos, sizes[i]), sizes[i], false);
                pos += sizes[i];
            }
        } catch (IOException e) {
            throw commits.translate(e);
        }
    }

    // ---------------------------------------------------------------- capabilities

    /** {@link RunAllocator} of a store whose allocator lays out runs. */
    private AllocatedRun allocateRun(int size, int count) throws IOException {
        checkSize(size);
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        enter();
        try {
            reuseFreedSpaceFirst();
            commits.claimGeneration();
            long filling = state.startFill(); // as allocateAndFill's: no commit names the run half zeroed
            try {
                ExtentAllocator.Run run = state.allocateRun(size, count);
                commits.changed();
                if (!run.fresh() && size > 0) {
                    zeroFill(run.offsets()[0], (long) Math.max(size, 1) * count);
                }
                return new AllocatedRun(run.ids(), run.offsets());
            } finally {
                state.endFill(filling);
            }
        } finally {
            exit();
        }
    }

    @Override
    public Optional<ObjectInfo> objectInfo(long id) {
        Location loc = new Location();
        try {
            if (commits.isClosed() || !state.lookup(id, loc)) {
                return Optional.empty();
            }
        } catch (StoreCorruptedException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        return state.stats(commits.syncs());
    }

    // ---------------------------------------------------------------- operating: list, verify, back up

    @Override
    public long[] objectIds() throws IOException {
        enter();
        try {
            return state.listedIds();
        } finally {
            exit();
        }
    }

    @Override
    public long primeObjectId() throws IOException {
        enter();
        try {
            return state.existingPrime(0);
        } finally {
            exit();
        }
    }

    @Override
    public VerifyReport verify(boolean readAll) throws IOException {
        return verify(readAll, ObjectGuard.NONE);
    }

    /**
     * Guards the read of one object during {@link #verify(boolean, ObjectGuard)}: {@link LockingStore}
     * holds the object's read lock around it, so that no writer changes it while it is read.
     */
    interface ObjectGuard {
        ObjectGuard NONE = (id, check) -> check.run();

        /** Runs {@code check} for {@code id}; returns its answer, or -1 when {@code id} is not visible. */
        long guarded(long id, CommitProtocol.LockedAction<Long> check) throws IOException;
    }

    /**
     * {@link StoreVerifier#verify}: the metadata as the file holds it, checked under the sync lock
     * ({@link FileCheck}); then, with {@code readAll}, every object listed now, read through the
     * combining layer (so what it holds counts) under {@code guard}, against its current checksum.
     */
    VerifyReport verify(boolean readAll, ObjectGuard guard) throws IOException {
        enter();
        try {
            FileReport onFile = commits.whileNoCommit(() -> FileCheck.check(file, false, true, done -> {}));
            VerifyReport checked = onFile.verify();
            if (!readAll || !checked.ok()) {
                return checked;
            }
            List<VerifyReport.Problem> problems = new ArrayList<>();
            long[] ids = state.listedIds();
            long objectsRead = 0;
            long bytesRead = 0;
            ByteBuffer buffer = ByteBuffer.allocate(VERIFY_CHUNK);
            for (long id : ids) {
                long size = guard.guarded(id, () -> checkObject(id, buffer, problems));
                if (size >= 0) {
                    objectsRead++;
                    bytesRead += size;
                }
            }
            return new VerifyReport(problems, checked.notes(), checked.objects(), objectsRead, bytesRead);
        } finally {
            exit();
        }
    }

    private static final int VERIFY_CHUNK = 1 << 20;

    /**
     * Reads object {@code id} and compares its bytes with its current checksum, adding a problem if
     * they differ; its size, or -1 if it is gone (deleted since it was listed).
     */
    private long checkObject(long id, ByteBuffer buffer, List<VerifyReport.Problem> problems) throws IOException {
        Location loc = new Location();
        if (!state.lookup(id, loc)) {
            return -1;
        }
        int read;
        try {
            read = crcOf(file, loc.offset, loc.size, buffer);
        } catch (IOException e) {
            throw commits.translate(e);
        }
        int actual = Crc32c.sealed(read, loc.size);
        if (loc.crc != 0 && actual != loc.crc) {
            problems.add(FileCheck.problem(Errors.checksumMismatch(this, id, loc.crc, actual), id));
        }
        return loc.size;
    }

    /**
     * {@link Backup#backupTo}, with no commit in the pause. Holds the change log
     * ({@link AllocatorState#holdChanges}) and, only if it does not describe the state since the last
     * durable commit (a small store keeps none; it gave up; a commit failed), commits first. Writes
     * the write-combining cache out (most of it before the pause). The pause: holds new calls and
     * waits for those in progress ({@link CloseGate#pause}); at the sync point
     * ({@link CommitProtocol#atBackupPoint}) writes out what the cache gathered since, takes what the
     * copy's metadata needs ({@link AllocatorState#backupPoint}: the changes since the last commit,
     * not the objects) and starts the {@link BackupTap}'s copy of the file as it is; lets calls go
     * on. Then copies the rest while they run, and writes the copy's metadata into the copy
     * ({@link BackupCopy}).
     */
    @Override
    public BackupReport backupTo(Path target, LongConsumer progress) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        if (tap == null) {
            throw Errors.unsupported(name() + " on this file", Backup.class);
        }
        long began = System.nanoTime();
        Events.BackupCopy event = Events.backup();
        enter();
        backupLock.lock();
        BackupSeam seam = backupSeam;
        StoreFile out = null;
        boolean done = false;
        try {
            out = seam.create(target);
            state.build(); // a lazily opened store builds its allocator state now, not in the pause
            StoreFile copy = out;
            BackupCopy.Point point;
            long pause;
            try {
                state.holdChanges(true);
                if (!state.changesSinceDurable()) {
                    commits.atSyncPoint(() -> null); // outside the pause: from now on the log describes the state
                }
                file.flush(); // so that the pause has little to write out
                // Made before the pause: linking a lambda the first time costs milliseconds.
                CommitProtocol.BackupCapture<BackupCopy.Point> capture = durable -> {
                    file.flush(); // the file now holds every object's bytes
                    long length = tap.size();
                    BackupCopy.Point p = state.backupPoint(durable, length);
                    if (p != null) {
                        tap.start(copy, length, (int) HeaderSlot.DATA_START);
                    }
                    return p;
                };
                seam.beforePause();
                long pauseStart = System.nanoTime();
                long pauseEnd;
                try {
                    if (!calls.pause(1, BACKUP_DRAIN_WAIT)) {
                        throw Errors.ioFailed(
                                path,
                                new IOException("calls in progress did not finish within "
                                        + BACKUP_DRAIN_WAIT.toSeconds() + " s; no backup was taken"));
                    }
                    point = commits.atBackupPoint(capture);
                } finally {
                    pauseEnd = System.nanoTime();
                    calls.resume();
                    state.holdChanges(false);
                }
                pause = pauseEnd - pauseStart;
                tap.copyAll(progress);
            } finally {
                state.holdChanges(false);
                tap.stop();
            }
            long bytes = BackupCopy.write(out, point, factory);
            done = true;
            event.done(path, target, bytes, point.objects(), pause);
            return new BackupReport(
                    target,
                    bytes,
                    point.objects(),
                    Duration.ofNanos(pause),
                    Duration.ofNanos(System.nanoTime() - began));
        } finally {
            try {
                if (out != null) {
                    out.close();
                    out.unmap();
                }
                if (out != null && !done) {
                    Files.deleteIfExists(target);
                }
            } finally {
                backupLock.unlock();
                exit();
            }
        }
    }

    /** How a backup creates its copy's file, and a step of its own just before its pause: a seam for tests. */
    interface BackupSeam {
        /** Creates the copy's file at {@code target}, which must not exist. */
        StoreFile create(Path target) throws IOException;

        /** Runs on the backup's thread after the change log is held, before the pause. */
        default void beforePause() throws IOException {}
    }

    /** The copy's file: {@link ChannelStoreFile#createNew}, unless a test set another seam. */
    private volatile BackupSeam backupSeam = ChannelStoreFile::createNew;

    /** For tests: where the next backups create their copy, and what they run before their pause. */
    void backupSeam(BackupSeam seam) {
        backupSeam = Objects.requireNonNull(seam, "seam");
    }

    /**
     * {@link ObjectInfoProvider}, {@link StatisticsProvider}, and {@link RunAllocator} when the
     * allocator lays out runs. Never {@link SelfGuardedWrites} or {@link KeptDeletes}: only the
     * wrapper directly above may use them (see {@link LockingStore}).
     */
    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (!isWrapperFor(capability)) {
            throw Errors.unsupported(name(), capability);
        }
        if (capability == TransactionalStore.class) {
            try {
                return capability.cast(transactions(null));
            } catch (StoreException e) {
                throw e;
            } catch (IOException e) {
                throw Errors.ioFailed(path, e);
            }
        }
        return capability == RunAllocator.class ? capability.cast(runs) : capability.cast(this);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        if (capability == RunAllocator.class) {
            return runs != null;
        }
        if (capability == Backup.class) {
            return tap != null;
        }
        if (capability == TransactionalStore.class) {
            return true;
        }
        return capability != null
                && capability != SelfGuardedWrites.class
                && capability != SelfGuardedCreates.class
                && capability != KeptDeletes.class
                && capability.isInstance(this);
    }

    // ---------------------------------------------------------------- sync and close

    @Override
    public void sync() throws IOException {
        commits.sync();
    }

    /**
     * Refuses new calls at once and waits (up to 30 s) for the calls in progress, so that every
     * call that returned normally is in the final sync; then syncs, releases the file and its lock,
     * and unmaps the file. Idempotent. Handles still open fail with
     * {@link org.bobbob.store.StoreClosedException} from then on. If the final sync fails the file
     * is still released, and it reopens at its previous sync.
     */
    @Override
    public void close() throws IOException {
        TxManager tx;
        synchronized (this) {
            tx = transactions;
        }
        if (tx != null) {
            tx.close(); // active transactions roll back; prepared ones stay in the record
        }
        int running = calls.shut(CLOSE_WAIT);
        commits.close();
        if (running == 0) {
            file.unmap(); // nothing can read the maps any more: release them now, not at a GC
        }
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public synchronized TxManager transactions(LockingStore front) throws IOException {
        if (transactions == null) {
            transactions = new TxManager(new EngineTx(this, front != null ? front : this, front));
        }
        return transactions;
    }

    /** The transaction table, for {@link EngineTx}. */
    AllocatorState state() {
        return state;
    }

    long lockTimeoutMillis() {
        return lockTimeoutMillis;
    }

    /** As {@link #writeNewObjFromBytes}; {@code owner} receives the id under the metadata lock. */
    long writeNewObjFromBytes(byte[] data, LongConsumer owner) throws IOException {
        Objects.requireNonNull(data, "data");
        checkSize(data.length);
        enter();
        try {
            return allocateAndFill(
                            data.length,
                            Crc32c.sealedOf(data, 0, data.length),
                            owner,
                            loc -> file.writeFully(ByteBuffer.wrap(data), loc.offset))
                    .id;
        } finally {
            exit();
        }
    }

    /** As {@link #lateWriteNewObj}; {@code owner} receives the id under the metadata lock. */
    ObjectWriter lateWriteNewObj(int size, LongConsumer owner) throws IOException {
        checkSize(size);
        enter();
        try {
            Location loc = allocateAndFill(size, Crc32c.sealedZeros(size), owner, LATER);
            return new FileHandles.Writer(this, loc, !loc.fresh, loc.clustered, true);
        } finally {
            exit();
        }
    }

    /** The transaction table's branches now (a copy). */
    List<Branch> txBranches() throws IOException {
        enter();
        try {
            return state.txBranches();
        } finally {
            exit();
        }
    }

    /** Under the metadata lock: frees {@code frees}, runs {@code change}; see {@link AllocatorState#txChange}. */
    long txChange(long[] frees, Runnable change) throws IOException {
        return txChange(frees, null, change);
    }

    /**
     * As {@link #txChange(long[], Runnable)}; {@code frees[i]} with {@code keep[i]} (keep may be
     * null) is freed keeping its space, as {@link #deleteKeepingSpace} does.
     */
    long txChange(long[] frees, boolean[] keep, Runnable change) throws IOException {
        enter();
        try {
            long ticket = state.txChange(frees, keep, change);
            commits.changed();
            return ticket;
        } finally {
            exit();
        }
    }

    /** Whether the allocator state is built (false after a lazy open, until the first change). For tests. */
    boolean allocatorBuilt() {
        return state.built();
    }

    /** Whether {@link #close()} has run. */
    boolean isClosed() {
        return commits.isClosed();
    }

    /** {@code BasicStore} or {@code MultiStore}: what the store is called in messages. */
    private String name() {
        return factory == AllocatorFactory.BASIC ? "BasicStore" : "MultiStore";
    }

    @Override
    public String toString() {
        return name() + "[" + path + "]";
    }

    // ---------------------------------------------------------------- data I/O

    /**
     * Records the CRC32C of object {@code id} ({@code size} bytes at {@code offset}) after its first
     * {@code written} bytes were written with CRC32C {@code writtenCrc}: the rest is zeros
     * ({@code restIsZeros}, a new object) or its old bytes, read back here.
     */
    void wrote(long id, long offset, int size, int writtenCrc, int written, boolean restIsZeros) throws IOException {
        int rest = size - written;
        int crc = writtenCrc;
        if (rest > 0) {
            crc = Crc32c.combine(
                    writtenCrc, restIsZeros ? Crc32c.ofZeros(rest) : crcOfFile(offset + written, rest), rest);
        }
        state.setCrc(id, Crc32c.sealed(crc, size));
        commits.changed();
    }

    /** The CRC32C of {@code length} bytes of the file from {@code position} (past its end: zeros). */
    private int crcOfFile(long position, int length) throws IOException {
        try {
            return crcOf(file, position, length, ByteBuffer.allocate(Math.min(length, ZERO_CHUNK)));
        } catch (IOException e) {
            throw commits.translate(e);
        }
    }

    /**
     * The CRC32C of {@code length} bytes of {@code file} from {@code position} (past its end:
     * zeros), read through {@code buffer} a buffer's capacity at a time. Also {@link FileCheck}'s.
     */
    static int crcOf(StoreFile file, long position, long length, ByteBuffer buffer) throws IOException {
        CRC32C crc = new CRC32C();
        for (long done = 0; done < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
            file.readFullyZeroPadded(buffer, position + done);
            crc.update(buffer.flip());
            done += buffer.limit();
        }
        return (int) crc.getValue();
    }

    /** Writes zeros over {@code [position, position + length)} of a new object; a failure under a closed store is {@code StoreClosedException}. */
    void zeroFill(long position, long length) throws IOException {
        try {
            writeZeros(position, length);
        } catch (IOException e) {
            throw commits.translate(e);
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
        commits.changed();
    }
}
