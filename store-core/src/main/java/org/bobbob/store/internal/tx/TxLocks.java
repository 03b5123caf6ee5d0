package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.LockTimeoutException;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.events.Events;
import org.bobbob.store.support.Errors;

/**
 * What transactions hold: the objects a branch overwrites or deletes (exclusively, until it
 * ends), and the ids of objects a branch created that nobody else may see before its commit.
 *
 * <h2>How</h2>
 * <ul>
 *   <li>Two maps, id → branch. Calls outside transactions ask {@link #idle()} first (two
 *       {@code isEmpty()} reads), so a store without transactions pays nothing more.
 *   <li>Waiting is on one monitor, which {@link #release} notifies: waits are rare (only for
 *       objects another transaction holds), so a lock per object is not worth its memory.
 *   <li>A branch that would wait for one that waits, directly or not, for it fails at once
 *       (a deadlock): each waiting branch names what it waits for ({@link Branch#waitingFor}).
 *   <li>An object held by a prepared branch is waited for like any other (its transaction manager
 *       normally commits it within milliseconds); if the lock timeout passes while a prepared
 *       branch still holds it, the call fails with BOB-122 (in doubt) rather than BOB-120.
 * </ul>
 * Thread-safe.
 */
public final class TxLocks {
    private final ConcurrentHashMap<Long, Branch> held = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Branch> pending = new ConcurrentHashMap<>();
    private final Object monitor = new Object();
    private final long timeoutNanos;
    /** Rolls back a branch past its transaction timeout (the manager's); called under the monitor. */
    private final java.util.function.Consumer<Branch> expire;
    /** Calls that waited for a holder (each once), for {@code TransactionCounts#lockWaits}. */
    private final LongAdder waits = new LongAdder();

    TxLocks(long timeoutMillis, java.util.function.Consumer<Branch> expire) {
        this.timeoutNanos = timeoutMillis * 1_000_000L;
        this.expire = expire;
    }

    /** Whether {@code h} is active past its transaction timeout: it is rolled back, not waited for. */
    private boolean expired(Branch h) {
        if (h.state == Branch.State.ACTIVE && h.deadline != Long.MAX_VALUE && System.nanoTime() - h.deadline > 0) {
            expire.accept(h);
            return true;
        }
        return false;
    }

    /** Whether no transaction holds or hides anything: the fast path of every call outside one. */
    public boolean idle() {
        return held.isEmpty() && pending.isEmpty();
    }

    /** Whether {@code id} is an object some transaction created and has not committed. */
    public boolean hidden(long id) {
        return !pending.isEmpty() && pending.containsKey(id);
    }

    /** The branch holding {@code id} exclusively, or null. */
    public Branch holder(long id) {
        return held.isEmpty() ? null : held.get(id);
    }

    /**
     * For a call outside transactions: waits until no branch holds {@code id}.
     *
     * @throws org.bobbob.store.LockTimeoutException after the lock timeout
     * @throws StoreException BOB-122 if, at the lock timeout, a prepared branch holds it
     */
    public void awaitRelease(long id) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        Events.LockWait event = null;
        String outcome = "failed";
        Branch waitedFor = null;
        try {
            synchronized (monitor) {
                Branch h;
                while ((h = held.get(id)) != null) {
                    if (!expired(h)) {
                        event = waiting(event);
                        waitedFor = h;
                        waitUntil(deadline, id, h);
                    }
                }
            }
            outcome = "acquired";
        } catch (IOException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            waited(event, id, waitedFor, outcome);
        }
    }

    /**
     * Takes {@code id} for {@code b}, waiting for its holder to end; true if {@code b} did not
     * hold it yet.
     *
     * @throws org.bobbob.store.LockTimeoutException after the lock timeout, or at once for a deadlock
     * @throws StoreException BOB-122 if, at the lock timeout, a prepared branch holds it
     */
    boolean acquire(Branch b, long id) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        Events.LockWait event = null;
        String outcome = "failed";
        Branch waitedFor = null;
        try {
            synchronized (monitor) {
                while (true) {
                    Branch h = held.putIfAbsent(id, b);
                    if (h == null) {
                        outcome = "acquired";
                        return true;
                    }
                    if (h == b) {
                        outcome = "acquired";
                        return false;
                    }
                    if (expired(h)) {
                        continue;
                    }
                    for (Branch w = h; w != null; w = w.waitingFor) {
                        if (w == b) {
                            outcome = "deadlock";
                            throw Errors.deadlock(id);
                        }
                    }
                    b.waitingFor = h;
                    try {
                        event = waiting(event);
                        waitedFor = h;
                        waitUntil(deadline, id, h);
                    } finally {
                        b.waitingFor = null;
                    }
                }
            }
        } catch (IOException e) {
            if (!outcome.equals("deadlock")) {
                outcome = outcomeOf(e);
            }
            throw e;
        } finally {
            waited(event, id, waitedFor, outcome);
        }
    }

    /** The probe of a wait that begins now (the first one of a call, which is counted), or the call's one. */
    private Events.LockWait waiting(Events.LockWait event) {
        if (event != null) {
            return event;
        }
        waits.increment();
        return Events.lockWait();
    }

    /** Calls that had to wait for a holder since this table was made (the store's open). */
    long waits() {
        return waits.sum();
    }

    /** Records a wait for {@code holder} that happened ({@code org.bobbob.TxLockWait}); nothing if none did. */
    private static void waited(Events.LockWait event, long id, Branch holder, String outcome) {
        if (event != null) {
            event.done(id, holder, outcome);
        }
    }

    private static String outcomeOf(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "interrupted";
        }
        if (e instanceof StoreException se && se.code() == ErrorCode.IN_DOUBT) {
            return "in doubt";
        }
        return e instanceof LockTimeoutException ? "timed out" : "failed";
    }

    /**
     * Waits for a release, up to {@code deadline}; past it, throws: BOB-122 if {@code holder} is a
     * prepared branch (in doubt: its transaction manager has not decided it), else BOB-120. Caller
     * holds the monitor.
     */
    private void waitUntil(long deadline, long id, Branch holder) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            if (holder.state == Branch.State.PREPARED) {
                throw Errors.inDoubt(id, holder);
            }
            throw Errors.lockTimeout(id, timeoutNanos / 1_000_000L);
        }
        try {
            monitor.wait(Math.max(1, left / 1_000_000L), (int) (left % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ex = new InterruptedIOException("interrupted while waiting for object " + id);
            ex.initCause(e);
            throw ex;
        }
    }

    /** Hides a new object of {@code b} from everyone else. */
    void hide(Branch b, long id) {
        pending.put(id, b);
    }

    /** Stops hiding one object (it was deleted again by its branch). */
    void unhide(long id) {
        pending.remove(id);
    }

    /** Releases one object {@code b} held (a take that found no object). */
    void releaseOne(Branch b, long id) {
        synchronized (monitor) {
            held.remove(id, b);
            monitor.notifyAll();
        }
    }

    /** Releases everything {@code b} holds and shows its new objects; wakes the waiters. */
    void release(Branch b, Iterable<Long> heldIds, Iterable<Long> hiddenIds) {
        for (long id : hiddenIds) {
            pending.remove(id, b);
        }
        synchronized (monitor) {
            for (long id : heldIds) {
                held.remove(id, b);
            }
            monitor.notifyAll();
        }
    }

    /** Marks an adopted branch's objects held and hidden, without waiting (opening). */
    void adopt(Branch b) {
        b.locked.addAll(b.shadows.keySet());
        b.locked.addAll(b.deletes);
        for (long id : b.locked) {
            held.put(id, b);
        }
        for (long id : b.creates) {
            pending.put(id, b);
        }
        for (long id : b.shadows.values()) {
            pending.put(id, b);
        }
    }
}
