package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.cci.LocalTransaction;
import org.bobbob.store.Storer;

/**
 * A connection handle from a {@link StoreConnectionFactory}: a {@link Storer} over the store that
 * every connection for the same path shares.
 *
 * <pre>{@code
 * @Resource(lookup = "java:/bobbob/DefaultStore") StoreConnectionFactory stores;
 *
 * try (StoreConnection store = stores.getConnection()) {
 *     long id = store.writeNewObjFromBytes(bytes);
 * }                                                   // back to the pool; the store stays open
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #close()} releases the handle to the pool and closes the Late handles
 *       ({@code ObjectWriter}/{@code ObjectReader}) still open through it. It never closes the
 *       shared store, never throws, and is idempotent.
 *   <li>Any call on a closed handle, or on one the server invalidated (at the end of a request,
 *       when its pool is flushed, or when the adapter stops), throws
 *       {@link org.bobbob.store.StoreClosedException}.
 *   <li>Safe for use from several threads (the shared store is a {@code ConcurrentStore}); each
 *       Late handle, as in store-core, is for one thread at a time.
 *   <li>{@link #sync()} makes durable everything done on the shared store so far, by every
 *       connection for that path.
 *   <li>{@link #unwrap} offers the store's optional capabilities (statistics, object info, run
 *       allocation) as views that work while this handle is open. It never returns the shared
 *       store itself, nor any other {@code Storer}, so nothing can close it from here.
 *   <li>An I/O error or a corrupted file is reported to the server before it is thrown, so the
 *       server discards the connection; the store is then reopened once no connection uses it.
 * </ul>
 */
public interface StoreConnection extends Storer {

    /** Releases this handle to the pool (see the class comment). Idempotent; never throws. */
    @Override
    void close();

    /** Whether this handle can still be used: not closed, not invalidated by the server. */
    boolean isOpen();

    /**
     * A local transaction the application demarcates on this handle's connection (the Connectors
     * CCI {@code LocalTransaction}), for code that runs without JTA: between {@code begin()} and
     * {@code commit()} or {@code rollback()}, the calls of every handle of the connection are one
     * transaction of the store, as in store-core's {@code StoreTransaction} (all or nothing,
     * durable at the commit, unseen by other connections until then). The server is told with
     * {@code LOCAL_TRANSACTION_STARTED}, {@code _COMMITTED} and {@code _ROLLEDBACK} connection
     * events. Its {@code begin()} throws {@code LocalTransactionException} BOB-634 if the
     * connection is in a transaction already (JTA or local). For one thread at a time.
     *
     * @throws jakarta.resource.NotSupportedException BOB-633 if the store offers no transactions
     * @throws ResourceException if this handle is closed
     */
    LocalTransaction getLocalTransaction() throws ResourceException;
}
