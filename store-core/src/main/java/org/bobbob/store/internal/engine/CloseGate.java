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
 * {@link #closed}, then reads the count. Both are volatile (the counters {@link LongAdder}s, whose
 * updates are atomic), so a call either sees {@code closed} and backs out, or is counted before
 * the closer starts waiting.
 *
 * <p>The count is two {@link LongAdder}s that only grow, calls counted in and calls counted out,
 * not one that goes up and down: threads on different cores count without contending for one
 * cache line, and the count read is never too low. An adder's sum is not a snapshot (it adds its
 * cells one by one while they change), and a thread's increment and decrement may land in
 * different cells, so one up-and-down adder can read a call that backs out (counted in after the
 * pause began) as a decrement without its increment: one too few, "drained" while a call is still
 * under way. Reading the outs first and then the ins gives, for the moment between the two reads,
 * ins at least and outs at most what they were: a count at least the true one then
 * ({@link #count}). Thread-safe.
 */
final class CloseGate {
    /** Calls (and handles) counted in, ever; with {@link #out}, the count ({@link #count}). */
    private final LongAdder in = new LongAdder();
    /** Calls (and handles) counted out, ever; every one was counted {@link #in} first. */
    private final LongAdder out = new LongAdder();
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
        in.increment();
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
            in.increment();
            if (!closed && !paused) {
                return;
            }
        }
    }

    /** Counts a call (or a handle) out; once per {@link #enter} that returned. */
    void exit() {
        out.increment();
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

    /** Calls in progress plus open handles (never too few; see the class comment). */
    int active() {
        return (int) count();
    }

    /**
     * The count: outs read first, then ins. Never less than the true count at the moment between
     * the two reads, which is the moment the result describes.
     */
    private long count() {
        long outs = out.sum();
        return in.sum() - outs;
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

    /**
     * Waits up to {@code timeout} (less if interrupted) for the count to reach {@code target};
     * returns the count last read: at most {@code target} once it was reached, even if calls that
     * back out (counted in after {@link #closed} or {@link #paused} was set) count in again later.
     */
    private int await(int target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            long count;
            long left;
            while ((count = count()) > target && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return (int) count();
                }
            }
            return (int) count;
        }
    }
}
