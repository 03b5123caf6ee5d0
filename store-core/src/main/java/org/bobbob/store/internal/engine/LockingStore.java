package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.DiskTokenCounts;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.RunAllocator;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.internal.tx.TxLocks;
import org.bobbob.store.internal.tx.TxManager;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
import org.bobbob.store.support.ForwardingObjectWriter;
import org.bobbob.store.support.HandleHooks;
import org.bobbob.store.support.SelfGuardedCreates;

/**
 * The {@link ConcurrentStore}: any {@link Storer} made safe for any mix of threads, with the
 * guarantees that interface lists. The only layer that counts disk tokens.
 *
 * <h2>How</h2>
 * <ul>
 *   <li>A {@link CloseGate}: counts calls in progress and open handles, refuses new ones once
 *       {@link #close()} has begun.
 *   <li>{@link ObjectLocks}: a read or write lock per object, held by a Late handle from open to
 *       close (released by the handle's {@link HandleHooks}).
 *   <li>{@link DiskTokens}: taken after the object lock, never while waiting for one.
 *   <li>One allocation lock around the inner store's allocator changes. A store that offers
 *       {@link SelfGuardedWrites} (the file engine) guards its allocator itself, and one that is
 *       {@link SelfGuardedCreates} (the s3 store: one conditional PUT) creates in one step, so
 *       {@link #writeNewObjFromBytes} calls either without this lock and without a handle; so
 *       does {@link #newObj} over the file engine.
 * </ul>
 *
 * <h2>What the inner store must allow</h2>
 * Look-ups, data I/O on distinct objects and {@code sync()} concurrently with each other and
 * with one allocator change at a time. The file engine does.
 *
 * <h2>Why one class of some 450 lines</h2>
 * Every call is the same sequence — gate, object lock(s), token, inner call, and on failure the
 * undo in reverse — but each call orders it its own way (a new object is locked after its
 * allocation, a batch locks in id order, a handle-free read releases at once, a handle releases at
 * its close). Written out together, each sequence can be checked against the one rule that keeps
 * this wrapper free of deadlocks: a token only after every object lock. The gate is its own class
 * ({@link CloseGate}).
 */
final class LockingStore implements ConcurrentStore {
    private static final System.Logger LOG = System.getLogger(ConcurrentStore.class.getName());

    private final Storer inner;
    private final DiskTokens tokens;
    private final ObjectLocks locks;
    private final ReentrantLock allocationLock = new ReentrantLock();
    /**
     * The inner store if it is {@link SelfGuardedCreates} (the file engine's
     * {@link SelfGuardedWrites}, the s3 store), or null: a new object written in one call then
     * needs neither the allocation lock nor a handle (see {@link #writeNewObjFromBytes}).
     */
    private final SelfGuardedCreates selfGuarded;
    /**
     * The inner store's {@link KeptDeletes}, or null: a delete then never waits for the handles open
     * on its object (see {@link #deleteObj}).
     */
    private final KeptDeletes keptDeletes;

    /** The inner file engine's transactions, or null over any other store. */
    private final TxManager tx;
    /** {@link #tx}'s locks (null with it): calls outside transactions respect them. */
    private final TxLocks txLocks;

    private final Duration closeTimeout;
    /** Calls in progress plus open handles; {@link #close()} shuts it and waits for them. */
    private final CloseGate gate = new CloseGate();

    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closeDone;

    private LockingStore(Storer inner, DiskTokens tokens, Duration closeTimeout) {
        this.inner = inner;
        this.tokens = tokens;
        this.closeTimeout = closeTimeout;
        this.selfGuarded = selfGuarded(inner);
        this.keptDeletes = inner instanceof KeptDeletes kept ? kept : null;
        this.locks = new ObjectLocks(keptDeletes != null ? keptDeletes::releaseKept : id -> {});
        TxManager manager = null;
        if (inner instanceof TransactionalEngine engine) {
            try {
                manager = engine.transactions(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.tx = manager;
        this.txLocks = manager != null ? manager.locks() : null;
    }

    // ---------------------------------------------------------------- transactions' locks

    /** Whether a transaction hides {@code id} (created, not committed): then it is not found. */
    private boolean hidden(long id) {
        return txLocks != null && !txLocks.idle() && txLocks.hidden(id);
    }

    /** Whether a transaction holds {@code id}: a write or delete outside it must wait. */
    private boolean heldByTransaction(long id) {
        return txLocks != null && !txLocks.idle() && txLocks.holder(id) != null;
    }

    /**
     * Runs {@code action} under object {@code id}'s exclusive lock, without looking at the
     * transactions' locks: a committing transaction copies its shadow over its object this way.
     */
    void underWriteLock(long id, IOAction<?> action) throws IOException {
        enter();
        try {
            ObjectLocks.Held lock = locks.writeLock(id);
            try {
                action.run();
            } finally {
                locks.unlock(lock);
            }
        } finally {
            exit();
        }
    }

    /**
     * Wraps {@code inner}, which the wrapper owns from now on; arguments checked by the caller.
     *
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    static LockingStore wrap(Storer inner, int diskTokens, Duration closeTimeout) {
        return new LockingStore(inner, DiskTokens.of(diskTokens), closeTimeout);
    }

    /**
     * Asked of the inner object itself, never through {@code unwrap}: a store that wraps the engine
     * and passes {@code unwrap} on (as delegating stores do) would otherwise be written around.
     */
    private static SelfGuardedCreates selfGuarded(Storer inner) {
        return inner instanceof SelfGuardedCreates guarded ? guarded : null;
    }

    @Override
    public Storer inner() {
        return inner;
    }

    @Override
    public DiskTokenCounts diskTokens() {
        return new DiskTokenCounts(tokens.limit(), tokens.inUse(), tokens.waits());
    }

    @Override
    public int lockedObjects() {
        return locks.activeEntries();
    }

    /** The object locks, for {@link EngineTx}: a commit's deletes go through them. */
    ObjectLocks objectLocks() {
        return locks;
    }

    @Override
    public long objectLockWaits() {
        return locks.waits();
    }

    @Override
    public boolean isClosed() {
        return gate.isClosed();
    }

    @Override
    public int activeOperations() {
        return gate.active();
    }

    // ---------------------------------------------------------------- the close gate

    /** An id that can name nothing: not found, or closed if the store is (closed comes first). */
    private void checkId(long id) throws StoreException {
        if (id <= 0) {
            if (gate.isClosed()) {
                throw Errors.closed(this);
            }
            throw Errors.notFound(id);
        }
    }

    private void enter() throws StoreClosedException {
        gate.enter(this);
    }

    private void exit() {
        gate.exit();
    }

    private <T> T allocating(IOAction<T> action) throws IOException {
        allocationLock.lock();
        try {
            return action.run();
        } finally {
            allocationLock.unlock();
        }
    }

    @FunctionalInterface
    interface IOAction<T> {
        T run() throws IOException;
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public long newObj(int size) throws IOException {
        FileStore.checkSize(size);
        enter();
        try {
            if (inner instanceof SelfGuardedWrites engine) {
                // The file engine allocates and zero-fills in one step of its own, which no commit
                // splits (a sync never names the object before its zeros are written).
                tokens.acquire();
                try {
                    return engine.newObj(size);
                } finally {
                    tokens.release();
                }
            }
            // Allocate under the global lock; zero-fill (on the writer's close) outside it.
            ObjectWriter w = allocating(() -> inner.lateWriteNewObj(size));
            w.close();
            return w.id();
        } finally {
            exit();
        }
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        FileStore.checkSize(size);
        enter();
        ObjectWriter w = null;
        ObjectLocks.Held lock = null;
        boolean tokenHeld = false;
        try {
            w = allocating(() -> inner.lateWriteNewObj(size));
            lock = locks.writeLock(w.id());
            tokens.acquire();
            tokenHeld = true;
            return locked(w, lock);
        } catch (IOException | RuntimeException e) {
            release(w, lock, tokenHeld, e);
            throw e;
        }
    }

    /**
     * As the default, without the object's lock: the id is unknown to every other caller until
     * this returns, so no correct caller can read, write or delete the object meanwhile (a stale id
     * of a deleted object is the caller's bug, with or without a lock). Saves the lock table's two
     * updates and the handle wrappers on the most common write.
     */
    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        FileStore.checkSize(data.length);
        enter();
        try {
            // A token first: waiting for one holds no lock (tokens come after any object lock).
            tokens.acquire();
            try {
                if (selfGuarded != null) {
                    // One allocation under the store's own lock and one write (the file engine), or
                    // one create with the bytes (the s3 store's conditional PUT); nothing left if it
                    // fails, and no other caller can know the id before this returns.
                    return selfGuarded.writeNewObjFromBytes(data);
                }
                ObjectWriter w = allocating(() -> inner.lateWriteNewObj(data.length));
                try (w) {
                    ByteBuffer src = ByteBuffer.wrap(data);
                    while (src.hasRemaining()) {
                        w.write(src);
                    }
                } catch (IOException | RuntimeException e) {
                    try {
                        allocating(() -> {
                            inner.deleteObj(w.id());
                            return null;
                        });
                    } catch (IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
                return w.id();
            } finally {
                tokens.release();
            }
        } finally {
            exit();
        }
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        return openLocked(id, true, lock -> locked(inner.writeToObj(id), lock));
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        return openLocked(id, false, lock -> locked(inner.lateReadObj(id), lock));
    }

    /**
     * As the default, under the object's write lock and a token, as one call of the inner store
     * (the file engine writes and records the checksum in one call: no sync point between them).
     */
    @Override
    public void writeBytesToObj(long id, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        ObjectLocks.Held lock = openLocked(id, true, held -> held);
        try {
            inner.writeBytesToObj(id, data);
        } finally {
            tokens.release();
            locks.unlock(lock);
            exit();
        }
    }

    @FunctionalInterface
    private interface HandleOpener<H> {
        H open(ObjectLocks.Held lock) throws IOException;
    }

    /** Counts the call in, takes the object's lock, then a token, then opens the handle; undoes all on failure. */
    private <H> H openLocked(long id, boolean write, HandleOpener<H> opener) throws IOException {
        checkId(id);
        enter();
        ObjectLocks.Held lock = null;
        boolean tokenHeld = false;
        try {
            while (true) {
                lock = write ? locks.writeLock(id) : locks.readLock(id);
                if (hidden(id)) {
                    throw Errors.notFound(id);
                }
                if (!write || !heldByTransaction(id)) {
                    break;
                }
                locks.unlock(lock); // wait for the transaction without holding the object
                lock = null;
                txLocks.awaitRelease(id);
            }
            tokens.acquire();
            tokenHeld = true;
            return opener.open(lock);
        } catch (IOException | RuntimeException e) {
            release(null, lock, tokenHeld, e);
            throw e;
        }
    }

    /** As the default, under the object's read lock and a token, without a handle of its own. */
    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        checkId(id);
        enter();
        try {
            byte[] read = readWithoutLock(id);
            if (read != null) {
                return read;
            }
            ObjectLocks.Held lock = locks.readLock(id);
            try {
                if (hidden(id)) {
                    throw Errors.notFound(id);
                }
                tokens.acquire();
                try {
                    return inner.readBytesFromObj(id);
                } finally {
                    tokens.release();
                }
            } finally {
                locks.unlock(lock);
            }
        } finally {
            exit();
        }
    }

    /**
     * The object's bytes read without its lock, or null when they may not be what the lock would
     * have given: a write or delete of its stripe began or ended meanwhile (see {@link ObjectLocks}),
     * or the read found no object or bytes that fail their checksum, which a write under way
     * explains as well as a missing or damaged object. The caller then reads again under the lock,
     * where those answers are final.
     */
    private byte[] readWithoutLock(long id) throws IOException {
        long stamp = locks.readStamp(id);
        if (stamp < 0 || hidden(id)) {
            return null;
        }
        byte[] read;
        tokens.acquire();
        try {
            read = inner.readBytesFromObj(id);
        } catch (ObjectNotFoundException e) {
            return null;
        } catch (StoreException e) {
            if (e.code() != ErrorCode.CHECKSUM_MISMATCH) {
                throw e;
            }
            return null;
        } finally {
            tokens.release();
        }
        return locks.validate(id, stamp) ? read : null;
    }

    /** Undoes a half-opened handle, newest first, then counts the call out. */
    private void release(AutoCloseable handle, ObjectLocks.Held lock, boolean tokenHeld, Throwable primary) {
        try {
            if (handle != null) {
                handle.close();
            }
        } catch (Exception suppressed) {
            primary.addSuppressed(suppressed);
        } finally {
            if (tokenHeld) {
                tokens.release();
            }
            if (lock != null) {
                locks.unlock(lock);
            }
            exit();
        }
    }

    /**
     * Deletes without waiting for the handles open on the object when the inner store offers
     * {@link KeptDeletes} (the file engine): they keep their object's bytes until they close, new
     * look-ups find nothing at once. Over any other store, waits for them (the object's exclusive
     * lock).
     */
    @Override
    public void deleteObj(long id) throws IOException {
        checkId(id);
        enter();
        try {
            if (keptDeletes != null) {
                while (true) {
                    if (hidden(id)) {
                        throw Errors.notFound(id);
                    }
                    ObjectLocks.Held delete = locks.beginDelete(id);
                    boolean deleted = false;
                    try {
                        allocationLock.lock();
                        try {
                            if (!heldByTransaction(id)) {
                                if (delete.keepsSpace()) {
                                    keptDeletes.deleteKeepingSpace(id);
                                } else {
                                    inner.deleteObj(id);
                                }
                                deleted = true;
                            }
                        } finally {
                            allocationLock.unlock();
                        }
                    } finally {
                        locks.endDelete(delete, deleted);
                    }
                    if (deleted) {
                        return;
                    }
                    txLocks.awaitRelease(id); // a transaction holds it: wait, then look again
                }
            }
            ObjectLocks.Held lock = locks.writeLock(id); // waits for every open handle on it
            try {
                allocationLock.lock();
                try {
                    inner.deleteObj(id);
                } finally {
                    allocationLock.unlock();
                }
            } finally {
                locks.unlock(lock);
            }
        } finally {
            exit();
        }
    }

    @Override
    public long primeObject(int size) throws IOException {
        FileStore.checkSize(size);
        enter();
        try {
            return allocating(() -> inner.primeObject(size));
        } finally {
            exit();
        }
    }

    @Override
    public void sync() throws IOException {
        enter();
        try {
            inner.sync();
        } finally {
            exit();
        }
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        BatchCheck.validate(ids, data, sizes);
        long[] order = ids.clone();
        Arrays.sort(order); // one global order: two batches never wait on each other in a cycle
        enter();
        ObjectLocks.Held[] held = new ObjectLocks.Held[order.length];
        int n = 0;
        boolean tokenHeld = false;
        try {
            for (long id : order) {
                held[n] = locks.writeLock(id);
                n++;
            }
            for (int k = 0; k < order.length; k++) {
                long id = order[k];
                if (hidden(id)) {
                    throw Errors.notFound(id);
                }
                if (heldByTransaction(id)) { // let go of everything, wait for it, start again
                    for (int i = n - 1; i >= 0; i--) {
                        locks.unlock(held[i]);
                    }
                    n = 0;
                    txLocks.awaitRelease(id);
                    for (long again : order) {
                        held[n] = locks.writeLock(again);
                        n++;
                    }
                    k = -1;
                }
            }
            tokens.acquire();
            tokenHeld = true;
            inner.writeBatchedObjs(ids, data, sizes);
        } finally {
            if (tokenHeld) {
                tokens.release();
            }
            for (int i = n - 1; i >= 0; i--) {
                locks.unlock(held[i]);
            }
            exit();
        }
    }

    /**
     * This wrapper for its own types; {@link RunAllocator} under the allocation lock; other
     * capabilities of the inner store unchanged. Never {@link SelfGuardedWrites} or
     * {@link SelfGuardedCreates}: they would skip this wrapper's gate and tokens.
     */
    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        if (capability == SelfGuardedWrites.class
                || capability == SelfGuardedCreates.class
                || capability == KeptDeletes.class) {
            throw Errors.unsupported("ConcurrentStore", capability);
        }
        if (capability == TransactionalStore.class) {
            if (tx == null) {
                throw Errors.unsupported("ConcurrentStore over " + inner, capability);
            }
            return capability.cast(tx);
        }
        if (capability == StoreVerifier.class && inner instanceof FileStore engine) {
            // Each object is read under its read lock: no writer of this wrapper changes it meanwhile.
            StoreVerifier verifier = readAll -> {
                enter();
                try {
                    return engine.verify(readAll, (id, check) -> {
                        ObjectLocks.Held lock = locks.readLock(id);
                        try {
                            return hidden(id) ? -1 : check.run();
                        } finally {
                            locks.unlock(lock);
                        }
                    });
                } finally {
                    exit();
                }
            };
            return capability.cast(verifier);
        }
        if (capability == RunAllocator.class) {
            RunAllocator runs = inner.unwrap(RunAllocator.class);
            RunAllocator locked = (size, count) -> {
                enter();
                try {
                    return allocating(() -> runs.allocateRun(size, count));
                } finally {
                    exit();
                }
            };
            return capability.cast(locked);
        }
        return inner.unwrap(capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        if (capability == TransactionalStore.class) {
            return tx != null;
        }
        return capability != null
                && (capability.isInstance(this)
                        || capability != SelfGuardedWrites.class
                                && capability != SelfGuardedCreates.class
                                && capability != KeptDeletes.class
                                && inner.isWrapperFor(capability));
    }

    // ---------------------------------------------------------------- close

    /**
     * Refuses new calls, waits up to the close timeout for calls in progress and open handles,
     * then closes the inner store (which syncs it). Idempotent.
     */
    @Override
    public void close() throws IOException {
        closeLock.lock();
        try {
            if (closeDone) {
                return;
            }
            if (tx != null) {
                tx.close(); // active transactions roll back; prepared ones stay in the record
            }
            int still = gate.shut(closeTimeout);
            if (still > 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        Errors.closeTimedOut(this, still).getMessage());
            }
            closeDone = true;
            inner.close();
        } finally {
            closeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ConcurrentStore[" + inner + ", " + tokens + "]";
    }

    // ---------------------------------------------------------------- handles

    /**
     * What a handle holds besides its inner handle: its object's lock, a disk token and its count
     * in the {@link CloseGate}. Released once, when the handle closes (after the inner handle's
     * finisher, whether that failed or not).
     */
    private final class Held implements HandleHooks {
        private final ObjectLocks.Held lock;

        Held(ObjectLocks.Held lock) {
            this.lock = lock;
        }

        @Override
        public void closed(ForwardingHandle<?> handle) {
            tokens.release();
            locks.unlock(lock);
            exit();
        }
    }

    private ObjectWriter locked(ObjectWriter w, ObjectLocks.Held lock) {
        return new ForwardingObjectWriter(w, new Held(lock));
    }

    private ObjectReader locked(ObjectReader r, ObjectLocks.Held lock) {
        return new ForwardingObjectReader(r, new Held(lock));
    }
}
