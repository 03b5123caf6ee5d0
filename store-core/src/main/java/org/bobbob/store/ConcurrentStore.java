package org.bobbob.store;

import org.bobbob.store.support.Errors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.bobbob.store.internal.engine.DiskTokens;
import org.bobbob.store.internal.engine.ObjectLocks;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
import org.bobbob.store.support.ForwardingObjectWriter;
import org.bobbob.store.support.HandleHooks;

/**
 * Makes any {@link Storer} safe for any mix of threads.
 *
 * <pre>{@code
 * Storer store = ConcurrentStore.wrap(BasicStore.open(path), 4);   // at most 4 handles doing I/O
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Per-object read/write locks</b>: many readers or one writer per object, held from the
 *       moment a Late handle opens until it closes (from any thread). A reader never sees a write
 *       in progress on the same object: it reads one whole version.
 *   <li><b>Deletes wait</b>: {@link #deleteObj} takes the object's write lock, so it waits for
 *       every open handle on that object.
 *   <li><b>One global lock</b> around allocator changes only ({@code newObj}, {@code lateWriteNewObj}'s
 *       allocation, {@code deleteObj}, {@code primeObject}, {@code allocateRun}); never held while
 *       a handle reads or writes data. {@code writeNewObjFromBytes} on a {@link BasicStore} or
 *       {@link MultiStore} does without it: those guard their allocators themselves.
 *   <li><b>Disk tokens</b> ({@code diskTokens > 0}) cap the number of Late handles open at once.
 *       A token is taken after the object lock, never while waiting for one, and returned when the
 *       handle closes. {@code newObj} takes none.
 *   <li>The lock table holds entries only for objects that have holders or waiters.
 *   <li>{@link #close()} refuses new calls at once, waits up to the close timeout for calls in
 *       progress and open handles, then closes (and so syncs) the inner store. Handles still open
 *       then fail with {@link StoreClosedException}. {@code close()} twice is fine.
 * </ul>
 *
 * <h2>What the inner store must allow</h2>
 * Look-ups, data I/O on distinct objects and {@code sync()} concurrently with each other and
 * with one allocator change at a time. {@link BasicStore} and {@link MultiStore} do.
 *
 * <h2>Capabilities</h2>
 * {@link #unwrap} passes the inner store's capabilities through: {@link RunAllocator} under the
 * global lock; others ({@link ObjectInfoProvider}, {@link StatisticsProvider}, the inner store's
 * class) unchanged, so they bypass this wrapper's locks.
 */
public final class ConcurrentStore implements Storer {
    private static final System.Logger LOG = System.getLogger(ConcurrentStore.class.getName());
    /** How long {@link #close()} waits for open handles unless told otherwise. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Storer inner;
    private final DiskTokens tokens;
    private final ObjectLocks locks = new ObjectLocks();
    private final ReentrantLock allocationLock = new ReentrantLock();
    /**
     * The inner store when it is a {@link FileStore}, which guards its allocator with a lock of
     * its own held only for the allocation itself: a new object written in one call then needs
     * neither the global lock nor a handle (see {@link #writeNewObjFromBytes}).
     */
    private final FileStore fileStore;
    private final Duration closeTimeout;
    /** Calls in progress plus open handles; {@link #close()} waits for it to reach 0. */
    private final AtomicInteger active = new AtomicInteger();
    private final Object drained = new Object();
    /** Set once by close(); every entry checks it after counting itself in (see {@link #enter}). */
    private volatile boolean closed;
    private final ReentrantLock closeLock = new ReentrantLock();
    private boolean closeDone;

    private ConcurrentStore(Storer inner, DiskTokens tokens, Duration closeTimeout) {
        this.inner = inner;
        this.tokens = tokens;
        this.closeTimeout = closeTimeout;
        this.fileStore = inner instanceof FileStore f ? f : null;
    }

    /**
     * Wraps {@code inner}; the wrapper owns it from now on (closing the wrapper closes it).
     *
     * @param diskTokens most Late handles open at once; 0 = unlimited
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    public static ConcurrentStore wrap(Storer inner, int diskTokens) {
        return wrap(inner, diskTokens, DEFAULT_CLOSE_TIMEOUT);
    }

    /** As {@link #wrap(Storer, int)}, with the time {@link #close()} waits for open handles. */
    public static ConcurrentStore wrap(Storer inner, int diskTokens, Duration closeTimeout) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative: " + closeTimeout);
        }
        return new ConcurrentStore(inner, DiskTokens.of(diskTokens), closeTimeout);
    }

    /** The wrapped store. Using it directly bypasses this wrapper's locks. */
    public Storer inner() {
        return inner;
    }

    /** The disk-token pool (for monitoring: {@code inUse()}, {@code waits()}). */
    public DiskTokens diskTokens() {
        return tokens;
    }

    /** Objects with a lock holder or waiter right now. */
    public int lockedObjects() {
        return locks.activeEntries();
    }

    /** Whether {@link #close()} has been called (new calls are refused from that moment). */
    public boolean isClosed() {
        return closed;
    }

    /** Calls in progress plus open handles. */
    public int activeOperations() {
        return active.get();
    }

    // ---------------------------------------------------------------- the close gate

    /**
     * Counts a call in, then checks {@link #closed}. close() sets closed, then waits for the count:
     * so a call either sees closed and backs out, or is counted before close() starts waiting.
     */
    private void enter() throws StoreClosedException {
        active.incrementAndGet();
        if (closed) {
            exit();
            throw Errors.closed(this);
        }
    }

    private void exit() {
        if (active.decrementAndGet() == 0 && closed) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
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
    private interface IOAction<T> {
        T run() throws IOException;
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public long newObj(int size) throws IOException {
        FileStore.checkSize(size);
        enter();
        try {
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
                if (fileStore != null) {
                    // One allocation under the file store's own lock, one write, the object freed
                    // if the write fails: no other caller can know the id before this returns.
                    return fileStore.writeNewObjFromBytes(data);
                }
                ObjectWriter w = allocating(() -> inner.lateWriteNewObj(data.length));
                try (w) {
                    ByteBuffers.writeFully(w, ByteBuffer.wrap(data));
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

    @FunctionalInterface
    private interface HandleOpener<H> {
        H open(ObjectLocks.Held lock) throws IOException;
    }

    /** Counts the call in, takes the object's lock, then a token, then opens the handle; undoes all on failure. */
    private <H> H openLocked(long id, boolean write, HandleOpener<H> opener) throws IOException {
        if (id <= 0) {
            throw Errors.notFound(id);
        }
        enter();
        ObjectLocks.Held lock = null;
        boolean tokenHeld = false;
        try {
            lock = write ? locks.writeLock(id) : locks.readLock(id);
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
        if (id <= 0) {
            throw Errors.notFound(id);
        }
        enter();
        try {
            ObjectLocks.Held lock = locks.readLock(id);
            try {
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

    @Override
    public void deleteObj(long id) throws IOException {
        if (id <= 0) {
            throw Errors.notFound(id);
        }
        enter();
        try {
            ObjectLocks.Held lock = locks.writeLock(id); // waits for every open handle on it
            try {
                allocating(() -> {
                    inner.deleteObj(id);
                    return null;
                });
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

    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
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
        return capability != null && (capability.isInstance(this) || inner.isWrapperFor(capability));
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
            closed = true;
            long deadline = System.nanoTime() + closeTimeout.toNanos();
            synchronized (drained) {
                long left;
                while (active.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(drained, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            int still = active.get();
            if (still > 0) {
                LOG.log(System.Logger.Level.WARNING, Errors.closeTimedOut(this, still).getMessage());
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
     * in {@link #active}. Released once, when the handle closes (after the inner handle's
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
