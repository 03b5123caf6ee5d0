package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;

/**
 * The connection manager of non-managed mode (no application server): one managed connection per
 * {@code getConnection()}, destroyed when its handle closes or fails. No pool; the shared store
 * stays open while any connection holds it. Thread-safe (stateless).
 */
final class UnpooledConnectionManager implements ConnectionManager {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(UnpooledConnectionManager.class.getName());

    @Override
    public Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info)
            throws ResourceException {
        ManagedConnection mc = factory.createManagedConnection(null, info);
        mc.addConnectionEventListener(new DestroyOnRelease(mc));
        try {
            return mc.getConnection(null, info);
        } catch (ResourceException | RuntimeException e) {
            try {
                mc.destroy();
            } catch (ResourceException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Destroys its managed connection when the handle is closed or fails. */
    private record DestroyOnRelease(ManagedConnection mc) implements ConnectionEventListener {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            destroy();
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            destroy();
        }

        private void destroy() {
            try {
                mc.destroy();
            } catch (ResourceException e) {
                LOG.log(System.Logger.Level.WARNING, "destroying " + mc + " failed", e);
            }
        }

        @Override
        public void localTransactionStarted(ConnectionEvent event) {
            // NoTransaction
        }

        @Override
        public void localTransactionCommitted(ConnectionEvent event) {
            // NoTransaction
        }

        @Override
        public void localTransactionRolledback(ConnectionEvent event) {
            // NoTransaction
        }
    }
}
