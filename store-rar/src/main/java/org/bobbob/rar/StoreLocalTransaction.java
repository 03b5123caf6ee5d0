package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;
import java.nio.ByteBuffer;
import java.util.UUID;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.XAStoreConnection;

/**
 * A resource-manager local transaction on one managed connection (the SPI's
 * {@link LocalTransaction}, for a connection definition whose transaction support an administrator
 * set to {@code LocalTransaction}): a branch of the store under an Xid of its own, begun on the
 * connection's XA resource and committed in one phase. So its calls are a transaction's calls, with
 * the same atomicity, isolation and durability, and no second code path.
 *
 * <p>The container drives it; no {@code LOCAL_TRANSACTION_*} event is fired, since the
 * application cannot begin one (there is no CCI {@code LocalTransaction}, only the server's).
 * One at a time per connection; used by the container's thread for the connection.
 */
final class StoreLocalTransaction implements LocalTransaction {
    /** The format id of the Xids of local transactions ("bobL"). */
    static final int FORMAT_ID = 0x626f624c;

    private final StoreManagedConnection connection;
    private final XAStoreConnection xa;
    private Xid xid;

    StoreLocalTransaction(StoreManagedConnection connection, XAStoreConnection xa) {
        this.connection = connection;
        this.xa = xa;
    }

    @Override
    public void begin() throws ResourceException {
        Xid next = localXid();
        try {
            xa.getXAResource().start(next, XAResource.TMNOFLAGS);
        } catch (XAException e) {
            throw RarErrors.transactionFailed("begin", connection, e);
        }
        xid = next;
        connection.localTransaction(true);
    }

    @Override
    public void commit() throws ResourceException {
        Xid current = current("commit");
        try {
            xa.getXAResource().end(current, XAResource.TMSUCCESS);
            xa.getXAResource().commit(current, true);
        } catch (XAException e) {
            throw RarErrors.transactionFailed("commit", connection, e);
        } finally {
            done();
        }
    }

    @Override
    public void rollback() throws ResourceException {
        Xid current = current("rollback");
        try {
            xa.getXAResource().end(current, XAResource.TMSUCCESS);
            xa.getXAResource().rollback(current);
        } catch (XAException e) {
            throw RarErrors.transactionFailed("rollback", connection, e);
        } finally {
            done();
        }
    }

    /** Whether a transaction is begun and not yet committed or rolled back. */
    boolean active() {
        return xid != null;
    }

    private Xid current(String what) throws ResourceException {
        if (xid == null) {
            throw RarErrors.transactionFailed(
                    what, connection, new IllegalStateException("no local transaction begun"));
        }
        return xid;
    }

    private void done() {
        xid = null;
        connection.localTransaction(false);
    }

    /** A fresh Xid: a random global id, an empty branch qualifier. */
    private static Xid localXid() {
        UUID u = UUID.randomUUID();
        byte[] gtrid = ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
        return new Xid() {
            @Override
            public int getFormatId() {
                return FORMAT_ID;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return gtrid.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[0];
            }
        };
    }
}
