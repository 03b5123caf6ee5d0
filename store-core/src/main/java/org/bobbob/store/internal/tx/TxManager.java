package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.internal.events.Events;
import org.bobbob.store.support.Errors;

/**
 * The {@link TransactionalStore} of one open store: begins transactions, and commits, prepares and
 * rolls back branches, local and XA alike.
 *
 * <h2>A branch's life</h2>
 * <ol>
 *   <li>Begin: the branch joins the {@link TxTable} (a record names it once it holds an object).
 *   <li>Calls: new objects and shadows are allocated with the branch as owner, so a record that
 *       names the object names the branch too ({@link TxEngine#writeNew}); objects overwritten or
 *       deleted are taken in {@link TxLocks}.
 *   <li>Commit, in one change under the metadata lock: the deletes are freed and the branch leaves
 *       the table (no shadows) or becomes {@code COMMITTING} (shadows to copy). Then the record
 *       that covers the change is made durable ({@link TxEngine#durable}: one sync serves every
 *       commit waiting for it — group commit). Then each shadow is copied over its target, and a
 *       second change frees the shadows and drops the branch. A crash before the record is durable
 *       leaves the branch active in the last record: opening rolls it back. After it, the branch
 *       is committing: opening copies the shadows again.
 *   <li>Prepare (XA): one change makes the branch {@code PREPARED}, then its record is made
 *       durable. Opening keeps a prepared branch, its objects held, until commit or rollback.
 *   <li>Rollback: one change frees the new objects and shadows and drops the branch (made durable
 *       at once for a prepared branch, so that it does not come back).
 * </ol>
 *
 * <p>Thread-safe; a branch is used by one thread at a time.
 */
public final class TxManager implements TransactionalStore {
    private final TxEngine engine;
    private final TxLocks locks;
    /** XA branches by Xid: active, ended, prepared. */
    private final Map<StoredXid, Branch> byXid = new ConcurrentHashMap<>();

    private volatile boolean closed;
    /** Branches committed (or ended read-only by a prepare) since the open. */
    private final LongAdder committed = new LongAdder();
    /** Branches rolled back since the open (by their owner, their manager or their timeout). */
    private final LongAdder rolledBack = new LongAdder();

    /** The manager of {@code engine}'s store; adopts the prepared branches its last record named. */
    public TxManager(TxEngine engine) throws IOException {
        this.engine = engine;
        this.locks = new TxLocks(engine.lockTimeoutMillis(), this::expire);
        long now = System.currentTimeMillis();
        for (Branch b : engine.branches()) {
            if (b.state == Branch.State.PREPARED && b.xid != null) {
                b.inDoubtSinceMillis = now; // prepared by an earlier run: in doubt at least since now
                locks.adopt(b);
                byXid.put(b.xid, b);
            }
        }
    }

    /**
     * Finishes, while a store opens, what its last record says was under way: active branches are
     * rolled back, committing ones have their shadows copied again (idempotent) and are dropped,
     * prepared ones stay for the manager to adopt. {@code engine}'s front is the bare store.
     */
    public static void recoverAtOpen(TxEngine engine) throws IOException {
        int rolledBack = 0;
        int finished = 0;
        int inDoubt = 0;
        for (Branch b : engine.branches()) {
            if (b.state == Branch.State.ACTIVE) {
                engine.change(b.rollbackFrees(), () -> engine.table().remove(b));
                rolledBack++;
            } else if (b.state == Branch.State.COMMITTING) {
                for (Map.Entry<Long, Long> e : b.shadows.entrySet()) {
                    engine.copyOver(e.getValue(), e.getKey());
                }
                engine.change(
                        Branch.toArray(b.shadows.values()), () -> engine.table().remove(b));
                finished++;
            } else {
                inDoubt++;
            }
        }
        Events.recovery(engine.name(), rolledBack, finished, inDoubt);
    }

    /** What calls outside transactions consult. */
    public TxLocks locks() {
        return locks;
    }

    TxEngine engine() {
        return engine;
    }

    @Override
    public StoreTransaction begin() throws IOException {
        return new Txn(this, start(null));
    }

    @Override
    public XAStoreConnection openXAConnection() throws IOException {
        checkOpen();
        return new XaConnection(this);
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw Errors.closed(engine.name());
        }
    }

    /** A new branch in the table ({@code xid} null for a local transaction). */
    Branch start(StoredXid xid) throws IOException {
        checkOpen();
        Branch b = new Branch(xid);
        engine.change(new long[0], () -> engine.table().add(b));
        return b;
    }

    /** A new XA branch, or null if one with {@code xid} is known. */
    Branch startXa(StoredXid xid, long deadline) throws IOException {
        checkOpen();
        Branch b = new Branch(xid);
        b.deadline = deadline;
        if (byXid.putIfAbsent(xid, b) != null) {
            return null;
        }
        engine.change(new long[0], () -> engine.table().add(b));
        return b;
    }

    Branch branch(StoredXid xid) {
        return byXid.get(xid);
    }

    @Override
    public TransactionCounts transactionCounts() {
        int active = 0;
        int inDoubt = 0;
        long now = System.currentTimeMillis();
        long oldest = 0;
        try {
            for (Branch b : engine.branches()) {
                if (b.ended) {
                    continue;
                }
                if (b.state == Branch.State.ACTIVE) {
                    active++;
                } else if (b.state == Branch.State.PREPARED) {
                    inDoubt++;
                    long since = b.inDoubtSinceMillis;
                    if (since != 0) {
                        oldest = Math.max(oldest, now - since);
                    }
                }
            }
        } catch (IOException e) {
            active = 0; // a closed store has none under way
            inDoubt = 0;
            oldest = 0;
        }
        return new TransactionCounts(
                active, inDoubt, Math.max(0, oldest), committed.sum(), rolledBack.sum(), locks.waits());
    }

    /** The prepared XA branches' Xids. */
    List<StoredXid> prepared() {
        List<StoredXid> out = new ArrayList<>();
        for (Branch b : byXid.values()) {
            if (b.state == Branch.State.PREPARED) {
                out.add(b.xid);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- a branch's objects

    /** Takes {@code id} for {@code b} (waiting up to the lock timeout). */
    void take(Branch b, long id) throws IOException {
        if (locks.acquire(b, id)) {
            b.locked.add(id);
        }
    }

    /** Lets go of {@code id} if {@code b} holds it for nothing (its take found no object). */
    void untake(Branch b, long id) {
        if (!b.shadows.containsKey(id) && !b.deletes.contains(id) && b.locked.remove(id)) {
            locks.releaseOne(b, id);
        }
    }

    /** Registers a new object of {@code b}; called under the metadata lock. */
    void created(Branch b, long id) {
        b.creates.add(id);
        locks.hide(b, id);
    }

    /** Registers {@code shadow} as {@code target}'s shadow in {@code b}; under the metadata lock. */
    void shadowed(Branch b, long target, long shadow) {
        b.shadows.put(target, shadow);
        locks.hide(b, shadow);
    }

    /** Deletes a new object of {@code b} again: freed at once. */
    void dropCreated(Branch b, long id) throws IOException {
        engine.change(new long[] {id}, () -> b.creates.remove(id));
        locks.unhide(id);
    }

    /** Drops the shadow of {@code target} (the branch deletes the target). */
    void dropShadow(Branch b, long target) throws IOException {
        long shadow = b.shadows.get(target);
        engine.change(new long[] {shadow}, () -> b.shadows.remove(target));
        locks.unhide(shadow);
    }

    // ---------------------------------------------------------------- ending

    /**
     * Commits {@code b} (active or prepared; again after a failed sync): see the class comment.
     *
     * @throws StoreException BOB-207/208 if making it durable or copying a shadow failed (decided:
     *     committing again retries)
     */
    void commit(Branch b) throws IOException {
        if (b.commitTicket == 0) {
            if (b.readOnly()) {
                engine.change(new long[0], () -> engine.table().remove(b));
                end(b);
                committed.increment();
                return;
            }
            long[] frees = Branch.toArray(b.deletes);
            b.commitTicket = engine.changeDeleting(frees, () -> {
                if (b.shadows.isEmpty()) {
                    engine.table().remove(b);
                } else {
                    b.state = Branch.State.COMMITTING;
                }
            });
        }
        engine.durable(b.commitTicket);
        if (!b.shadows.isEmpty()) {
            for (Map.Entry<Long, Long> e : b.shadows.entrySet()) {
                engine.copyOver(e.getValue(), e.getKey());
            }
            engine.change(
                    Branch.toArray(b.shadows.values()), () -> engine.table().remove(b));
        }
        end(b);
        committed.increment();
    }

    /** Prepares {@code b}; false if it changed nothing (then it is over: XA_RDONLY). */
    boolean prepare(Branch b) throws IOException {
        if (b.readOnly()) {
            engine.change(new long[0], () -> engine.table().remove(b));
            end(b);
            committed.increment();
            return false;
        }
        long ticket = engine.change(new long[0], () -> {
            b.inDoubtSinceMillis = System.currentTimeMillis();
            b.state = Branch.State.PREPARED;
        });
        engine.durable(ticket);
        return true;
    }

    /** Rolls {@code b} back (active or prepared); a prepared one durably. */
    void rollback(Branch b) throws IOException {
        boolean wasPrepared = b.state == Branch.State.PREPARED;
        long ticket = engine.change(b.rollbackFrees(), () -> engine.table().remove(b));
        end(b);
        rolledBack.increment();
        if (wasPrepared) {
            engine.durable(ticket);
        }
    }

    /** Rolls back a branch past its timeout (from {@link TxLocks}, which then does not wait for it). */
    private void expire(Branch b) {
        b.timedOut = true;
        b.rollbackOnly = true;
        try {
            rollback(b);
        } catch (IOException e) {
            // Its objects stay held; the branch's own next call or its manager retries.
        }
    }

    /** Releases what {@code b} holds and shows its new objects (committed) or forgets them. */
    private void end(Branch b) {
        b.ended = true;
        List<Long> hidden = new ArrayList<>(b.creates);
        hidden.addAll(b.shadows.values());
        locks.release(b, b.locked, hidden);
        if (b.xid != null && !b.timedOut) {
            byXid.remove(b.xid, b); // a timed-out one stays until its manager hears of it (forgetTimedOut)
        }
    }

    /** Drops a branch rolled back by its timeout, once its transaction manager was told. */
    void forgetTimedOut(Branch b) {
        byXid.remove(b.xid, b);
    }

    /**
     * The store is closing: local and unprepared XA branches roll back; prepared ones stay in the
     * record, in doubt, for the next open.
     */
    public void close() {
        closed = true;
        try {
            for (Branch b : engine.branches()) {
                if (b.state == Branch.State.ACTIVE && !b.ended) {
                    rollback(b);
                }
            }
        } catch (IOException e) {
            // The next open rolls them back from the record.
        }
    }

    /** Whether {@code other} manages the same open store. */
    boolean sameStore(TxManager other) {
        return other == this;
    }

    String name() {
        return engine.name();
    }
}
