package org.bobbob.store.internal.tx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One transaction's changes: the objects it created, the shadows of the objects it overwrites
 * (target id → shadow id), the objects it deletes, and its state. What a metadata record names of
 * it is written by {@link TxTable}.
 *
 * <h2>Who changes what</h2>
 * {@link #creates} and {@link #shadows} change with the allocations and frees they follow, under the
 * engine's metadata lock (the lock a record is encoded under), so a record always names every
 * object the branch holds. {@link #state} changes under that lock too. {@link #deletes} is read by a
 * record only once the branch is prepared, and changes only before that, by the one thread using the
 * transaction. The rest is the manager's.
 */
public final class Branch {
    /** What a record says of a branch; the byte is the format's. */
    public enum State {
        /** Running: at open its objects are freed (rolled back). */
        ACTIVE(1),
        /** Prepared (XA): at open it stays, in doubt, until a transaction manager decides. */
        PREPARED(2),
        /** Committed and durable; its shadows are still to be copied over their targets. */
        COMMITTING(3);

        final int code;

        State(int code) {
            this.code = code;
        }

        static State of(int code) {
            for (State s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The Xid of an XA branch, null for a local transaction. */
    final StoredXid xid;

    volatile State state = State.ACTIVE;
    final List<Long> creates = new ArrayList<>();
    final Map<Long, Long> shadows = new LinkedHashMap<>();
    final Set<Long> deletes = new LinkedHashSet<>();
    /** The objects the branch holds in {@link TxLocks} (targets of its shadows and deletes). */
    final Set<Long> locked = new LinkedHashSet<>();
    /** The ticket of the change that committed the branch; 0 before. */
    long commitTicket;

    /** The branch this one waits for right now (for deadlock detection), under TxLocks' monitor. */
    Branch waitingFor;
    /** Set by an XA end(TMFAIL) or a timeout: the branch can only roll back. */
    volatile boolean rollbackOnly;
    /** Set when the branch was rolled back because of its timeout. */
    volatile boolean timedOut;
    /** System.nanoTime() past which an active branch is rolled back; Long.MAX_VALUE: never. */
    volatile long deadline = Long.MAX_VALUE;
    /** Set once the branch is over (committed or rolled back). */
    volatile boolean ended;
    /**
     * {@code System.currentTimeMillis()} when the branch became in doubt: its prepare, or the open
     * that found it prepared; 0 while it is not prepared. For {@code TransactionCounts}' age.
     */
    volatile long inDoubtSinceMillis;

    Branch(StoredXid xid) {
        this.xid = xid;
    }

    /** What the branch is doing (for tools and figures). */
    public State state() {
        return state;
    }

    /** The branch's Xid as text, or a name for a local transaction. */
    public String describe() {
        return toString();
    }

    /** The objects only this branch sees until it commits: its new objects and its shadows. */
    public long[] hiddenObjects() {
        return rollbackFrees();
    }

    /** Whether the branch changed nothing (a commit has nothing to make durable). */
    boolean readOnly() {
        return creates.isEmpty() && shadows.isEmpty() && deletes.isEmpty();
    }

    /** The ids a rollback frees: its new objects and its shadows. */
    long[] rollbackFrees() {
        long[] ids = new long[creates.size() + shadows.size()];
        int i = 0;
        for (long id : creates) {
            ids[i++] = id;
        }
        for (long id : shadows.values()) {
            ids[i++] = id;
        }
        return ids;
    }

    static long[] toArray(java.util.Collection<Long> ids) {
        long[] out = new long[ids.size()];
        int i = 0;
        for (long id : ids) {
            out[i++] = id;
        }
        return out;
    }

    @Override
    public String toString() {
        return xid != null ? "branch " + xid : "transaction@" + Integer.toHexString(System.identityHashCode(this));
    }
}
