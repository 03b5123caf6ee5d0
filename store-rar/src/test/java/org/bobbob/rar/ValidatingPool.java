package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What IronJacamar does for this adapter on {@code getConnection()}, minus its bookkeeping: take
 * an idle connection, match it, validate it ({@code validate-on-match}, which IronJacamar turns
 * on for a {@link ValidatingManagedConnectionFactory}), destroy it if invalid; otherwise create
 * one. A closed handle's connection is cleaned up and goes back to the idle list. Thread-safe.
 */
final class ValidatingPool implements ConnectionManager, NoTransactionListener {
    private static final long serialVersionUID = 1L;
    private final transient ConcurrentLinkedDeque<ManagedConnection> idle = new ConcurrentLinkedDeque<>();
    /** Managed connections created, and idle ones destroyed because validation found them invalid. */
    final AtomicInteger created = new AtomicInteger();

    final AtomicInteger evicted = new AtomicInteger();

    @Override
    public Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info)
            throws ResourceException {
        ManagedConnection mc;
        while ((mc = idle.pollFirst()) != null) {
            Set<ManagedConnection> one = Collections.singleton(mc);
            if (factory.matchManagedConnections(one, null, info) == null) {
                idle.addLast(mc);
                mc = null;
                break;
            }
            if (((ValidatingManagedConnectionFactory) factory)
                    .getInvalidConnections(one)
                    .isEmpty()) {
                break;
            }
            mc.destroy();
            evicted.incrementAndGet();
        }
        if (mc == null) {
            mc = factory.createManagedConnection(null, info);
            created.incrementAndGet();
            mc.addConnectionEventListener(this);
        }
        return mc.getConnection(null, info);
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        ManagedConnection mc = (ManagedConnection) event.getSource();
        try {
            mc.cleanup();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
        idle.addFirst(mc);
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        try {
            ((ManagedConnection) event.getSource()).destroy();
        } catch (ResourceException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Destroys every idle connection: the last one closes the store. */
    void destroyIdle() throws ResourceException {
        ManagedConnection mc;
        while ((mc = idle.pollFirst()) != null) {
            mc.destroy();
        }
    }
}
