package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/**
 * The server binds this in JNDI: every {@link #getConnection()} goes to the server's
 * {@link ConnectionManager} (its pool), which asks {@link StoreManagedConnectionFactory} for
 * managed connections. Thread-safe.
 */
final class StoreConnectionFactoryImpl implements StoreConnectionFactory {
    private static final long serialVersionUID = 1L;

    private final StoreManagedConnectionFactory factory;
    private final ConnectionManager manager;
    /** Set by the server when it binds this factory; guarded by {@code this}. */
    private Reference reference;

    StoreConnectionFactoryImpl(StoreManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    @Override
    public StoreConnection getConnection() throws ResourceException {
        return (StoreConnection) manager.allocateConnection(factory, null);
    }

    @Override
    public synchronized void setReference(Reference reference) {
        this.reference = reference;
    }

    /** The reference the server set, else one naming this class; never null. */
    @Override
    public synchronized Reference getReference() {
        return reference != null ? reference : new Reference(StoreConnectionFactory.class.getName());
    }

    @Override
    public String toString() {
        return "StoreConnectionFactory[path=" + factory.getPath() + ", kind=" + factory.getKind() + "]";
    }
}
