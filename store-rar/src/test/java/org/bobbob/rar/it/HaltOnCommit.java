package org.bobbob.rar.it;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A participant that votes yes and then stops the server in its commit: enlisted first, it is the
 * first to commit (Narayana commits in the order of enlistment), so the server dies after every
 * participant prepared and the decision was logged, before any other commit. {@link RecoveryIT}'s
 * crash point. Never recovered: after the restart there is nothing of it to finish.
 */
final class HaltOnCommit implements XAResource {
    /** The exit status of the halted server, for the test to tell this halt from a crash. */
    static final int STATUS = 71;

    @Override
    public void start(Xid xid, int flags) {}

    @Override
    public void end(Xid xid, int flags) {}

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        Runtime.getRuntime().halt(STATUS); // no shutdown hook, no flush: as a power cut
    }

    @Override
    public void rollback(Xid xid) {}

    @Override
    public void forget(Xid xid) {}

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
