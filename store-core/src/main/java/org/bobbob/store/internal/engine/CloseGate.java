package org.bobbob.store.internal.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.support.Errors;

/**
 * The close gate of {@link LockingStore}: counts calls in progress and open handles, refuses new
 * ones once closing has begun, and lets the closer wait for the count to reach 0.
 *
 * <p>Ordering: {@link #enter} counts itself in, then reads {@link #closed}; {@link #shut} writes
 * {@link #closed}, then reads the count. Both are volatile (the count an atomic), so a call either
 * sees {@code closed} and backs out, or is counted before the closer starts waiting. Thread-safe.
 */
final class CloseGate {
    /** Calls in progress plus open handles. */
    private final AtomicInteger active = new AtomicInteger();
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
        active.incrementAndGet();
        if (closed) {
            exit();
            throw Errors.closed(owner);
        }
    }

    /** Counts a call (or a handle) out; once per {@link #enter} that returned. */
    void exit() {
        if (active.decrementAndGet() == 0 && closed) {
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
        return active.get();
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
            while (active.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return active.get();
    }
}
