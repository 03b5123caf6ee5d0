package org.bobbob.cdi;

import jakarta.resource.ResourceException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.StoreException;

/**
 * Connections from the resource adapter's {@link StoreConnectionFactory}, looked up in JNDI on
 * first use (not at deployment: the adapter may bind it after the application's CDI container has
 * booted). A failed lookup is not remembered; the next call tries again. This is the only class
 * that links against {@code org.bobbob.rar}: it is created only for {@link StoreSettings.Source#JNDI}
 * stores, after {@link StoreSettings} has checked that the adapter's classes are visible, so
 * embedded stores work without them.
 *
 * <p>Thread-safe. Each {@link #acquire()} takes one pooled connection; closing the lease closes it,
 * which gives it back to the pool (a {@code StoreConnection}'s close never throws).
 */
final class JndiSource implements ConnectionSource {
    private final StoreSettings settings;
    /**
     * Null until the first successful lookup. Racing lookups find the same object, so a plain
     * volatile write is enough; volatile publishes the factory to other request threads.
     */
    private volatile StoreConnectionFactory factory;

    JndiSource(StoreSettings settings) {
        this.settings = settings;
    }

    @Override
    public Lease acquire() throws StoreException {
        StoreConnection connection;
        try {
            connection = factory().getConnection();
        } catch (ResourceException e) {
            throw CdiErrors.noConnection(settings, e);
        }
        return Lease.of(connection, connection::close);
    }

    private StoreConnectionFactory factory() throws StoreException {
        StoreConnectionFactory f = factory;
        if (f == null) {
            f = lookup();
            factory = f;
        }
        return f;
    }

    private StoreConnectionFactory lookup() throws StoreException {
        Object found;
        try {
            InitialContext context = new InitialContext();
            try {
                found = context.lookup(settings.target());
            } finally {
                context.close();
            }
        } catch (NamingException e) {
            throw CdiErrors.lookupFailed(settings, e);
        }
        if (found instanceof StoreConnectionFactory f) {
            return f;
        }
        throw CdiErrors.notAFactory(settings, found);
    }

    /** Nothing to do: the factory and its pool belong to the server. */
    @Override
    public void close() {
        // the server owns the connection factory
    }

    @Override
    public String toString() {
        return "JNDI " + settings;
    }
}
