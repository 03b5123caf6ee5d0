package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongConsumer;

/**
 * Per-object read/write locks that hold memory only for objects someone holds or waits for, and
 * write counts that let a whole-object read go without a lock.
 *
 * <h2>Why this shape</h2>
 * <ul>
 *   <li>A Late handle holds its object's lock from open to close, and may be closed by another
 *       thread than the one that opened it, so the lock must not be owned by a thread:
 *       {@link StampedLock}, not {@code ReentrantReadWriteLock}.
 *   <li>An entry counts its holders and waiters ({@code refs}). It is created and counted up
 *       inside {@link ConcurrentHashMap#compute}, and counted down (and removed at zero) the
 *       same way, so the count changes atomically with the entry's presence in the map: a
 *       thread can never lock an entry that another thread has already removed (the flaw of
 *       the Go original's lock map, which removed records still in use).
 *   <li>Striped locks would also bound memory, but two objects sharing a stripe would then
 *       exclude each other, and deleting one object while holding a handle on its stripe-mate
 *       would deadlock.
 *   <li>{@link #beginDelete} never waits: with nobody holding the object it deletes under the exclusive
 *       lock; otherwise it deletes keeping the space and marks the entry, and whoever drops the
 *       entry's last reference (the last handle to close) hands the id to the {@code reclaim}
 *       callback. Dropping the last reference is one {@code compute} per entry, so exactly one
 *       thread does it.
 *   <li>Taking and releasing an entry costs two {@code compute}s and a few small objects, which
 *       a read of a whole object should not pay on every call. Every write lock and every delete
 *       is also counted in the object's stripe of {@link #stripes} (a seqlock: writes under way,
 *       writes ended). A reader takes {@link #readStamp}, reads without the lock, and keeps what
 *       it read only if {@link #validate} finds no write of that stripe begun or ended meanwhile;
 *       otherwise it reads again under the lock. A write never waits for such readers: it makes
 *       them read again. Stripes only make a reader retry more often, never wait or deadlock.
 * </ul>
 * Thread-safe.
 */
final class ObjectLocks {
    private static final class Entry {
        final StampedLock lock = new StampedLock();
        /** Holders plus waiters; only read or written inside the map's compute functions. */
        int refs;
        /** Deleted while held: the space waits for the last reference to go. */
        volatile boolean deletedWhileHeld;
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /** Stripes of write counts (a power of two). */
    private static final int STRIPES = 1024;
    /** Longs per stripe: 64 bytes, so writers in different stripes share no cache line. */
    private static final int PAD = 8;
    /**
     * Per stripe of ids, at {@code PAD * stripe} the writes ended, at {@code PAD * stripe + 1} the
     * writes under way (write locks held, deletes running).
     */
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES * PAD);
    /** Lock calls that could not take the lock at once. Striped: no shared cache line. */
    private final LongAdder waits = new LongAdder();
    /** Receives the id of an object deleted while held, once its last holder has let go. */
    private final LongConsumer reclaim;

    /** Locks whose objects deleted while held go to {@code reclaim} when their last holder lets go. */
    ObjectLocks(LongConsumer reclaim) {
        this.reclaim = reclaim;
    }

    /** A held lock: pass it back to {@link #unlock}. Not reusable. */
    static final class Held {
        final long id;
        final Entry entry;
        final long stamp;
        final boolean write;

        Held(long id, Entry entry, long stamp, boolean write) {
            this.id = id;
            this.entry = entry;
            this.stamp = stamp;
            this.write = write;
        }

        long id() {
            return id;
        }

        /** For a {@link #beginDelete}: others hold the object, so its space must be kept. */
        boolean keepsSpace() {
            return stamp == 0;
        }
    }

    private static int stripe(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(STRIPES))) * PAD;
    }

    /**
     * A stamp for reading object {@code id} without its lock, to pass to {@link #validate} after the
     * read; -1 while a write of its stripe is under way (then read under the lock).
     */
    long readStamp(long id) {
        int i = stripe(id);
        long ended = stripes.get(i);
        return stripes.get(i + 1) == 0 ? ended : -1;
    }

    /**
     * Whether what was read of object {@code id} since {@link #readStamp} returned {@code stamp}
     * stands: no write of its stripe began or ended meanwhile.
     */
    boolean validate(long id, long stamp) {
        VarHandle.acquireFence(); // the reads of the object come before the checks below
        int i = stripe(id);
        return stripes.get(i + 1) == 0 && stripes.get(i) == stamp;
    }

    private void beginWrite(long id) {
        stripes.incrementAndGet(stripe(id) + 1);
    }

    private void endWrite(long id) {
        int i = stripe(id);
        stripes.incrementAndGet(i);
        stripes.decrementAndGet(i + 1);
    }

    private Entry ref(long id) {
        return entries.compute(id, (k, e) -> {
            Entry entry = e == null ? new Entry() : e;
            entry.refs++;
            return entry;
        });
    }

    private void unref(long id, Entry entry) {
        // Null: this call removed the entry (its last reference); no other call can see that.
        if (entries.computeIfPresent(id, (k, e) -> --e.refs == 0 ? null : e) == null && entry.deletedWhileHeld) {
            reclaim.accept(id);
        }
    }

    /**
     * Begins deleting object {@code id} without waiting: takes its exclusive lock if nobody holds
     * or waits for it, and counts a write under way in its stripe. If {@link Held#keepsSpace()},
     * others hold it: delete it keeping its space, which goes to {@code reclaim} when the last
     * holder lets go. End with {@link #endDelete} (not {@link #unlock}), whether the delete happened or not. A pair of
     * calls, not a callback, so that a delete runs without a capturing lambda.
     */
    Held beginDelete(long id) {
        Entry e = ref(id);
        long stamp = e.lock.tryWriteLock();
        beginWrite(id);
        return new Held(id, e, stamp, true);
    }

    /** Ends a {@link #beginDelete}; {@code deleted}: the object was deleted (else nothing changed). */
    void endDelete(Held delete, boolean deleted) {
        try {
            endWrite(delete.id);
            if (delete.stamp != 0) {
                delete.entry.lock.unlockWrite(delete.stamp);
            } else if (deleted) {
                delete.entry.deletedWhileHeld = true; // before our unref: we hold a reference, the entry is still there
            }
        } finally {
            unref(delete.id, delete.entry);
        }
    }

    /** What {@link #deleteAll} runs: {@code keep[i]} says whether object {@code i} is still held. */
    @FunctionalInterface
    interface BatchDeletion {
        void delete(boolean[] keep) throws IOException;
    }

    /**
     * As {@link #delete}, for distinct objects {@code ids} deleted in one change (a transaction's
     * commit): those nobody holds are deleted under their exclusive locks, the others keeping
     * their space, which goes to {@code reclaim} when their last holder lets go.
     */
    void deleteAll(long[] ids, BatchDeletion deletion) throws IOException {
        Entry[] held = new Entry[ids.length];
        long[] stamps = new long[ids.length];
        boolean[] keep = new boolean[ids.length];
        int begun = 0;
        try {
            for (int i = 0; i < ids.length; i++) {
                held[i] = ref(ids[i]);
                stamps[i] = held[i].lock.tryWriteLock();
                keep[i] = stamps[i] == 0;
            }
            for (; begun < ids.length; begun++) {
                beginWrite(ids[begun]);
            }
            deletion.delete(keep);
            for (int i = 0; i < ids.length; i++) {
                if (keep[i]) {
                    held[i].deletedWhileHeld = true; // before our unref: the entry is still there
                }
            }
        } finally {
            for (int i = 0; i < begun; i++) {
                endWrite(ids[i]);
            }
            for (int i = 0; i < ids.length && held[i] != null; i++) {
                if (stamps[i] != 0) {
                    held[i].lock.unlockWrite(stamps[i]);
                }
                unref(ids[i], held[i]);
            }
        }
    }

    /** Takes object {@code id}'s lock shared, waiting for any writer. */
    Held readLock(long id) throws InterruptedIOException {
        return lock(id, false);
    }

    /** Takes object {@code id}'s lock exclusive, waiting for every holder. */
    Held writeLock(long id) throws InterruptedIOException {
        return lock(id, true);
    }

    private Held lock(long id, boolean write) throws InterruptedIOException {
        Entry e = ref(id);
        try {
            long stamp = write ? e.lock.tryWriteLock() : e.lock.tryReadLock();
            if (stamp == 0) {
                waits.increment();
                stamp = write ? e.lock.writeLockInterruptibly() : e.lock.readLockInterruptibly();
            }
            if (write) {
                beginWrite(id);
            }
            return new Held(id, e, stamp, write);
        } catch (InterruptedException ie) {
            unref(id, e);
            Thread.currentThread().interrupt();
            InterruptedIOException ex =
                    new InterruptedIOException("interrupted while waiting for the lock of object " + id);
            ex.initCause(ie);
            throw ex;
        }
    }

    /** Releases a lock from {@link #readLock} or {@link #writeLock}; call once per lock. */
    void unlock(Held held) {
        if (held.write) {
            endWrite(held.id);
        }
        held.entry.lock.unlock(held.stamp);
        unref(held.id, held.entry);
    }

    /** Lock calls that had to wait, since these locks were made. */
    long waits() {
        return waits.sum();
    }

    /** Objects with a holder or a waiter right now (the table's size). */
    int activeEntries() {
        return entries.size();
    }
}
