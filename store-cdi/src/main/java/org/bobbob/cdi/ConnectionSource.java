package org.bobbob.cdi;

import java.io.IOException;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;

/**
 * Where the injected {@link Storer} takes a connection for each operation. Thread-safe.
 *
 * <ul>
 *   <li>{@link JndiSource}: a pooled {@code StoreConnection} from the server's connection factory;
 *       giving the lease back closes the connection, which returns it to the pool.
 *   <li>{@link EmbeddedSource}: the one thread-safe store this module opened; giving the lease back
 *       does nothing.
 * </ul>
 */
interface ConnectionSource {

    /**
     * A connection for one operation (or one Late handle). The caller must close the lease, once.
     *
     * @throws StoreException naming the configuration key: no connection factory, no connection,
     *     the store cannot be opened, or it was closed with its container
     */
    Lease acquire() throws StoreException;

    /**
     * Releases what this source opened itself (an embedded store: synced and closed); a server's
     * connection factory is not this module's to close. Idempotent; later acquires fail with
     * {@code StoreClosedException}.
     *
     * @throws java.io.IOException if the final sync or close fails (the store is closed all the same)
     */
    void close() throws IOException;

    /** One connection, held until {@link #close()}. Not thread-safe; {@code close()} never throws. */
    final class Lease implements AutoCloseable {
        private static final Runnable KEEP = () -> {};

        private final Storer storer;
        private final Runnable release;

        private Lease(Storer storer, Runnable release) {
            this.storer = storer;
            this.release = release;
        }

        /** A lease that gives {@code storer} back by running {@code release}, which must not throw. */
        static Lease of(Storer storer, Runnable release) {
            return new Lease(storer, release);
        }

        /** A lease on a store that outlives it: giving it back does nothing. */
        static Lease borrowed(Storer storer) {
            return new Lease(storer, KEEP);
        }

        /** The connection. Valid until {@link #close()}. */
        Storer storer() {
            return storer;
        }

        /** Gives the connection back. */
        @Override
        public void close() {
            release.run();
        }
    }
}
