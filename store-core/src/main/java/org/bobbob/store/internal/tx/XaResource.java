package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} of an {@link XaConnection}. Branch state lives in the {@link TxManager}
 * by Xid, so any resource of the same store can finish any branch (recovery included); what is
 * this resource's own is the association with its connection and the timeout for branches it
 * starts. The contract is {@link org.bobbob.store.XAStoreConnection}'s.
 */
final class XaResource implements XAResource {
    private final TxManager manager;
    private final XaConnection connection;
    /** Seconds; 0: branches started here never time out. */
    private volatile int timeoutSeconds;
    /** Whether a recovery scan is under way (after TMSTARTRSCAN, until TMENDRSCAN). */
    private boolean scanning;

    XaResource(TxManager manager, XaConnection connection) {
        this.manager = manager;
        this.connection = connection;
    }

    private static XAException xa(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }

    private static XAException xa(int code, IOException cause) {
        XAException e = xa(code, cause.getMessage());
        e.initCause(cause);
        return e;
    }

    private static StoredXid key(Xid xid) throws XAException {
        if (!StoredXid.valid(xid)) {
            throw xa(XAException.XAER_INVAL, "not a valid Xid: " + xid);
        }
        return StoredXid.of(xid);
    }

    private Branch known(Xid xid) throws XAException {
        Branch b = manager.branch(key(xid));
        if (b != null && b.ended && b.timedOut) {
            manager.forgetTimedOut(b);
            throw xa(XAException.XA_RBTIMEOUT, "branch " + xid + " timed out and was rolled back");
        }
        if (b == null || b.ended) {
            throw xa(XAException.XAER_NOTA, "unknown branch " + xid);
        }
        return b;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        if (connection.associated() != null) {
            throw xa(XAException.XAER_PROTO, "the connection already has a branch associated");
        }
        Branch b;
        if (flags == TMNOFLAGS) {
            long deadline = timeoutSeconds > 0 ? System.nanoTime() + timeoutSeconds * 1_000_000_000L : Long.MAX_VALUE;
            try {
                b = manager.startXa(key(xid), deadline);
            } catch (IOException e) {
                throw xa(XAException.XAER_RMFAIL, e);
            }
            if (b == null) {
                throw xa(XAException.XAER_DUPID, "branch " + xid + " exists");
            }
        } else if (flags == TMJOIN || flags == TMRESUME) {
            b = known(xid);
            if (b.state != Branch.State.ACTIVE) {
                throw xa(XAException.XAER_PROTO, "branch " + xid + " is " + b.state);
            }
        } else {
            throw xa(XAException.XAER_INVAL, "start flags " + flags);
        }
        connection.associate(b);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        Txn t = connection.associated();
        if (t != null && t.branch.ended && key(xid).equals(t.branch.xid)) {
            // Rolled back while associated (past its timeout, or by a rollback through another
            // resource): the association ends all the same, or this connection could never start
            // another branch.
            connection.associate(null);
            try {
                t.closeHandles();
            } catch (IOException e) {
                // the branch is over: nothing of its handles counts
            }
            throw xa(
                    t.branch.timedOut ? XAException.XA_RBTIMEOUT : XAException.XA_RBROLLBACK,
                    "branch " + xid + (t.branch.timedOut ? " timed out and" : "") + " was rolled back");
        }
        Branch b = known(xid);
        if (t == null || t.branch != b) {
            if (flags == TMFAIL) {
                b.rollbackOnly = true;
                return;
            }
            throw xa(XAException.XAER_PROTO, "branch " + xid + " is not associated with this connection");
        }
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw xa(XAException.XAER_INVAL, "end flags " + flags);
        }
        connection.associate(null);
        try {
            t.closeHandles();
        } catch (IOException e) {
            b.rollbackOnly = true;
        }
        if (flags == TMFAIL) {
            b.rollbackOnly = true;
        }
        if (b.timedOut) {
            throw xa(XAException.XA_RBTIMEOUT, "branch " + xid + " timed out and was rolled back");
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        Branch b = known(xid);
        if (b.state != Branch.State.ACTIVE) {
            throw xa(XAException.XAER_PROTO, "branch " + xid + " is " + b.state);
        }
        rollbackIfDoomed(b, xid);
        try {
            return manager.prepare(b) ? XA_OK : XA_RDONLY;
        } catch (IOException e) {
            throw xa(XAException.XAER_RMFAIL, e);
        }
    }

    /** Rolls back a branch marked failed or past its timeout, and throws the XA_RB code. */
    private void rollbackIfDoomed(Branch b, Xid xid) throws XAException {
        boolean expired = b.deadline != Long.MAX_VALUE && System.nanoTime() - b.deadline > 0;
        if (expired || b.rollbackOnly || b.timedOut) {
            boolean timeout = expired || b.timedOut;
            try {
                if (!b.ended) {
                    manager.rollback(b);
                }
            } catch (IOException e) {
                throw xa(XAException.XAER_RMFAIL, e);
            }
            throw xa(
                    timeout ? XAException.XA_RBTIMEOUT : XAException.XA_RBROLLBACK,
                    "branch " + xid + (timeout ? " timed out" : " was marked to roll back") + "; rolled back");
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        Branch b = known(xid);
        if (onePhase) {
            if (b.state == Branch.State.PREPARED) {
                throw xa(XAException.XAER_PROTO, "one-phase commit of prepared branch " + xid);
            }
            if (b.state == Branch.State.ACTIVE) {
                rollbackIfDoomed(b, xid);
            }
        } else if (b.state == Branch.State.ACTIVE) {
            throw xa(XAException.XAER_PROTO, "two-phase commit of unprepared branch " + xid);
        }
        try {
            manager.commit(b);
        } catch (IOException e) {
            throw xa(XAException.XAER_RMFAIL, e);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        Branch b;
        try {
            b = known(xid);
        } catch (XAException e) {
            if (e.errorCode == XAException.XA_RBTIMEOUT) {
                return; // rolled back by its timeout already; known() has forgotten it
            }
            throw e;
        }
        if (b.state == Branch.State.COMMITTING || b.commitTicket != 0) {
            throw xa(XAException.XAER_PROTO, "branch " + xid + " is committed");
        }
        try {
            manager.rollback(b);
        } catch (IOException e) {
            throw xa(XAException.XAER_RMFAIL, e);
        }
    }

    @Override
    public Xid[] recover(int flags) throws XAException {
        if ((flags & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw xa(XAException.XAER_INVAL, "recover flags " + flags);
        }
        synchronized (this) {
            boolean start = (flags & TMSTARTRSCAN) != 0;
            scanning = (flags & TMENDRSCAN) == 0;
            if (!start) {
                return new Xid[0];
            }
            List<StoredXid> prepared = manager.prepared();
            return prepared.toArray(new Xid[0]);
        }
    }

    @Override
    public void forget(Xid xid) throws XAException {
        throw xa(
                XAException.XAER_NOTA, "no heuristic outcome to forget for " + xid + ": bobbob never decides a branch");
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof XaResource x && x.manager.sameStore(manager);
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw xa(XAException.XAER_INVAL, "timeout " + seconds);
        }
        timeoutSeconds = seconds;
        return true;
    }

    @Override
    public String toString() {
        return "XAResource of " + manager.name();
    }
}
