package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal pool that behaves as IronJacamar does where the adapter can tell: it matches idle
 * connections through the factory, cleans a connection up when its handle closes and keeps it,
 * destroys it on an error event, and records every event. Thread-safe.
 */
final class FakePool implements ConnectionManager, ConnectionEventListener {
    private static final long serialVersionUID = 1L;

    private final List<ManagedConnection> idle = new ArrayList<>();
    private final Set<ManagedConnection> inUse = new HashSet<>();
    final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    private int created;
    private int destroyed;

    @Override
    public synchronized Object allocateConnection(ManagedConnectionFactory factory, ConnectionRequestInfo info)
            throws ResourceException {
        ManagedConnection mc = idle.isEmpty() ? null : factory.matchManagedConnections(new HashSet<>(idle), null, info);
        if (mc != null) {
            idle.remove(mc);
        } else {
            mc = factory.createManagedConnection(null, info);
            mc.addConnectionEventListener(this);
            created++;
        }
        inUse.add(mc);
        return mc.getConnection(null, info);
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        events.add(event);
        ManagedConnection mc = (ManagedConnection) event.getSource();
        try {
            mc.cleanup();
        } catch (ResourceException e) {
            throw new AssertionError(e);
        }
        synchronized (this) {
            inUse.remove(mc);
            idle.add(mc);
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        events.add(event);
        ManagedConnection mc = (ManagedConnection) event.getSource();
        synchronized (this) {
            inUse.remove(mc);
            idle.remove(mc);
            destroyed++;
        }
        try {
            mc.destroy();
        } catch (ResourceException e) {
            throw new AssertionError(e);
        }
    }

    synchronized int created() {
        return created;
    }

    synchronized int destroyed() {
        return destroyed;
    }

    synchronized int inUse() {
        return inUse.size();
    }

    List<ConnectionEvent> events(int type) {
        return events.stream().filter(e -> e.getId() == type).toList();
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
        events.add(event); // the application's own local transactions (StoreConnection.getLocalTransaction)
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
        events.add(event); // the application's own local transactions (StoreConnection.getLocalTransaction)
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
        events.add(event); // the application's own local transactions (StoreConnection.getLocalTransaction)
    }
}
