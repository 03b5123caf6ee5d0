package org.bobbob.store.internal.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.support.Errors;

/**
 * A close gate: counts calls in progress (for {@link LockingStore}, open handles too), refuses
 * new ones once closing has begun, and lets the closer wait for the count to reach 0.
 * {@link LockingStore} and {@link FileStore} each have one.
 *
 * <p>Ordering: {@link #enter} counts itself in, then reads {@link #closed}; {@link #shut} writes
 * {@link #closed}, then reads the count. Both are volatile (the count a {@link LongAdder}, whose
 * updates are atomic), so a call either sees {@code closed} and backs out, or is counted before
 * the closer starts waiting. A {@link LongAdder}, not one atomic counter: threads on different
 * cores count in and out without contending for one cache line. Thread-safe.
 */
final class CloseGate {
    /** Calls in progress plus open handles. */
    private final LongAdder active = new LongAdder();
    /** Monitor the closer waits on; notified when the count reaches 0 after {@link #closed}. */
    private final Object drained = new Object();
    /** Set once by {@link #shut}; every {@link #enter} checks it after counting itself in. */
    private volatile boolean closed;

    /**
     * Counts a call (or a handle) in.
     *
     * @param owner what is closed, for the message
     * @throws StoreClosedException if closing has begun
     */
    void enter(Object owner) throws StoreClosedException {
        active.increment();
        if (closed) {
            exit();
            throw Errors.closed(owner);
        }
    }

    /** Counts a call (or a handle) out; once per {@link #enter} that returned. */
    void exit() {
        active.decrement();
        if (closed) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Calls in progress plus open handles. */
    int active() {
        return (int) active.sum();
    }

    /**
     * Refuses new calls from now on and waits up to {@code timeout} (less if interrupted) for the
     * count to reach 0; returns the count left.
     */
    int shut(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            long left;
            while (active.sum() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return (int) active.sum();
    }
}
