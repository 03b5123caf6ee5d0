package org.bobbob.store;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.bobbob.store.internal.engine.Engines;

/**
 * Any {@link Storer} made safe for any mix of threads; {@link #wrap} makes one.
 *
 * <pre>{@code
 * Storer store = ConcurrentStore.wrap(BasicStore.open(path), 4);   // at most 4 handles doing I/O
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Per-object read/write locks</b>: many readers or one writer per object, held from the
 *       moment a Late handle opens until it closes (from any thread). A reader never sees a write
 *       in progress on the same object: it reads one whole version. {@link #readBytesFromObj}
 *       takes no lock when no write or delete is under way in the object's stripe of ids (one of
 *       1024): it reads, and keeps what it read only if none began or ended meanwhile, else reads
 *       again under the lock. So whole-object reads cost no lock-table entry, and writers never
 *       wait for them.
 *   <li><b>Deletes do not wait</b> (over the stores of {@link BasicStore} and {@link MultiStore}):
 *       {@link #deleteObj} returns at once, as POSIX {@code unlink} does. From then on the id is not
 *       found by any new call; a Late handle already open on the object keeps working on the bytes
 *       it opened until it closes (a reader reads them to their end; what a writer writes goes
 *       nowhere visible, gone with the object); its space is reused only after the last such handle
 *       has closed and a sync has made the delete durable. Over any other store, a delete takes the
 *       object's write lock and so waits for every open handle on it.
 *   <li><b>One global lock</b> around allocator changes only ({@code newObj}, {@code lateWriteNewObj}'s
 *       allocation, {@code deleteObj}, {@code primeObject}, {@code allocateRun}); never held while
 *       a handle reads or writes data. {@code writeNewObjFromBytes} on a store from
 *       {@link BasicStore} or {@link MultiStore} does without it: those guard their allocators
 *       themselves; so does it on a store that creates in one step of its own (a provider's
 *       {@code SelfGuardedCreates}, such as the s3 store).
 *   <li><b>Disk tokens</b> ({@code diskTokens > 0}) cap the number of Late handles open at once,
 *       and of the calls without a handle doing I/O. A token is taken after the object lock, never
 *       while waiting for one, and returned when the handle closes. {@code newObj} takes none.
 *       This wrapper is the only layer that counts them: the stores of {@link BasicStore} and
 *       {@link MultiStore} count none of their own.
 *   <li>The lock table holds entries only for objects that have holders or waiters.
 *   <li>{@link #close()} refuses new calls at once, waits up to the close timeout for calls in
 *       progress and open handles, then closes (and so syncs) the inner store. Handles still open
 *       then fail with {@link StoreClosedException}. {@code close()} twice is fine.
 * </ul>
 *
 * <h2>What the inner store must allow</h2>
 * Look-ups, data I/O on distinct objects and {@code sync()} concurrently with each other and
 * with one allocator change at a time. The stores of {@link BasicStore} and {@link MultiStore} do.
 *
 * <h2>Capabilities</h2>
 * {@link #unwrap} passes the inner store's capabilities through: {@link RunAllocator} under the
 * global lock; others ({@link ObjectInfoProvider}, {@link StatisticsProvider}) unchanged, so they
 * bypass this wrapper's locks.
 *
 * <p>Implemented by bobbob only; get one from {@link #wrap}, {@link MultiStore#createConcurrent},
 * {@link MultiStore#openConcurrent} or {@link StoreManager}.
 */
public interface ConcurrentStore extends Storer {
    /** How long {@link #close()} waits for open handles unless told otherwise. */
    Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Wraps {@code inner}; the wrapper owns it from now on (closing the wrapper closes it).
     *
     * @param diskTokens most Late handles open at once; 0 = unlimited
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    static ConcurrentStore wrap(Storer inner, int diskTokens) {
        return wrap(inner, diskTokens, DEFAULT_CLOSE_TIMEOUT);
    }

    /** As {@link #wrap(Storer, int)}, with the time {@link #close()} waits for open handles. */
    static ConcurrentStore wrap(Storer inner, int diskTokens, Duration closeTimeout) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative()) {
            throw new IllegalArgumentException("closeTimeout must not be negative: " + closeTimeout);
        }
        return Engines.locking(inner, diskTokens, closeTimeout);
    }

    /** The wrapped store. Using it directly bypasses this wrapper's locks. */
    Storer inner();

    /** The disk-token cap and its use right now (for monitoring). */
    DiskTokenCounts diskTokens();

    /** Objects with a lock holder or waiter right now. */
    int lockedObjects();

    /**
     * Calls that had to wait for an object another call held (a reader for a writer, a writer for
     * readers or a writer), since the store was wrapped; each wait counts once, however long. Waits
     * for objects a transaction holds are {@code TransactionCounts.lockWaits()}. Cheap (a striped
     * counter, summed here).
     */
    long objectLockWaits();

    /** Whether {@link #close()} has been called (new calls are refused from that moment). */
    boolean isClosed();

    /** Calls in progress plus open handles. */
    int activeOperations();

    /**
     * Refuses new calls, waits up to the close timeout for calls in progress and open handles,
     * then closes the inner store (which syncs it). Idempotent.
     */
    @Override
    void close() throws IOException;
}
