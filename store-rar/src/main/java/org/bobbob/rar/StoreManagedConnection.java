package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.support.Failures;

/**
 * One pooled connection: a reference to a {@link SharedStore} plus the handles the server has
 * handed out on it. It owns no file: the store is shared with every connection for its path.
 *
 * <h2>Life cycle</h2>
 * <ol>
 *   <li>Created by {@link StoreManagedConnectionFactory#createManagedConnection}, holding one
 *       reference to the store.
 *   <li>{@link #getConnection} hands out {@link StoreConnectionHandle}s, any number, from any
 *       thread. A handle's {@code close()} fires {@code CONNECTION_CLOSED} with that handle, and
 *       the server returns this connection to its pool.
 *   <li>A fatal store error (see {@link Faults}) marks the store failed and fires
 *       {@code CONNECTION_ERROR_OCCURRED} <em>before</em> the caller sees the exception; the
 *       server then destroys this connection.
 *   <li>{@link #cleanup()} invalidates every handle still open (their later calls throw
 *       {@code StoreClosedException}) and closes their Late handles; the store stays open.
 *       Idempotent.
 *   <li>{@link #destroy()} cleans up and drops this connection's store reference: only the last
 *       reference closes the store. Idempotent.
 * </ol>
 *
 * <h2>Transactions</h2>
 * On first use, {@link #getXAResource()} and {@link #getLocalTransaction()} open the store's
 * {@link XAStoreConnection} for this connection. From then on every handle's calls go to its
 * Storer ({@link #calls()}): they join the branch the server has started on this connection's
 * XAResource (JTA), or the local transaction begun on it, and are the store's ordinary calls when
 * none is. Branch state lives in the store by Xid, so the server's TMJOIN across connections and
 * its recovery (a connection made for recovery, any connection's XAResource) work; the XAResource
 * finishes branches even after its connection is destroyed ({@link StoreXAResource}).
 * Identity equality (not overridden). Thread-safe.
 */
final class StoreManagedConnection implements ManagedConnection {
    private static final System.Logger LOG = System.getLogger(StoreManagedConnection.class.getName());

    private final StoreRegistry registry;
    private final SharedStore shared;
    private final Set<StoreConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private volatile PrintWriter logWriter;
    /** The store's XA connection for this connection, opened on first use (see the class comment). */
    private volatile XAStoreConnection xa;
    /** What {@link #getXAResource()} returns: usable for outcomes after this connection is destroyed. */
    private final StoreXAResource xaResource;
    /** Set while a local transaction ({@link StoreLocalTransaction}) is under way on this connection. */
    private volatile boolean inLocalTransaction;

    StoreManagedConnection(StoreRegistry registry, SharedStore shared) {
        this.registry = registry;
        this.shared = shared;
        this.xaResource = new StoreXAResource(this, registry, shared.target());
    }

    /** A new handle on this connection. Any number may be open at once. */
    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        checkNotDestroyed();
        StoreConnectionHandle handle = new StoreConnectionHandle(this);
        handles.add(handle);
        if (destroyed.get()) { // raced destroy(): it may have missed the handle
            handle.invalidate(this);
            throw RarErrors.destroyed(this);
        }
        return handle;
    }

    /** Moves {@code connection}, a handle of another (or this) managed connection, to this one. */
    @Override
    public void associateConnection(Object connection) throws ResourceException {
        checkNotDestroyed();
        if (!(connection instanceof StoreConnectionHandle handle)) {
            throw RarErrors.notOurHandle(connection);
        }
        StoreManagedConnection previous;
        try {
            previous = handle.moveTo(this);
        } catch (StoreClosedException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (previous != this) {
            previous.handles.remove(handle);
            handles.add(handle);
        }
    }

    /**
     * Invalidates every handle still open and closes their Late handles; the store stays open.
     *
     * @throws ResourceException if closing a Late handle failed (every handle is invalidated anyway)
     */
    @Override
    public void cleanup() throws ResourceException {
        IOException failure = null;
        for (StoreConnectionHandle handle : handles) {
            handles.remove(handle);
            failure = Failures.keepFirst(failure, handle.invalidate(this));
        }
        if (failure != null) {
            if (Faults.isFatal(failure)) {
                shared.fail(failure);
            }
            throw RarErrors.cleanupFailed(this, failure);
        }
    }

    /**
     * Cleans up and releases this connection's reference to the store; the last reference syncs
     * and closes it. Idempotent.
     *
     * @throws ResourceException if cleanup, or the final sync and close, failed (the connection
     *     is destroyed all the same)
     */
    @Override
    public void destroy() throws ResourceException {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        ResourceException failure = null;
        try {
            cleanup();
        } catch (ResourceException e) {
            failure = e;
        }
        listeners.clear();
        XAStoreConnection x = xa;
        if (x != null) {
            try {
                x.close(); // a branch still known stays in the store, by its Xid
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the XA connection of " + this + " failed", e);
            }
        }
        try {
            registry.release(shared);
        } catch (IOException e) {
            ResourceException re = RarErrors.closeFailed(shared, e);
            if (failure != null) {
                re.addSuppressed(failure);
            }
            failure = re;
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- for handles

    /**
     * The shared store, for one call by a handle.
     *
     * @throws StoreClosedException if this connection is destroyed, or the store closed or failed
     */
    ConcurrentStore store() throws StoreClosedException {
        if (destroyed.get()) {
            throw RarErrors.storeUnusable(shared.target().key(), null);
        }
        return shared.store();
    }

    /**
     * Where a handle's calls go: the store's XA connection's Storer once transactions are in use
     * on this connection (it joins the associated branch, or is the store's ordinary calls), else
     * the store.
     *
     * @throws StoreClosedException as {@link #store()}
     */
    Storer calls() throws StoreClosedException {
        ConcurrentStore store = store();
        XAStoreConnection x = xa;
        return x != null ? x.getStorer() : store;
    }

    /** What the adapter counts for this connection's store. */
    StoreCounters counters() {
        return shared.counters();
    }

    /** Whether a transaction (JTA or local) is associated with this connection now. */
    boolean inTransaction() {
        XAStoreConnection x = xa;
        return x != null && (inLocalTransaction || x.isAssociated());
    }

    void localTransaction(boolean active) {
        inLocalTransaction = active;
    }

    /** The store's XA connection for this connection, opened on first use. */
    XAStoreConnection xaConnection() throws ResourceException {
        checkNotDestroyed();
        XAStoreConnection x = xa;
        if (x != null) {
            return x;
        }
        synchronized (this) {
            if (xa == null) {
                ConcurrentStore store;
                try {
                    store = store();
                } catch (StoreClosedException e) {
                    throw new ResourceException(e.getMessage(), e);
                }
                if (!store.isWrapperFor(TransactionalStore.class)) {
                    throw RarErrors.transactionsUnavailable(store, null);
                }
                try {
                    xa = store.unwrap(TransactionalStore.class).openXAConnection();
                } catch (IOException e) {
                    throw RarErrors.transactionsUnavailable(store, e);
                }
            }
            return xa;
        }
    }

    /** {@code handle} was closed by its user: forget it and tell the server. */
    void handleClosed(StoreConnectionHandle handle) {
        handles.remove(handle);
        fire(ConnectionEvent.CONNECTION_CLOSED, handle, null);
    }

    /**
     * {@code handle}'s call failed with {@code e}. If the error is fatal (see {@link Faults}), marks
     * the store failed and fires {@code CONNECTION_ERROR_OCCURRED}; the caller throws {@code e}
     * afterwards.
     */
    void reportFailure(StoreConnectionHandle handle, IOException e) {
        if (!Faults.isFatal(e)) {
            return;
        }
        shared.fail(e);
        fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, handle, e);
    }

    /** {@code handle} could not close its Late handles: a fatal error fails the store. */
    void reportCloseFailure(StoreConnectionHandle handle, IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the Late handles of a connection handle failed", e);
        if (Faults.isFatal(e)) {
            shared.fail(e);
        }
    }

    /**
     * Not destroyed, and its store open and not failed. No I/O (the server validates on every
     * match); a store whose file went away is marked failed by the periodic check.
     */
    boolean isValid() {
        return !destroyed.get() && shared.isUsable();
    }

    /** Whether this live connection can serve {@code target}: same store and kind. */
    boolean serves(StoreTarget target) {
        return !destroyed.get() && shared.target().sameStore(target);
    }

    /** Handles open now (for tests and toString). */
    int openHandles() {
        return handles.size();
    }

    /** Tells the server's listeners of event {@code type} on {@code handle}. */
    void fire(int type, StoreConnectionHandle handle, Exception cause) {
        ConnectionEvent event =
                cause == null ? new ConnectionEvent(this, type) : new ConnectionEvent(this, type, cause);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            try {
                switch (type) {
                    case ConnectionEvent.CONNECTION_CLOSED -> listener.connectionClosed(event);
                    case ConnectionEvent.LOCAL_TRANSACTION_STARTED -> listener.localTransactionStarted(event);
                    case ConnectionEvent.LOCAL_TRANSACTION_COMMITTED -> listener.localTransactionCommitted(event);
                    case ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK -> listener.localTransactionRolledback(event);
                    default -> listener.connectionErrorOccurred(event);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "connection event listener " + listener + " failed", e);
            }
        }
    }

    /** Whether {@link #destroy()} has begun. */
    boolean isDestroyed() {
        return destroyed.get();
    }

    private void checkNotDestroyed() throws ResourceException {
        if (destroyed.get()) {
            throw RarErrors.destroyed(this);
        }
    }

    // ---------------------------------------------------------------- the rest of ManagedConnection

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    /**
     * The store's XA resource for this connection (see the class comment).
     *
     * @throws jakarta.resource.NotSupportedException BOB-633 if the store offers no transactions
     */
    @Override
    public XAResource getXAResource() throws ResourceException {
        xaConnection(); // refuses a store without transactions
        return xaResource;
    }

    /**
     * A local transaction on this connection: one branch of the store, committed in one phase.
     *
     * @throws jakarta.resource.NotSupportedException BOB-633 if the store offers no transactions
     */
    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        return new StoreLocalTransaction(this, xaConnection());
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new StoreManagedConnectionMetaData();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "StoreManagedConnection@" + Integer.toHexString(System.identityHashCode(this)) + "["
                + shared.target().key() + ", handles=" + handles.size() + (destroyed.get() ? ", destroyed" : "") + "]";
    }
}
