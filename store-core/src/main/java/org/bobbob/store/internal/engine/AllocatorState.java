package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreStats;
import org.bobbob.store.internal.alloc.ExtentAllocator;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.Generation;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.ObjectLocator;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.alloc.SpaceExhaustedException;
import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.Journal;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;
import org.bobbob.store.internal.io.ReadsInFlight;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.tx.Branch;
import org.bobbob.store.internal.tx.TxTable;
import org.bobbob.store.support.Errors;

/**
 * The allocator state of a {@link FileStore} and the metadata lock that guards it: the allocator
 * (or, until it is built, the record it opened), the free space, the prime object and the extent
 * of the current record.
 *
 * <h2>Lock</h2>
 * One {@link StampedLock}. Mutations take it exclusively and hold it only for the allocator change,
 * never across data I/O (the one exception: a new prime object is zero-filled under it, once per
 * store, so no caller sees its id before its zeros). Look-ups read optimistically and fall back to
 * the shared lock when a mutation raced them. The commit protocol takes it twice per sync (to encode
 * the record and to release what the sync made reusable), never while holding it across a force.
 * Lock order: the sync lock ({@link CommitProtocol}) before this one, never the other way round.
 */
final class AllocatorState {
    private final Path path;
    private final AllocatorFactory factory;
    /**
     * Guards {@link #space}, {@link #allocator}, {@link #unbuilt}, {@link #primeId} and the current
     * record's extent.
     */
    private final StampedLock meta = new StampedLock();

    private final FileSpace space = new FileSpace(HeaderSlot.DATA_START);
    /** The transaction branches records name (format 4), guarded by {@link #meta}. */
    private final TxTable transactions = new TxTable();
    /** The generation new objects record (see {@link Generation}); 1 in a new store. */
    private final Generation generation = new Generation(1);
    /**
     * Objects deleted while a handle still used them ({@link #freeKeepingSpace}): id → allocated
     * size, until {@link #releaseKept}.
     */
    private final Map<Long, Integer> kept = new HashMap<>();
    /**
     * The allocator state; null while the store answers look-ups from the record it opened
     * ({@link #unbuilt}). Use {@link #allocator()} under the write lock.
     */
    private ObjectAllocator allocator;
    /** Until {@link #allocator} is built: the record to build it from. */
    private RecordLoader.Unbuilt unbuilt;
    /**
     * Answers look-ups: the record's index until the allocator is built, then the allocator.
     * Volatile: optimistic readers read it without the lock.
     */
    private volatile ObjectLocator locator;
    /**
     * Optimistic look-ups in progress in the record's index. The index reads the record where the
     * file is mapped, and once the allocator is built the record's space may be freed and cut
     * off the file's end: a look-up still reading it would fault the JVM. So the build waits for
     * them ({@link ReadsInFlight}); look-ups in the built allocator are not counted.
     */
    private final ReadsInFlight indexReaders = new ReadsInFlight();

    private long primeId;
    private long recordOffset;
    private int recordLength;
    /** Bytes of space the current record holds (at least its extent; a reserve taken whole may be more). */
    private long recordSpace;
    /**
     * The <em>record reserve</em>: the space of the record before the current one, kept for the
     * next record instead of going back to the free space. A record then never needs new disk
     * space while it is no larger than the one before it, so a store whose disk is full can still
     * commit its deletes (and be written again in the space they free). Zero length: none.
     */
    private long reserveOffset;

    private long reserveSpace;

    /**
     * The allocator changes since the last commit, for a journal entry ({@link #encodeRecord});
     * appended under {@link #meta}, exclusive or shared.
     */
    private final ChangeLog changes = new ChangeLog();
    /** The journal after the current record (docs/FORMAT.md): its offset (0: none), space and bytes used. */
    private long journalOffset;

    private int journalCapacity;
    private int journalLength;
    /** The bytes of the journal's last entry (the header names it, for a torn one to be recognised). */
    private int lastEntryLength;
    /**
     * What the journal's entries begin with (format 6, see {@link Journal#PREFIX}); 0 while there is
     * no journal, or for a journal opened from format 5 (which takes no more entries).
     */
    private long journalSalt;
    /**
     * Whether the next commit must write a whole record: set when a commit failed (its changes
     * left the log, and the durable state does not have them), cleared when a whole record is
     * durable.
     */
    private boolean needWhole;

    /**
     * Records shorter than this are written whole by every commit: writing one costs about what
     * writing a journal entry does, and the store spends no space on a journal.
     */
    static final int JOURNAL_FROM = 32 << 10;
    /**
     * The journal's space: twice the record's, within these bounds, in whole granules: a store
     * spends on it what it spends on records, and writes a whole record about as often as the
     * changes since the last one add up to the record's size.
     */
    static final int JOURNAL_MIN = 64 << 10;

    static final int JOURNAL_MAX = 16 << 20;

    /**
     * The space of a journal taken after a record that holds {@code recordSpace} bytes, by a first
     * entry of {@code entryLength} bytes in a file that ends at {@code end}: twice the record's and,
     * when that entry carries its objects' bytes, room for {@value #ENTRIES_PER_JOURNAL} like it as
     * far as a thirty-second of the file allows. Such entries (a transaction per commit) are far
     * larger than the record's changes alone, and a journal that holds few of them makes every few
     * commits write a whole record, with its second force.
     */
    static int newJournalCapacity(long recordSpace, int entryLength, boolean carriesBytes, long end) {
        long forEntries = carriesBytes ? Math.min((long) ENTRIES_PER_JOURNAL * entryLength, end >>> 5) : 0;
        long wanted = Math.min(Math.max(Math.max(2 * recordSpace, JOURNAL_MIN), forEntries), JOURNAL_MAX);
        return (int) RecordLoader.recordExtent((int) wanted);
    }

    /**
     * How many entries like its first a new journal has room for, space allowing (see {@link
     * #newJournalCapacity}). A full journal costs a whole record: every object's state encoded
     * under the metadata lock and a second force. With 64, a store of 100 000 objects of 1–4 KiB
     * that commits a transaction at a time writes one every 60 commits instead of every 27 (W6: 167
     * instead of 361 whole records in 10 000 commits); the journal then takes 64 such entries'
     * space, at most a thirty-second of the file.
     */
    static final int ENTRIES_PER_JOURNAL = 64;

    /**
     * A commit is due before the next allocation when at least this many freed bytes wait for a
     * sync, and at least an eighth of the file: their space can then take new objects instead of
     * the file growing. Small enough that churn within one sync window keeps the file near its
     * live size; large enough that a few deletes never cost a commit.
     */
    static final long REUSE_COMMIT_MIN = 1L << 20;
    /**
     * New objects being filled: a new object's allocation and the write of its bytes hold this
     * shared ({@link #startFill}), a commit's encoding holds it exclusively (taken before
     * {@link #meta}). So a commit waits for the fills under way and no fill starts until it has
     * encoded: it never names a new object whose bytes are half written. Its record or entry holds
     * each new object with its bytes (forced with it, or carried in the entry) or not at all, and
     * after a crash an object created while a sync ran is whole or gone, never torn.
     */
    private final StampedLock fills = new StampedLock();
    /** Bytes freed and waiting for a sync, as of the last change; read without the lock. */
    private volatile long waitingFreed;
    /** The allocator end as of the last change; read without the lock. */
    private volatile long endSeen;

    AllocatorState(Path path, AllocatorFactory factory) {
        this.path = path;
        this.factory = factory;
    }

    // ---------------------------------------------------------------- opening (single-threaded)

    /** A new store: an empty allocator. */
    void createEmpty() {
        allocator = factory.create(space, generation);
        locator = allocator;
    }

    /** The extent of the record the store opened, and the generation its header claimed. */
    void openedRecord(long offset, int length, int generationClaim) {
        recordOffset = offset;
        recordLength = length;
        recordSpace = RecordLoader.recordExtent(length);
        generation.resumeAfter(generationClaim);
        changes.keep(length >= JOURNAL_FROM);
    }

    /**
     * The journal the store's header names after its record (format 5 on; none: all zero), as far as
     * its entries hold: {@code length} bytes, the last entry {@code lastLength} of them.
     */
    void openedJournal(long offset, int capacity, int length, int lastLength, long salt) {
        journalOffset = offset;
        journalCapacity = capacity;
        journalLength = length;
        lastEntryLength = lastLength;
        journalSalt = salt;
        if (offset != 0 && salt == 0) {
            needWhole = true; // a format-5 journal: its entries have no salt, so later ones may not follow
        }
    }

    /** Live objects: the opened record's index says, until the allocator is built (for events; no build). */
    long objectsOnRecord() {
        long stamp = meta.readLock();
        try {
            return allocator != null ? allocator.liveObjects() : ((RecordIndex) locator).liveObjects();
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /** The length of the current record, bytes. */
    long recordBytes() {
        long stamp = meta.readLock();
        try {
            return recordLength;
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /** The generation claim for a header slot written now (see {@link Generation#claim}). */
    int generationClaim() {
        long stamp = meta.readLock();
        try {
            return generation.claim();
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /** Formats 2 and 3: answer look-ups from {@code index} until the first change builds from {@code u}. */
    void buildLater(RecordLoader.Unbuilt u, RecordIndex index) {
        unbuilt = u;
        locator = index;
    }

    /**
     * Format 1: build now from the parts that follow the prime id, and apply {@code entries}' changes
     * (none in a store's own file; a backup's copy may add one, see {@link RecordLoader#loadWithEntry}).
     */
    void buildNow(MetaReader in, int version, long end, List<MetaReader> entries) {
        build(in, version, null, end, entries, new ArrayList<>());
    }

    /**
     * A record followed by journal entries: build now from the record's parts ({@code in}, with
     * its {@code index}) and apply each entry's changes ({@code entries}, each at its changes).
     *
     * @return the objects' bytes the entries carry since the last entry without them, each
     *     object's newest (empty if none)
     */
    List<ChangeLog.Captured> buildWithJournal(
            MetaReader in, int version, RecordIndex index, long end, List<MetaReader> entries) {
        List<ChangeLog.Captured> captured = new ArrayList<>();
        build(in, version, index, end, entries, captured);
        return captured;
    }

    /** A look-up while opening (no other thread has the store yet). */
    boolean locateOpening(long id, Location out) {
        return locator.locate(id, out);
    }

    void openedPrime(long prime) {
        primeId = prime;
    }

    private void build(
            MetaReader in,
            int version,
            RecordIndex index,
            long end,
            List<MetaReader> entries,
            List<ChangeLog.Captured> captured) {
        ObjectAllocator built = RecordLoader.build(
                factory,
                space,
                generation,
                in.onHeap(), // a mapped record is decoded from a copy: faster, and the map is then let go
                version,
                index,
                end,
                recordOffset,
                recordLength,
                entries,
                journalOffset,
                journalCapacity,
                captured);
        allocator = built;
        locator = built;
    }

    /** The allocator state, built first if the store opened lazily. Caller holds the write lock. */
    private ObjectAllocator allocator() throws StoreCorruptedException {
        ObjectAllocator a = allocator;
        if (a != null) {
            return a;
        }
        RecordLoader.Unbuilt u = unbuilt;
        try {
            build(u.parts().at(u.parts().position()), u.version(), u.index(), u.end(), List.of(), new ArrayList<>());
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        }
        unbuilt = null;
        indexReaders.awaitNone(); // the record may be cut once free: no optimistic look-up may still read it
        return allocator;
    }

    /**
     * Builds the allocator state now if the store opened lazily (a no-op otherwise).
     *
     * @throws StoreCorruptedException if the record turns out to be corrupted
     */
    void build() throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            allocator();
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** Whether the allocator state is built (false after a lazy open, until the first change). For tests. */
    boolean built() {
        long stamp = meta.readLock();
        try {
            return allocator != null;
        } finally {
            meta.unlockRead(stamp);
        }
    }

    // ---------------------------------------------------------------- look-ups and changes

    /**
     * Finds a live object; optimistic, falling back to the shared lock if a mutation raced.
     *
     * @throws StoreCorruptedException if the record the store opened holds a bad index entry
     * @throws IOException if the record the store opened cannot be mapped or read for its first
     *     look-up (see {@code MetaReader.Mapping})
     */
    boolean lookup(long id, Location out) throws IOException {
        long stamp = meta.tryOptimisticRead();
        if (stamp != 0) {
            ObjectLocator l = locator;
            boolean inIndex = l instanceof RecordIndex;
            int slot = inIndex ? indexReaders.enter() : 0;
            boolean found = false;
            try {
                if (inIndex && locator != l) {
                    stamp = 0; // the allocator was built meanwhile: the index may be gone, ask under the lock
                } else {
                    found = l.locate(id, out);
                }
            } catch (RuntimeException raced) {
                stamp = 0;
            } finally {
                if (inIndex) {
                    indexReaders.exit(slot);
                }
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
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /**
     * Allocates an object of {@code size} bytes whose CRC32C will be {@code crc} into {@code out};
     * {@code owner} (a transaction branch, or null) receives its id under the lock.
     *
     * @throws StoreException BOB-105 if the file would pass its maximum size
     */
    void allocate(int size, int crc, Location out, LongConsumer owner) throws StoreException {
        long stamp = meta.writeLock();
        try {
            allocator().allocate(size, crc, out);
            changes.allocated(out.id, size, crc, out.offset);
            if (owner != null) {
                owner.accept(out.id); // before any record can name the object without its branch
            }
        } catch (SpaceExhaustedException e) {
            throw Errors.spaceExhausted(e.getMessage());
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** The transaction table; read or change it only through {@link #txChange} (or while opening). */
    TxTable transactions() {
        return transactions;
    }

    /** A copy of the transaction table's branches, taken under the lock. */
    List<Branch> txBranches() {
        long stamp = meta.readLock();
        try {
            return new ArrayList<>(transactions.branches());
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /**
     * Under the lock: frees the live ones of {@code frees}, runs {@code change} (of the transaction
     * table or its branches) and returns the table's ticket for it (see {@link TxTable#ticket}).
     */
    long txChange(long[] frees, Runnable change) throws StoreCorruptedException {
        return txChange(frees, null, change);
    }

    /**
     * As {@link #txChange(long[], Runnable)}; {@code frees[i]} with {@code keep[i]} (keep may be
     * null) is freed keeping its space, as {@link #freeKeepingSpace} does: a reader still has it.
     */
    long txChange(long[] frees, boolean[] keep, Runnable change) throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            // Built even for a change of the table alone, after a lazy open (the prepare of a
            // branch that only deletes, the commit of one that only creates): a record encodes
            // only a built state, and the next one must name the change.
            ObjectAllocator a = allocator();
            Location loc = new Location();
            for (int i = 0; i < frees.length; i++) {
                long id = frees[i];
                if (keep != null && keep[i]) {
                    freeKeepingSpace(a, id, loc);
                } else if (a.free(id)) {
                    changes.freed(id);
                    if (id == primeId) {
                        primeId = 0;
                    }
                }
            }
            change.run();
            if (frees.length > 0) {
                noteWaitingFreed();
            }
            return transactions.nextTicket();
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** Frees a live object (no longer the prime object if it was); false if {@code id} is not live. */
    boolean free(long id) throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            if (!allocator().free(id)) {
                return false;
            }
            changes.freed(id);
            if (id == primeId) {
                primeId = 0;
            }
            noteWaitingFreed();
            return true;
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** Updates what {@link #freedSpaceWaits} reads; caller holds the write lock. */
    private void noteWaitingFreed() {
        waitingFreed = space.parkedBytes() + (allocator != null ? allocator.parkedBytes() : 0);
        endSeen = space.end();
    }

    /**
     * Whether so much freed space waits for a sync ({@link #REUSE_COMMIT_MIN}, and an eighth of the
     * file) that the next allocation should commit first, to reuse it rather than grow the file.
     * Lock-free: an estimate as of the last free or commit.
     */
    boolean freedSpaceWaits() {
        long waiting = waitingFreed;
        return waiting >= REUSE_COMMIT_MIN && waiting >= endSeen >>> 3;
    }

    /**
     * Frees a live object as {@link #free} does, but keeps its space out of reuse until
     * {@link #releaseKept}: a handle is still reading or writing it. False if {@code id} is not live.
     */
    boolean freeKeepingSpace(long id) throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            return freeKeepingSpace(allocator(), id, new Location());
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** {@link #freeKeepingSpace(long)} under the write lock, {@code loc} a scratch carrier. */
    private boolean freeKeepingSpace(ObjectAllocator a, long id, Location loc) {
        if (!a.locate(id, loc) || !a.freeKeepingSpace(id)) {
            return false;
        }
        changes.freed(id);
        kept.put(id, loc.allocatedSize);
        if (id == primeId) {
            primeId = 0;
        }
        return true;
    }

    /** Parks the space of an object that {@link #freeKeepingSpace} kept: reusable after the next sync. */
    void releaseKept(long id) {
        long stamp = meta.writeLock();
        try {
            Integer allocatedSize = kept.remove(id);
            if (allocatedSize != null) {
                allocator.releaseKept(id, allocatedSize);
                noteWaitingFreed();
            }
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /**
     * The prime object's id if there is one of at least {@code size} bytes, found without building
     * the allocator; 0 if there is none.
     *
     * @throws StoreException BOB-103 if it holds fewer than {@code size} bytes
     */
    long existingPrime(int size) throws StoreException {
        long stamp = meta.readLock();
        try {
            return livePrime(size);
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /**
     * The prime object's id if it is live, found without building the allocator; 0 if there is
     * none. Caller holds the lock, shared or exclusive.
     *
     * @throws StoreException BOB-103 if it holds fewer than {@code size} bytes
     */
    private long livePrime(int size) throws StoreException {
        Location loc = new Location();
        if (primeId != 0 && locator.locate(primeId, loc)) {
            if (loc.size < size) {
                throw Errors.primeTooSmall(primeId, loc.size, size);
            }
            return primeId;
        }
        return 0;
    }

    /**
     * Begins filling a new object: call before its allocation, and {@link #endFill} after the
     * write of its bytes (or its free, if that failed). A commit encodes before the allocation or
     * after the write, never between ({@link #fills}). Blocks while a commit encodes.
     *
     * @return the stamp to end it with
     */
    long startFill() {
        return fills.readLock();
    }

    /** Ends a fill begun with {@link #startFill}. */
    void endFill(long stamp) {
        fills.unlockRead(stamp);
    }

    /**
     * Records {@code crc} as the checksum of object {@code id}'s bytes (a write to it finished);
     * nothing if the object is gone.
     *
     * <p>Under the shared lock, not the exclusive one: it changes one value in place and nothing
     * of the allocator's structure (which only changes under the exclusive lock), so overwrites of
     * distinct objects do not serialise on it, nor make look-ups retry. Writes of the same object
     * are ordered by its caller (the {@code ConcurrentStore}'s object lock).
     */
    void setCrc(long id, int crc) throws StoreCorruptedException {
        long stamp = meta.readLock();
        try {
            if (allocator == null) { // once, after a lazy open: the next record must carry the checksum
                meta.unlockRead(stamp);
                stamp = 0;
                build();
                stamp = meta.readLock();
            }
            if (allocator.setCrc(id, crc)) {
                changes.checksum(id, crc); // under the lock: in order with allocations and frees
            }
        } finally {
            if (stamp != 0) {
                meta.unlockRead(stamp);
            }
        }
    }

    /** Writes zeros over a new object's bytes. */
    @FunctionalInterface
    interface ZeroFill {
        void zero(long offset, long length) throws IOException;
    }

    /**
     * The prime object's id: the existing one if it holds {@code size} bytes (found without building
     * the allocator), else a new one, zero-filled under the lock with {@code zeros} when its space
     * was written before, so no caller sees the id before its zeros. {@code changed} runs once the
     * allocator has changed.
     */
    long prime(int size, ZeroFill zeros, Runnable changed) throws IOException {
        long stamp = meta.writeLock();
        try {
            long existing = livePrime(size);
            if (existing != 0) {
                return existing;
            }
            Location loc = new Location();
            ObjectAllocator a = allocator();
            int crc = Crc32c.sealedZeros(size);
            try {
                a.allocate(size, crc, loc);
            } catch (SpaceExhaustedException e) {
                throw Errors.spaceExhausted(e.getMessage());
            }
            changes.allocated(loc.id, size, crc, loc.offset);
            changed.run();
            if (!loc.fresh) {
                try {
                    zeros.zero(loc.offset, loc.size);
                } catch (IOException e) {
                    a.free(loc.id);
                    changes.freed(loc.id);
                    throw e;
                }
            }
            primeId = loc.id;
            return primeId;
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** {@code count} objects of {@code size} bytes back to back (see {@link AllocatorFactory#allocateRun}). */
    ExtentAllocator.Run allocateRun(int size, int count) throws StoreException {
        long stamp = meta.writeLock();
        try {
            ExtentAllocator.Run run = factory.allocateRun(allocator(), size, count);
            int crc = Crc32c.sealedZeros(size);
            for (int i = 0; i < count; i++) {
                changes.allocated(run.ids()[i], size, crc, run.offsets()[i]);
            }
            return run;
        } catch (SpaceExhaustedException e) {
            throw Errors.spaceExhausted(e.getMessage());
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /**
     * Usage figures; builds the allocator state first on a lazily opened store.
     *
     * @throws UncheckedIOException wrapping the {@link StoreCorruptedException} of a bad record
     */
    StoreStats stats(long syncs) {
        long stamp = meta.readLock();
        try {
            if (allocator != null) {
                return statsOf(allocator, syncs);
            }
        } finally {
            meta.unlockRead(stamp);
        }
        stamp = meta.writeLock();
        try {
            return statsOf(allocator(), syncs);
        } catch (StoreCorruptedException e) {
            throw new UncheckedIOException(e);
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /**
     * Runs {@code look} on the built allocator state, the free space and the transaction table,
     * under the shared lock (building first, under the exclusive lock, on a lazily opened store).
     * {@code look} must not change them.
     *
     * @throws StoreCorruptedException if the record turns out to be corrupted
     */
    <T> T inspect(Inspection<T> look) throws StoreCorruptedException {
        long stamp = meta.readLock();
        try {
            if (allocator != null) {
                return look.apply(allocator, space, transactions);
            }
        } finally {
            meta.unlockRead(stamp);
        }
        stamp = meta.writeLock();
        try {
            return look.apply(allocator(), space, transactions);
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** What {@link #inspect} runs. */
    @FunctionalInterface
    interface Inspection<T> {
        T apply(ObjectAllocator allocator, FileSpace space, TxTable transactions);
    }

    /**
     * The ids of the live objects but those only a transaction sees (its new objects and
     * shadows), ascending.
     */
    long[] listedIds() throws StoreCorruptedException {
        return inspect((a, space, tx) -> {
            long[] ids = new long[(int) a.liveObjects()];
            int[] n = {0};
            a.forEachLive((id, offset, size, crc) -> ids[n[0]++] = id);
            Arrays.sort(ids);
            List<Branch> branches = tx.branches();
            if (branches.isEmpty()) {
                return ids;
            }
            // The hidden ids sorted apart, then one pass over both (marking ids in place would
            // unsort the array that later look-ups search)
            long[] hidden = branches.stream()
                    .flatMapToLong(b -> Arrays.stream(b.hiddenObjects()))
                    .sorted()
                    .toArray();
            int kept = 0;
            int h = 0;
            for (long id : ids) {
                while (h < hidden.length && hidden[h] < id) {
                    h++;
                }
                if (h == hidden.length || hidden[h] != id) {
                    ids[kept++] = id;
                }
            }
            return kept == ids.length ? ids : Arrays.copyOf(ids, kept);
        });
    }

    private StoreStats statsOf(ObjectAllocator a, long syncs) {
        return new StoreStats(
                a.liveObjects(),
                a.liveBytes(),
                space.end(),
                space.freeBytes(),
                space.parkedBytes() + a.parkedBytes(),
                syncs,
                a.footprintBytes() + space.footprintBytes());
    }

    // ---------------------------------------------------------------- for the commit protocol

    /**
     * What {@link #encodeRecord} made: the bytes to write and where ({@code offset}); the header
     * slot that names them (the record, and the journal after it); the allocator end it needs; the
     * marks of what had been freed when it was encoded.
     *
     * @param entry          true: a journal entry, appended to the journal; false: a whole record
     * @param carriesBytes   an entry that carries the bytes of every object written since the
     *                       last commit: it and its header slot are written durably, the file is
     *                       not forced
     * @param space          bytes of space a whole record holds (0 for an entry)
     * @param lastEntryLength the entry's bytes (0 for a whole record), for the header slot
     * @param journalSalt    what the journal's entries begin with (0 for a whole record)
     * @param fromReserve    a whole record in the record reserve
     * @param newJournal     an entry that starts a journal whose space was taken for it
     */
    record Encoded(
            ByteBuffer record,
            long offset,
            boolean entry,
            boolean carriesBytes,
            long space,
            boolean fromReserve,
            long slotRecordOffset,
            int slotRecordLength,
            long journalOffset,
            int journalCapacity,
            int journalLength,
            int lastEntryLength,
            long journalSalt,
            boolean newJournal,
            long end,
            int spaceMark,
            long allocatorMark,
            int generationClaim,
            boolean advanceGeneration,
            long txTicket) {}

    /**
     * Step 1 of the commit protocol: encodes what changed since the last commit as one journal
     * entry when {@code journal} allows it (the header is in format 5 or later and the store is not
     * closing), the change log holds every change, no commit failed since the last whole record,
     * and the entry fits the journal (taking the journal's space first if there is none yet) —
     * with the bytes of the objects that changed read from {@code file} into it when they are
     * few ({@link #capture}); else encodes the whole allocator state and its index into {@code whole} and gives it space
     * — the record reserve if it fits, else new space (the old record stays untouched either way).
     * Notes the allocator end and what has been freed so far, and whether an object of the current
     * generation was among it (then the generation advances once the commit is durable, see
     * {@link Generation}). Null while the allocator is not built: the record the store opened still
     * holds, and only the data needs forcing.
     *
     * @throws StoreException BOB-105 if the record's space would pass the file's maximum size
     */
    Encoded encodeRecord(MetaWriter whole, MetaWriter entry, boolean journal, StoreFile file) throws StoreException {
        long fence = fills.writeLock();
        try {
            return encodeRecordFenced(whole, entry, journal, file);
        } finally {
            fills.unlockWrite(fence);
        }
    }

    /** {@link #encodeRecord} with no new object being filled. */
    private Encoded encodeRecordFenced(MetaWriter whole, MetaWriter entry, boolean journal, StoreFile file)
            throws StoreException {
        long stamp = meta.writeLock();
        try {
            if (allocator == null) {
                return null;
            }
            if (journal && !needWhole && recordLength >= JOURNAL_FROM && changes.complete()) {
                Encoded e = encodeEntry(entry, file);
                if (e != null) {
                    return e;
                }
            }
            writeWhole(whole);
            ByteBuffer record = whole.toRecord();
            // The whole record holds every change so far; a log is kept only for a record that
            // later commits extend by journal entries.
            changes.keep(record.remaining() >= JOURNAL_FROM);
            long need = RecordLoader.recordExtent(record.remaining());
            long offset;
            long held;
            boolean fromReserve = reserveSpace >= need;
            if (fromReserve) {
                // The reserve takes it; a reserve far larger than needed gives its excess back.
                offset = reserveOffset;
                held = reserveSpace > 2 * need ? need : reserveSpace;
                if (held < reserveSpace) {
                    space.freeNow(offset + held, reserveSpace - held);
                }
                reserveSpace = 0;
            } else {
                // The reserve stays until this record is durable: new space may not be on disk yet.
                try {
                    offset = space.allocate(need);
                } catch (SpaceExhaustedException e) {
                    throw Errors.spaceExhausted(e.getMessage());
                }
                held = need;
            }
            return new Encoded(
                    record,
                    offset,
                    false,
                    false,
                    held,
                    fromReserve,
                    offset,
                    record.remaining(),
                    0,
                    0,
                    0,
                    0,
                    0,
                    false,
                    space.end(),
                    space.freedMark(),
                    allocator.freedMark(),
                    generation.claim(),
                    generation.takeFreedCurrent(),
                    transactions.ticket());
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /** The whole state's payload into {@code whole}: prime id, transactions, parts, index. Caller holds the write lock. */
    private void writeWhole(MetaWriter whole) {
        whole.reset().putVarLong(primeId);
        transactions.write(whole);
        RecordIndex.Builder index = new RecordIndex.Builder();
        allocator.write(whole, index);
        index.writeTo(whole, allocator.liveObjects(), allocator.liveBytes());
    }

    /**
     * The whole state as one record, framed, ready to write: what a commit's whole record holds.
     * For a backup's copy ({@link BackupCopy}), whose state is built and changes no more.
     */
    ByteBuffer encodeWhole() throws StoreCorruptedException {
        long stamp = meta.writeLock();
        try {
            allocator();
            MetaWriter whole = new MetaWriter();
            writeWhole(whole);
            return whole.toRecord();
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    // ---------------------------------------------------------------- for an online backup

    /**
     * Holds the change log for a backup, or lets it go ({@link ChangeLog#holdAll}): while held it
     * keeps up to {@link ChangeLog#HOLD_MAX} changes, and a whole record turns it on.
     */
    void holdChanges(boolean on) {
        changes.holdAll(on);
    }

    /**
     * Whether the change log holds every change since the state the last durable commit recorded
     * (no commit failed since, the log is on and gave up on none): then the state now is that
     * state plus these changes, and a backup needs no commit.
     */
    boolean changesSinceDurable() {
        long stamp = meta.readLock();
        try {
            return !needWhole && changes.whole();
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /**
     * What a backup's copy needs of the state now, its sync point ({@link BackupCopy.Point}), in
     * time proportional to the changes since the last commit and the transactions, not to the
     * objects: where the last durable commit's record and journal are ({@code durable}, the header
     * slot it wrote, gives the format), the prime id and transactions, a snapshot of the change log,
     * the allocator end and the generation claim. Null when the change log does not describe the
     * state ({@link #changesSinceDurable}): the caller commits, and asks again. Nothing changes.
     * The caller holds the sync lock, and every call that could change the state is held off.
     */
    BackupCopy.Point backupPoint(HeaderSlot durable, long length) {
        long stamp = meta.writeLock();
        try {
            if (allocator == null || needWhole || !changes.whole()) {
                return null;
            }
            MetaWriter head = new MetaWriter().putVarLong(primeId);
            transactions.write(head);
            HeaderSlot base = new HeaderSlot(
                    durable.version(),
                    durable.kind(),
                    durable.sequence(),
                    recordOffset,
                    recordLength,
                    space.end(),
                    generation.claim(),
                    journalOffset,
                    journalCapacity,
                    journalLength,
                    lastEntryLength,
                    journalSalt);
            return new BackupCopy.Point(base, recordSpace, head, changes.snapshot(), allocator.liveObjects(), length);
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /**
     * The changes since the last commit as one journal entry, appended after the journal's
     * entries; null when it does not fit (a whole record is due). Caller holds the write lock.
     */
    private Encoded encodeEntry(MetaWriter out, StoreFile file) {
        long at = journalOffset;
        boolean fresh = at == 0;
        Journal.startEntry(out).putVarLong(primeId); // the prefix (salt, end, claim) is set once placed
        transactions.write(out);
        changes.writeTo(out);
        int flagAt = out.length();
        long capturedBytes = capture(out, file, CAPTURE_MAX);
        boolean captured = capturedBytes >= 0;
        int length = Journal.entryLength(out);
        int capacity =
                fresh ? newJournalCapacity(recordSpace, length, capturedBytes > 0, space.end()) : journalCapacity;
        int free = fresh ? capacity / 2 : capacity - journalLength;
        if (capturedBytes > 0 && length > free) {
            if (!fresh && length <= newJournalCapacity(recordSpace, length, true, space.end()) / 2) {
                // The journal is too full for the bytes: a whole record now, and the next commit's
                // entry starts a new journal. An entry without them would cost a force of the file
                // and a slot, and so would every later one until the journal is full.
                return null;
            }
            // Too many bytes for any journal this store would take: the entry without them.
            out.truncate(flagAt).putByte(0);
            captured = false;
            length = Journal.entryLength(out);
            if (fresh) {
                capacity = newJournalCapacity(recordSpace, length, false, space.end());
                free = capacity / 2;
            }
        }
        if (length > free) {
            return null;
        }
        if (fresh) {
            try {
                at = space.allocate(capacity);
            } catch (SpaceExhaustedException e) {
                return null; // a whole record may still fit the record reserve
            }
        }
        int used = fresh ? 0 : journalLength;
        long salt = fresh ? Journal.newSalt() : journalSalt;
        ByteBuffer bytes = Journal.entry(out, salt, space.end(), generation.claim());
        changes.clear();
        return new Encoded(
                bytes,
                at + used,
                true,
                captured,
                0,
                false,
                recordOffset,
                recordLength,
                at,
                capacity,
                used + length,
                length,
                salt,
                fresh,
                space.end(),
                space.freedMark(),
                allocator.freedMark(),
                generation.claim(),
                generation.takeFreedCurrent(),
                transactions.ticket());
    }

    /**
     * Appends to an entry the captured section: the bytes of every live object whose bytes
     * changed since the last commit (allocated, or given a checksum), read from {@code file} as
     * they are now, when together they are at most {@code budget} bytes; else only the flag that
     * says there are none. Caller holds the write lock (no allocation or free runs meanwhile) and
     * the {@link #fills} fence (no new object is half written). An object being overwritten in
     * place is taken as it is, torn if the overwrite is under way: its writer records its
     * checksum after the write, which names it again, so a later entry carries it whole.
     *
     * @return how many bytes of objects are in the entry, or -1 if they are not
     */
    private long capture(MetaWriter out, StoreFile file, long budget) {
        int flagAt = out.length();
        long[] ids = changes.touched();
        Location loc = new Location();
        long total = 0;
        int live = 0;
        for (int i = 0; i < ids.length && total <= budget; i++) {
            if (allocator.locate(ids[i], loc)) {
                total += loc.size;
                live++;
            }
        }
        if (total > budget) {
            out.putByte(0);
            return -1;
        }
        out.putByte(1).putVarLong(live);
        try {
            for (long id : ids) {
                if (allocator.locate(id, loc)) {
                    out.putVarLong(id).putVarLong(loc.size);
                    file.readOnceFullyZeroPadded(out.space(loc.size), loc.offset);
                }
            }
            return total;
        } catch (IOException e) {
            // The commit forces the objects' bytes first instead, as it does for an entry without them.
            out.truncate(flagAt).putByte(0);
            return -1;
        }
    }

    /**
     * The most bytes of objects one journal entry carries: a commit that changed more forces the
     * objects' bytes before it writes the entry (two forces), as whole records do.
     */
    static final long CAPTURE_MAX = 1 << 20;

    /**
     * The allocator end a header naming {@code e} needs: {@code e.end()} less the tail that was
     * already freed when {@code e} was encoded (see {@link FileSpace#endWithoutParked}).
     */
    long endNamedBy(Encoded e) {
        long stamp = meta.readLock();
        try {
            return Math.min(e.end(), space.endWithoutParked(e.spaceMark()));
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /** How far a commit got, for {@link #recorded}. */
    enum Outcome {
        /** Both header slots name the new record. */
        DURABLE,
        /** Failed before any header slot was written: nothing names the new record's space. */
        UNNAMED,
        /** Failed while writing the header slots: one may name the new record on the next open. */
        MAYBE_NAMED
    }

    /**
     * Step 4 of the commit protocol, or its undo. {@link Outcome#DURABLE}: makes reusable what was
     * freed before {@code e} was encoded; for a whole record, keeps the previous record's space as
     * the record reserve (unless it ends the file: then it is freed, and the file shrinks) and
     * parks the journal's space (reusable after the next commit: the other slot still names it),
     * takes {@code e} as the current record; for an entry, counts it in the journal. Returns the
     * allocator end now (lower than {@code e.end()} when the tail came free). {@link Outcome#UNNAMED}:
     * the reserve is as before {@code e} (its space was the reserve, or is free again), and a
     * journal's space taken for {@code e} is free again. {@link Outcome#MAYBE_NAMED}: frees
     * {@code e}'s new space for reuse after a later commit. After either failure the next commit
     * writes a whole record; both return {@link Long#MAX_VALUE}.
     */
    long recorded(Encoded e, int length, Outcome outcome, boolean bothSlots) {
        long stamp = meta.writeLock();
        try {
            if (outcome == Outcome.DURABLE) {
                if (e.advanceGeneration()) {
                    generation.advance(); // before anything freed becomes reusable
                }
                space.releaseFreed(e.spaceMark());
                allocator.releaseFreed(e.allocatorMark());
                if (e.entry()) {
                    journalOffset = e.journalOffset();
                    journalCapacity = e.journalCapacity();
                    journalLength = e.journalLength();
                    lastEntryLength = e.lastEntryLength();
                    journalSalt = e.journalSalt();
                } else {
                    wholeRecorded(e, length, bothSlots);
                }
                noteWaitingFreed();
                return space.end();
            }
            needWhole = true;
            if (e.entry()) {
                if (e.newJournal()) {
                    if (outcome == Outcome.UNNAMED) {
                        space.freeNow(e.journalOffset(), e.journalCapacity());
                    } else {
                        space.free(e.journalOffset(), e.journalCapacity());
                    }
                }
            } else if (outcome == Outcome.UNNAMED) {
                if (e.fromReserve()) {
                    reserveOffset = e.offset();
                    reserveSpace = e.space();
                } else {
                    space.freeNow(e.offset(), e.space()); // the reserve, on disk, stays
                }
            } else {
                space.free(e.offset(), e.space());
            }
            generation.restoreFreedCurrent(e.advanceGeneration());
            return Long.MAX_VALUE;
        } finally {
            meta.unlockWrite(stamp);
        }
    }

    /**
     * A whole record {@code e} of {@code length} bytes is durable, named by {@code bothSlots} or by
     * one slot (the other still naming the previous record and journal); caller holds the write lock.
     */
    private void wholeRecorded(Encoded e, int length, boolean bothSlots) {
        needWhole = false;
        if (reserveSpace > 0) {
            space.freeNow(reserveOffset, reserveSpace); // smaller than records now are
            reserveSpace = 0; // free now: were it kept, a later record would be written over reused space
        }
        if (journalOffset != 0) {
            if (bothSlots) {
                space.freeNow(journalOffset, journalCapacity); // no slot names it any more
            } else {
                space.free(journalOffset, journalCapacity); // the other slot may still name it
            }
            journalOffset = 0;
            journalCapacity = 0;
            journalLength = 0;
            lastEntryLength = 0;
            journalSalt = 0;
        }
        if (recordSpace > 0 && (bothSlots || recordOffset + recordSpace == space.end())) {
            // At the tail: freeing it shrinks the file, which gives the disk its space. Named by
            // no slot (the close's commit): no reserve is needed, and a closed store's file ends
            // at its last object or record.
            space.freeNow(recordOffset, recordSpace);
        } else {
            reserveOffset = recordOffset;
            reserveSpace = recordSpace;
        }
        recordOffset = e.offset();
        recordLength = length;
        recordSpace = e.space();
    }

    /**
     * Whether the allocator state is built and ends below {@code headerEnd}: its tail came free
     * (objects deleted, a journal or record dropped) since a header named that end.
     */
    boolean endsBelow(long headerEnd) {
        long stamp = meta.readLock();
        try {
            return allocator != null && space.end() < headerEnd;
        } finally {
            meta.unlockRead(stamp);
        }
    }

    /**
     * Cuts {@code file} at the allocator end current under the lock (never an allocated byte), once
     * the header slots that name the lower end are durable.
     */
    void cutTail(StoreFile file) throws IOException {
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
    }
}
