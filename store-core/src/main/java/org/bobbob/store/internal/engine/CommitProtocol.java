package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.events.Events;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.Failures;

/**
 * The "Commit protocol" part of {@link FileStore} (its class comment has the numbered steps):
 * {@code sync()} and {@code close()} under one sync lock, the header sequence, the record's
 * placement and the shrink of a free tail; the generation claim that header slots carry
 * ({@link #claimGeneration}); and the two flags every call reads, whether anything changed since
 * the last sync and whether the store is closed.
 *
 * <p>Lock order: the sync lock, then (briefly, inside {@link AllocatorState}) the metadata lock.
 */
final class CommitProtocol {
    private final StoreFile file;
    private final int kind;
    private final AllocatorState state;
    /** What the closed store is called in messages (the engine, by its {@code toString()}). */
    private final Object owner;
    /** Serialises syncs (and close); guards {@link #current} and {@link #metaWriter}. */
    private final ReentrantLock syncLock = new ReentrantLock();

    private final MetaWriter metaWriter = new MetaWriter();
    /** Journal entries are small: their own writer keeps its buffer (the record's drops a large one). */
    private final MetaWriter entryWriter = new MetaWriter();
    /**
     * The header slots as last written (or opened), null in a new store before its first commit:
     * the sequence the next write continues, and what a claim-only write repeats.
     */
    private HeaderSlot current;
    /**
     * Whether a durable header slot claims the current generation. False after an open until the
     * first slot write; read on every allocation, so volatile.
     */
    private volatile boolean claimed;

    private long syncs;
    /**
     * Whether both header slots name {@link #current}'s record (after a claim, a cut or close) or
     * only the newer one does (after a sync: the older names the record before). Under the sync lock.
     */
    private boolean slotsAgree;
    /**
     * Threads parked in {@link #awaitCommit} until the commit under way ends. The committing thread
     * unparks each of them itself ({@link #unlockSync}), so they wake at once, not one after another
     * through a lock each must take again (as threads waiting on a {@code Condition} do).
     */
    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    /** Threads that came to {@link #durable} since the last group began. */
    private final AtomicInteger arrivals = new AtomicInteger();
    /** How many had come when the last group began: how many the next leader waits for. */
    private volatile int lastGroup;
    /** The leader parked in {@link #gather}, or null: the arrival that completes the group unparks it. */
    private volatile Thread gathering;
    /** How long the last commit of {@link #durable} took; under the sync lock. */
    private long lastCommitNanos;
    /** The transaction ticket the last durable record covers (see {@code TxTable.ticket}). */
    private volatile long durableTicket;
    /**
     * Set by every change, cleared when a sync starts. Volatile: a change that completed before
     * sync() was called is seen by it, so no completed change is skipped.
     */
    private volatile boolean dirty;
    /** Written once under {@link #syncLock}; read on every call. */
    private volatile boolean closed;

    CommitProtocol(StoreFile file, int kind, AllocatorState state, Object owner) {
        this.file = file;
        this.kind = kind;
        this.state = state;
        this.owner = owner;
    }

    /** The header slot the store opened. */
    void opened(HeaderSlot header) {
        current = header;
        slotsAgree = true; // as far as this store goes: a file only opened and closed is not rewritten
    }

    /**
     * Makes sure a durable header slot claims the current generation before the first id of this
     * session is handed out (see {@code Generation}): after an open, writes both slots once, naming
     * the record they already name, with the new claim. A no-op after that (one volatile read).
     */
    void claimGeneration() throws IOException {
        if (claimed) {
            return;
        }
        syncLock.lock();
        try {
            checkOpen();
            if (!claimed) {
                state.build(); // a corrupted record fails here, before anything is written
                writeHeaders(current, current.end(), state.generationClaim());
            }
        } catch (IOException e) {
            throw translate(e);
        } finally {
            unlockSync();
        }
    }

    /** Notes a change (data or allocator) for the next sync. */
    void changed() {
        dirty = true;
    }

    boolean isClosed() {
        return closed;
    }

    /** Syncs completed since the store was opened. */
    long syncs() {
        return syncs;
    }

    void checkOpen() throws StoreClosedException {
        if (closed) {
            throw Errors.closed(owner);
        }
    }

    /**
     * What a failed read or write of the file throws: {@link StoreClosedException} under a closed
     * store, a store's own exception or an interrupt as it is, any other I/O failure as
     * {@code StoreException} BOB-208.
     */
    IOException translate(IOException e) {
        if (closed || e instanceof ClosedChannelException) {
            return e instanceof StoreClosedException ? e : Errors.closed(owner, e);
        }
        if (e instanceof StoreException || e instanceof InterruptedIOException) {
            return e;
        }
        return Errors.ioFailed(file.path(), e);
    }

    /**
     * What a failed sync throws: as {@link #translate}, but an I/O failure is BOB-207 (the state
     * synced before is intact; the changes since stay pending for the next sync).
     */
    private IOException syncFailure(IOException e) {
        if (closed
                || e instanceof ClosedChannelException
                || e instanceof StoreException
                || e instanceof InterruptedIOException) {
            return translate(e);
        }
        return Errors.syncFailed(file.path(), e);
    }

    /**
     * A commit of the store's own, so that freed space becomes reusable before the file grows for
     * a new object (see {@code AllocatorState.freedSpaceWaits}); if another thread's commit already
     * did it, {@code stillDue} says so and nothing happens. The same protocol as {@link #sync()}:
     * it only makes durable sooner what would have been at the next sync.
     */
    void commitToReuse(BooleanSupplier stillDue) throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            if (stillDue.getAsBoolean()) {
                commit();
            }
        } finally {
            unlockSync();
        }
    }

    /**
     * Returns once a durable record covers transaction ticket {@code ticket}: commits unless a
     * commit that encoded its record after the ticket was taken has already completed. Threads
     * that wait here for the sync lock while one commit runs find their tickets covered by the
     * next one: N commits at once cost about one commit, not N (group commit).
     *
     * <p>Only the thread that commits (the leader) holds the sync lock; the others park until the
     * commit under way ends, and the leader unparks every one of them, so a thread whose ticket it
     * covered returns at once instead of queueing for the lock behind the next commit (and none
     * waits for the others to wake first, as threads woken from one {@code Condition} do). The
     * leader first waits for the others the last commit covered to arrive, for at most
     * half as long as a commit took ({@link #gather}): without it the leader, back first from the
     * commit that covered everyone, commits alone while the others are still on their way, and
     * groups alternate between one and all. A store used by one thread at a time never waits (its
     * groups are of one).
     */
    void durable(long ticket) throws IOException {
        if (durableTicket >= ticket) {
            return;
        }
        arrive();
        while (true) {
            boolean leader = syncLock.tryLock();
            if (!leader && !awaitCommit(ticket)) {
                syncLock.lock(); // interrupted while waiting: queue for the lock instead
                leader = true;
            }
            if (leader) {
                try {
                    if (durableTicket >= ticket) {
                        return;
                    }
                    checkOpen();
                    gather();
                    dirty = true;
                    long start = System.nanoTime();
                    commit();
                    lastCommitNanos = System.nanoTime() - start;
                    return;
                } finally {
                    unlockSync();
                }
            }
            if (durableTicket >= ticket) {
                return;
            }
        }
    }

    /**
     * Waits while another thread holds the sync lock and no durable commit covers {@code ticket};
     * false if interrupted (the flag is set again).
     */
    private boolean awaitCommit(long ticket) {
        Thread me = Thread.currentThread();
        waiting.add(me); // before the check: an unlock after it finds this thread to unpark
        try {
            while (durableTicket < ticket && syncLock.isLocked()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    me.interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            waiting.remove(me);
        }
    }

    /** Releases the sync lock and wakes every thread waiting in {@link #awaitCommit}. */
    private void unlockSync() {
        syncLock.unlock();
        for (Thread t : waiting) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Counts a thread into {@link #durable} since the last group began; the one that makes the group
     * as large as the last one wakes a gathering leader.
     */
    private void arrive() {
        int arrived = arrivals.incrementAndGet();
        Thread leader = gathering;
        if (leader != null && arrived >= lastGroup) {
            LockSupport.unpark(leader);
        }
    }

    /**
     * The leader's wait (see {@link #durable}): until as many threads have come to wait for
     * durability since the last group began as that group had, or half the last commit's duration
     * (at most {@link #GATHER_MAX_NANOS}) has passed. Then this group begins. Caller holds the sync
     * lock.
     */
    private void gather() {
        long deadline = System.nanoTime() + Math.min(lastCommitNanos / 2, GATHER_MAX_NANOS);
        gathering = Thread.currentThread(); // before the check: an arrival after it unparks this thread
        try {
            while (arrivals.get() < lastGroup) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt(); // the commit goes on; the caller sees the flag
                    break;
                }
            }
        } finally {
            gathering = null;
        }
        lastGroup = arrivals.getAndSet(0);
    }

    /** The longest a leader waits for others before a commit. */
    static final long GATHER_MAX_NANOS = 2_000_000;

    /** Commits, after checking the store is open. */
    void sync() throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            commit();
        } finally {
            unlockSync();
        }
    }

    /** Work done under the sync lock by {@link #whileNoCommit} and {@link #atSyncPoint}. */
    @FunctionalInterface
    interface LockedAction<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} under the sync lock, the store open: no commit runs meanwhile. */
    <T> T whileNoCommit(LockedAction<T> action) throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            return action.run();
        } finally {
            unlockSync();
        }
    }

    /**
     * Commits, writes out and forces everything written so far, then runs {@code action} still
     * under the sync lock: at a sync point, with the file holding exactly the committed state.
     */
    <T> T atSyncPoint(LockedAction<T> action) throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            dirty = true; // a commit even with nothing new: it writes out and forces whatever was gathered
            commit();
            return action.run();
        } finally {
            unlockSync();
        }
    }

    /** What {@link #atBackupPoint} runs: given the header slot as last written, or null. */
    @FunctionalInterface
    interface BackupCapture<T> {
        T run(HeaderSlot durable) throws IOException;
    }

    /**
     * An online backup's sync point: runs {@code capture} under the sync lock, the store open, so
     * that no commit runs meanwhile, with the header slot the last commit wrote. It commits nothing:
     * the store's last durable state and the changes since describe the state now. Only when
     * {@code capture} returns null (they do not: a commit failed since, or the change log gave up)
     * does it commit first, as {@link #atSyncPoint} does, and run {@code capture} again.
     *
     * @throws IllegalStateException if {@code capture} returns null right after a commit
     */
    <T> T atBackupPoint(BackupCapture<T> capture) throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            T captured = capture.run(current);
            if (captured == null) {
                dirty = true;
                commit();
                captured = capture.run(current);
                if (captured == null) {
                    throw new IllegalStateException("the state is not described right after a commit");
                }
            }
            return captured;
        } finally {
            unlockSync();
        }
    }

    /** The first commit of a new store: nothing else can hold the store yet. */
    void commitNew() throws IOException {
        dirty = true;
        syncLock.lock();
        try {
            commit();
        } finally {
            unlockSync();
        }
    }

    /** A commit that writes one header slot, as every sync does (see {@link #commit(boolean)}). */
    private void commit() throws IOException {
        commit(false);
    }

    /**
     * The commit protocol of {@link FileStore}'s class comment. Caller holds {@link #syncLock}.
     * Step 3 writes the next header slot only, unless {@code bothSlots} (the final commit of
     * {@link #close()}): then both, so that a closed store's two slots name its last record.
     */
    private void commit(boolean bothSlots) throws IOException {
        if (bothSlots && current != null && (current.journalLength() > 0 || state.endsBelow(current.end()))) {
            // A closed store's state is a whole record (it opens without a replay), in a file that
            // ends where its allocator does (a free tail is given back)
            dirty = true;
        }
        if (!dirty) {
            if (bothSlots && !slotsAgree && current != null) {
                try {
                    writeHeaders(current, current.end(), current.generationClaim());
                } catch (IOException e) {
                    throw syncFailure(e);
                }
            }
            return;
        }
        dirty = false;
        boolean journal = !bothSlots && current != null && current.version() >= HeaderSlot.JOURNAL_VERSION;
        AllocatorState.Encoded encoded = state.encodeRecord(metaWriter, entryWriter, journal, file); // step 1
        if (encoded == null) {
            // Opened lazily and nothing allocated or freed since: the current record still
            // holds the state, so only overwritten data needs to reach the disk.
            forceData();
            return;
        }
        ByteBuffer record = encoded.record();
        long newOffset = encoded.offset();
        long end = encoded.end();
        if (file.size() < end) {
            // The file ends short of the allocator end: a full disk refused the bytes of objects at
            // the tail, since deleted. The header need not claim their space.
            end = state.endNamedBy(encoded);
        }
        int newLength = record.remaining();
        HeaderSlot target = new HeaderSlot(
                HeaderSlot.VERSION,
                kind,
                0,
                encoded.slotRecordOffset(),
                encoded.slotRecordLength(),
                end,
                encoded.generationClaim(),
                encoded.journalOffset(),
                encoded.journalCapacity(),
                encoded.journalLength(),
                encoded.lastEntryLength(),
                encoded.journalSalt());
        boolean carriesBytes = encoded.carriesBytes() && !bothSlots;
        // An entry appended to a salted journal counts once it is whole, slot or no slot
        // (docs/FORMAT.md, Journal): opening reads on past the entries the slot names. The slot
        // that starts a journal names its salt.
        boolean appended = encoded.entry()
                && !encoded.newJournal()
                && current != null
                && current.version() >= HeaderSlot.SALTED_VERSION
                && current.journalOffset() == encoded.journalOffset()
                && current.journalSalt() == encoded.journalSalt();
        // The entry names the end too; a full disk's lower one needs a slot.
        boolean slotless = appended && end == encoded.end();
        AllocatorState.Outcome outcome = AllocatorState.Outcome.UNNAMED;
        long shrinkTo = Long.MAX_VALUE;
        Events.Commit event = Events.commit();
        try {
            // Step 2. An entry that carries the bytes of every object written since the last
            // commit is the only thing, with its slot, that this commit makes durable: written
            // durably, range by range, while the objects' own bytes stay wherever the file
            // system keeps them until a whole record's force. A crash before then finds them in
            // the entries (opening writes them again). Anything else is forced with the file.
            // An appended entry without the bytes is written only once they are durable: opening
            // would count it if it were whole, even with the objects it names never written (a
            // kill lost the cache's chunks, a power cut the page cache). Its force comes first.
            if (carriesBytes) {
                file.writeDurably(record, newOffset);
                file.extendTo(end); // atomic with a write of the object at the end, if one is under way
            } else if (appended) {
                file.extendTo(end);
                file.force();
                file.writeDurably(record, newOffset);
            } else {
                file.writeFully(record, newOffset);
                file.extendTo(end);
                file.force();
            }
            outcome = AllocatorState.Outcome.MAYBE_NAMED;
            if (bothSlots) { // step 3
                writeHeaders(target, end, encoded.generationClaim());
            } else if (!slotless) {
                writeSlot(target);
            }
            syncs++;
            outcome = AllocatorState.Outcome.DURABLE;
            durableTicket = encoded.txTicket();
        } catch (IOException e) {
            dirty = true;
            throw syncFailure(e);
        } catch (RuntimeException e) {
            dirty = true;
            throw e;
        } finally {
            shrinkTo = state.recorded(encoded, newLength, outcome, bothSlots); // step 4, or its undo
            event.done(
                    file.path(),
                    newLength,
                    encoded.entry(),
                    carriesBytes ? 0 : 1,
                    bothSlots,
                    outcome == AllocatorState.Outcome.DURABLE);
        }
        if (shrinkTo < end && (bothSlots || end - shrinkTo >= Math.max(SHRINK_MIN, end >>> 4))) {
            shrink(target, shrinkTo);
        } else if (bothSlots) {
            // Both slots name the end: bytes past it (a file whose earlier header named a larger
            // end) belong to nothing.
            try {
                state.cutTail(file);
            } catch (IOException e) {
                throw translate(e);
            }
        }
    }

    private void forceData() throws IOException {
        try {
            file.force();
            syncs++;
        } catch (IOException e) {
            dirty = true;
            throw syncFailure(e);
        }
    }

    /**
     * A free tail shorter than this (and than a sixteenth of the file) is cut only at close: cutting
     * costs two header-slot writes and forces, which a store that syncs often (a transaction per
     * commit) should not pay for a few kilobytes. The space is reused either way.
     */
    static final long SHRINK_MIN = 64 << 10;

    /**
     * Writes the next header slot (the next sequence number, in the slot that held the older one),
     * forced, naming one record of format {@code version} and claiming generation {@code claim}.
     * The other slot keeps naming the previous record, intact: its space is the record reserve,
     * reused only by the next commit, which writes its own record before its slot.
     */
    private void writeSlot(HeaderSlot target) throws IOException {
        long seq = (current == null ? 0 : current.sequence()) + 1;
        HeaderSlot slot = target.next(seq, target.end(), target.generationClaim());
        file.writeDurably(slot.encode(), HeaderSlot.position((int) (seq & 1)));
        current = slot;
        claimed = true;
        slotsAgree = false;
    }

    /**
     * Writes slot A then slot B (next two sequence numbers), each forced, naming the state
     * {@code target} names (its format, record and journal) with allocator end {@code end}; both
     * claim generation {@code claim}.
     */
    private void writeHeaders(HeaderSlot target, long end, int claim) throws IOException {
        long sequence = current == null ? 0 : current.sequence();
        HeaderSlot slot = null;
        for (int step = 1; step <= 2; step++) {
            long seq = sequence + step;
            slot = target.next(seq, end, claim);
            file.writeDurably(slot.encode(), HeaderSlot.position((int) (seq & 1)));
        }
        current = slot;
        claimed = true;
        slotsAgree = true;
    }

    /**
     * The end moved back (a free tail): record the lower end in both slots, then cut the file.
     * Cutting only after the slots are durable keeps the file at least as long as any durable
     * header says; cutting at the end current under the lock never cuts an allocated byte.
     */
    private void shrink(HeaderSlot target, long lowerEnd) throws IOException {
        try {
            writeHeaders(target, lowerEnd, target.generationClaim());
            state.cutTail(file);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    /**
     * Syncs, then releases the file and its lock. Idempotent. If the final sync fails the file is
     * still released, and it reopens at its previous sync.
     */
    void close() throws IOException {
        syncLock.lock();
        try {
            if (closed) {
                return;
            }
            IOException failure = null;
            try {
                commit(true);
            } catch (IOException e) {
                failure = e;
            } finally {
                closed = true;
                try {
                    file.close();
                } catch (IOException e) {
                    failure = Failures.keepFirst(failure, e); // the sync's failure is the one to report
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            unlockSync();
        }
    }
}
