package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.cci.LocalTransaction;
import jakarta.resource.spi.ConnectionEvent;

/**
 * A local transaction the application demarcates through a handle
 * ({@link StoreConnection#getLocalTransaction()}): the container's {@link StoreLocalTransaction}
 * on the handle's managed connection, plus the events the Connectors specification asks of
 * application-demarcated local transactions, so that the server knows the connection is in one:
 * {@code LOCAL_TRANSACTION_STARTED} after {@code begin()}, {@code LOCAL_TRANSACTION_COMMITTED}
 * after a commit, {@code LOCAL_TRANSACTION_ROLLEDBACK} after a rollback or a commit that failed
 * (the transaction is over either way; the exception says why). Used by one thread at a time.
 */
final class ApplicationLocalTransaction implements LocalTransaction {
    private final StoreManagedConnection connection;
    private final StoreConnectionHandle handle;
    private final StoreLocalTransaction local;

    ApplicationLocalTransaction(StoreManagedConnection connection, StoreConnectionHandle handle)
            throws ResourceException {
        this.connection = connection;
        this.handle = handle;
        this.local = (StoreLocalTransaction) connection.getLocalTransaction();
    }

    /**
     * @throws jakarta.resource.spi.LocalTransactionException BOB-634 if the connection is in a
     *     transaction already (JTA or local)
     */
    @Override
    public void begin() throws ResourceException {
        if (connection.inTransaction()) {
            throw RarErrors.transactionFailed(
                    "begin", connection, new IllegalStateException("the connection is in a transaction already"));
        }
        local.begin();
        connection.fire(ConnectionEvent.LOCAL_TRANSACTION_STARTED, handle, null);
    }

    @Override
    public void commit() throws ResourceException {
        end(true);
    }

    @Override
    public void rollback() throws ResourceException {
        end(false);
    }

    private void end(boolean commit) throws ResourceException {
        if (!local.active()) {
            throw RarErrors.transactionFailed(
                    commit ? "commit" : "rollback",
                    connection,
                    new IllegalStateException("no local transaction begun"));
        }
        boolean committed = false;
        try {
            if (commit) {
                local.commit();
                committed = true;
            } else {
                local.rollback();
            }
        } finally {
            connection.fire(
                    committed
                            ? ConnectionEvent.LOCAL_TRANSACTION_COMMITTED
                            : ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK,
                    handle,
                    null);
        }
    }
}
