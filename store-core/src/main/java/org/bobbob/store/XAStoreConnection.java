package org.bobbob.store;

import java.io.IOException;
import javax.transaction.xa.XAResource;

/**
 * A store's connection for a transaction manager, shaped like JDBC's {@code XAConnection}.
 *
 * <h2>The XAResource</h2>
 * Branch state is kept by {@link javax.transaction.xa.Xid} in the store, not in the connection:
 * any connection's resource (a recovery one included) can prepare, commit or roll back any branch
 * of the same open store, and {@code isSameRM} is true exactly for resources of the same open
 * store.
 * <ul>
 *   <li>{@code start} with {@code TMNOFLAGS} begins a branch ({@code XAER_DUPID} if its Xid is
 *       known), {@code TMJOIN} joins a known one, {@code TMRESUME} resumes a suspended one; the
 *       branch is then associated with this connection: {@link #getStorer()}'s calls join it.
 *       {@code end} with {@code TMSUCCESS}, {@code TMFAIL} (the branch can then only roll back) or
 *       {@code TMSUSPEND} ends the association; so does any {@code end} of a branch rolled back
 *       while associated (by its timeout: {@code XA_RBTIMEOUT}; by a rollback through another
 *       resource: {@code XA_RBROLLBACK}).
 *   <li>{@code prepare} makes the branch durable and returns {@code XA_OK}, or {@code XA_RDONLY}
 *       for a branch that changed nothing (it is then over); a branch marked failed or timed out
 *       is rolled back and prepare throws {@code XA_RBROLLBACK} or {@code XA_RBTIMEOUT}.
 *   <li>{@code commit(xid, true)} commits an unprepared branch in one phase;
 *       {@code commit(xid, false)} a prepared one. {@code rollback} undoes either.
 *   <li>{@code recover(TMSTARTRSCAN)} returns every prepared branch, with its whole Xid, also after
 *       a restart; later calls of the same scan return none. {@code forget} throws
 *       {@code XAER_NOTA}: this resource never decides a branch on its own.
 *   <li>{@code setTransactionTimeout(seconds)} applies to branches started afterwards on this
 *       resource: one still active past it is rolled back (its next call, prepare or commit fails
 *       with {@code XA_RBTIMEOUT}); a prepared branch is never rolled back by time.
 *   <li>Errors: {@code XAER_NOTA} unknown Xid, {@code XAER_PROTO} a call in the wrong state,
 *       {@code XAER_RMFAIL} an I/O failure (retry), {@code XAER_INVAL} bad arguments.
 * </ul>
 *
 * <h2>The Storer</h2>
 * While a branch is associated, {@link #getStorer()}'s calls are the branch's, as a
 * {@link StoreTransaction}'s are. With none associated they are the store's ordinary calls
 * (durable at the next sync). {@code sync()} with a branch associated throws
 * {@link IllegalStateException}; closing the Storer does nothing (close the connection).
 *
 * <p>A connection is used by one thread at a time, as a transaction manager does.
 */
public interface XAStoreConnection extends AutoCloseable {

    /** The resource a transaction manager enlists; the same object on every call. */
    XAResource getXAResource();

    /** The Storer whose calls join the associated branch; the same object on every call. */
    Storer getStorer();

    /** Whether a branch is associated with this connection now (between its start and end). */
    boolean isAssociated();

    /**
     * Closes the connection. A branch still associated with it is not ended: it stays known by its
     * Xid (and is rolled back if it times out). Idempotent.
     */
    @Override
    void close() throws IOException;
}
