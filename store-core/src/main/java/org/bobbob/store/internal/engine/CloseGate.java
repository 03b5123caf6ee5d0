package org.bobbob.store.internal.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.support.Errors;

/**
 * A close gate: counts calls in progress (for {@link LockingStore}, open handles too), refuses
 * new ones once closing has begun, and lets the closer wait for the count to reach 0.
 * {@link LockingStore} and {@link FileStore} each have one. {@link #pause} holds new calls (they
 * wait in {@link #enter}) until {@link #resume}, and waits for the calls in progress: an online
 * backup takes its sync point with no call half done.
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
    /** Set by {@link #pause}, cleared by {@link #resume}; every {@link #enter} checks it too. */
    private volatile boolean paused;
    /** Monitor that calls held by a pause wait on; notified by {@link #resume} and {@link #shut}. */
    private final Object resumed = new Object();

    /**
     * Counts a call (or a handle) in.
     *
     * @param owner what is closed, for the message
     * @throws StoreClosedException if closing has begun
     */
    void enter(Object owner) throws StoreClosedException {
        active.increment();
        if (closed || paused) {
            enterSlowly(owner);
        }
    }

    /** {@link #enter} while closing or paused: backs out, and waits while paused. */
    private void enterSlowly(Object owner) throws StoreClosedException {
        while (true) {
            exit();
            if (closed) {
                throw Errors.closed(owner);
            }
            boolean interrupted = false;
            synchronized (resumed) {
                while (paused && !closed) {
                    try {
                        resumed.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the pause is short: wait it out, keep the flag
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            active.increment();
            if (!closed && !paused) {
                return;
            }
        }
    }

    /** Counts a call (or a handle) out; once per {@link #enter} that returned. */
    void exit() {
        active.decrement();
        if (closed || paused) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Holds new calls from now on, and waits up to {@code timeout} for the calls in progress to
     * leave but {@code own} (the caller's own, if it counted itself in). Always follow with
     * {@link #resume}. One pause at a time (the caller serialises them).
     *
     * @return whether they left in time
     */
    boolean pause(int own, Duration timeout) {
        paused = true;
        return await(own, timeout) <= own;
    }

    /** Lets the calls a {@link #pause} holds go on. */
    void resume() {
        paused = false;
        synchronized (resumed) {
            resumed.notifyAll();
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
        synchronized (resumed) {
            resumed.notifyAll(); // calls held by a pause give up
        }
        return await(0, timeout);
    }

    /** Waits up to {@code timeout} (less if interrupted) for the count to reach {@code target}; returns it. */
    private int await(int target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            long left;
            while (active.sum() > target && (left = deadline - System.nanoTime()) > 0) {
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
