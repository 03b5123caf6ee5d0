package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
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
                writeHeaders(
                        current.version(),
                        current.recordOffset(),
                        current.recordLength(),
                        current.end(),
                        state.generationClaim());
            }
        } catch (IOException e) {
            throw translate(e);
        } finally {
            syncLock.unlock();
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
            syncLock.unlock();
        }
    }

    /**
     * Returns once a durable record covers transaction ticket {@code ticket}: commits unless a
     * commit that encoded its record after the ticket was taken has already completed. Threads
     * that wait here for the sync lock while one commit runs find their tickets covered by the
     * next one: N commits at once cost about two syncs, not N (group commit).
     */
    void durable(long ticket) throws IOException {
        if (durableTicket >= ticket) {
            return;
        }
        syncLock.lock();
        try {
            if (durableTicket >= ticket) {
                return;
            }
            checkOpen();
            dirty = true;
            commit();
        } finally {
            syncLock.unlock();
        }
    }

    /** Commits, after checking the store is open. */
    void sync() throws IOException {
        syncLock.lock();
        try {
            checkOpen();
            commit();
        } finally {
            syncLock.unlock();
        }
    }

    /** The first commit of a new store: nothing else can hold the store yet. */
    void commitNew() throws IOException {
        dirty = true;
        syncLock.lock();
        try {
            commit();
        } finally {
            syncLock.unlock();
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
        if (!dirty) {
            if (bothSlots && !slotsAgree && current != null) {
                try {
                    writeHeaders(
                            current.version(),
                            current.recordOffset(),
                            current.recordLength(),
                            current.end(),
                            current.generationClaim());
                } catch (IOException e) {
                    throw syncFailure(e);
                }
            }
            return;
        }
        dirty = false;
        AllocatorState.Encoded encoded = state.encodeRecord(metaWriter); // step 1
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
        AllocatorState.Outcome outcome = AllocatorState.Outcome.UNNAMED;
        long shrinkTo = Long.MAX_VALUE;
        Events.Commit event = Events.commit();
        try {
            file.writeFully(record, newOffset); // step 2
            if (file.size() < end) {
                file.writeFully(FileStore.ZEROS.duplicate().limit(1), end - 1);
            }
            file.force();
            outcome = AllocatorState.Outcome.MAYBE_NAMED;
            if (bothSlots) { // step 3
                writeHeaders(HeaderSlot.VERSION, newOffset, newLength, end, encoded.generationClaim());
            } else {
                writeSlot(HeaderSlot.VERSION, newOffset, newLength, end, encoded.generationClaim());
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
            shrinkTo = state.recorded(encoded, newLength, outcome); // step 4, or its undo
            event.done(file.path(), newLength, bothSlots, outcome == AllocatorState.Outcome.DURABLE);
        }
        if (shrinkTo < end && (bothSlots || end - shrinkTo >= Math.max(SHRINK_MIN, end >>> 4))) {
            shrink(newOffset, newLength, shrinkTo, encoded.generationClaim());
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
    private void writeSlot(int version, long offset, int length, long end, int claim) throws IOException {
        long seq = (current == null ? 0 : current.sequence()) + 1;
        HeaderSlot slot = new HeaderSlot(version, kind, seq, offset, length, end, claim);
        file.writeFully(slot.encode(), HeaderSlot.position((int) (seq & 1)));
        file.force();
        current = slot;
        claimed = true;
        slotsAgree = false;
    }

    /**
     * Writes slot A then slot B (next two sequence numbers), each forced, naming one record of
     * format {@code version}; both claim generation {@code claim}.
     */
    private void writeHeaders(int version, long offset, int length, long end, int claim) throws IOException {
        long sequence = current == null ? 0 : current.sequence();
        HeaderSlot slot = null;
        for (int step = 1; step <= 2; step++) {
            long seq = sequence + step;
            slot = new HeaderSlot(version, kind, seq, offset, length, end, claim);
            file.writeFully(slot.encode(), HeaderSlot.position((int) (seq & 1)));
            file.force();
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
    private void shrink(long recordAt, int recordBytes, long lowerEnd, int claim) throws IOException {
        try {
            writeHeaders(HeaderSlot.VERSION, recordAt, recordBytes, lowerEnd, claim);
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
            syncLock.unlock();
        }
    }
}
