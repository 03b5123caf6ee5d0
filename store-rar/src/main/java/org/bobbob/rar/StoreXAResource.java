package org.bobbob.rar;

import jakarta.resource.ResourceException;
import java.io.IOException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;

/**
 * The {@link XAResource} a {@link StoreManagedConnection} gives the transaction manager.
 *
 * <p>Association calls ({@code start}, {@code end}) and the timeout go to the connection's own XA
 * connection: they tie a branch to the handles of this connection. Outcome calls ({@code prepare},
 * {@code commit}, {@code rollback}, {@code forget}, {@code recover}) name a branch by its Xid, whose
 * state the store keeps, so they need the store, not this connection: once the connection is
 * destroyed they go to the store acquired again for the one call (opened if no connection holds it,
 * closed after). That is what recovery needs: IronJacamar makes a connection for a recovery scan and
 * destroys it when the scan ends, while Narayana keeps the XAResource to commit or roll back the
 * branches the scan found.
 *
 * <p>Thread-safe.
 */
final class StoreXAResource implements XAResource {
    private final StoreManagedConnection connection;
    private final StoreRegistry registry;
    private final StoreTarget target;

    StoreXAResource(StoreManagedConnection connection, StoreRegistry registry, StoreTarget target) {
        this.connection = connection;
        this.registry = registry;
        this.target = target;
    }

    /** An outcome call on some XA resource of the store. */
    @FunctionalInterface
    private interface Outcome<T> {
        T on(XAResource resource) throws XAException;
    }

    private XAResource own() throws XAException {
        try {
            return connection.xaConnection().getXAResource();
        } catch (ResourceException e) {
            throw failed(e);
        }
    }

    private <T> T outcome(Outcome<T> call) throws XAException {
        if (!connection.isDestroyed()) {
            try {
                return call.on(own());
            } catch (XAException e) {
                if (e.errorCode != XAException.XAER_RMFAIL || !connection.isDestroyed()) {
                    throw e;
                }
                // destroyed under the call: the store may have closed; ask it again below
            }
        }
        SharedStore shared;
        try {
            shared = registry.acquire(target);
        } catch (ResourceException e) {
            throw failed(e);
        }
        try (XAStoreConnection x =
                shared.store().unwrap(TransactionalStore.class).openXAConnection()) {
            return call.on(x.getXAResource());
        } catch (IOException e) {
            throw failed(e);
        } finally {
            try {
                registry.release(shared);
            } catch (IOException e) {
                // the call's outcome is durable already (the store syncs before it returns)
            }
        }
    }

    private static XAException failed(Exception cause) {
        XAException e = new XAException("the store of the branch is unavailable: " + cause.getMessage());
        e.errorCode = XAException.XAER_RMFAIL; // the transaction manager tries again later
        e.initCause(cause);
        return e;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        own().start(xid, flags);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        own().end(xid, flags);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return outcome(r -> r.prepare(xid));
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        outcome(r -> {
            r.commit(xid, onePhase);
            return null;
        });
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        outcome(r -> {
            r.rollback(xid);
            return null;
        });
    }

    @Override
    public void forget(Xid xid) throws XAException {
        outcome(r -> {
            r.forget(xid);
            return null;
        });
    }

    @Override
    public Xid[] recover(int flags) throws XAException {
        return outcome(r -> r.recover(flags));
    }

    /** Same store, same resource manager: the store keeps every branch by Xid. */
    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof StoreXAResource s && s.target.key().equals(target.key());
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return own().getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return own().setTransactionTimeout(seconds);
    }

    @Override
    public String toString() {
        return "XAResource of " + target.key() + (connection.isDestroyed() ? " (its connection destroyed)" : "");
    }
}
