package org.bobbob.rar;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.Errors;
import org.bobbob.store.ForwardingStorer;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.support.CapabilityProxy;

/**
 * The {@link StoreConnection} applications hold: a thin facade that checks the handle is open,
 * calls the shared store, and reports fatal errors to its managed connection before throwing
 * them. See {@link StoreConnection} for the guarantees.
 *
 * <p>Thread-safety: the owner is an atomic reference, because {@code close()} (the application,
 * any thread), {@code cleanup()} and {@code associateConnection()} (the server) race on it.
 * Invalidation clears the owner before it closes the Late handles ({@link LateHandles} says why
 * none outlives its connection handle).
 */
final class StoreConnectionHandle extends ForwardingStorer implements StoreConnection {
    /** The managed connection this handle belongs to; null once closed or invalidated. */
    private final AtomicReference<StoreManagedConnection> owner;
    /** Late handles opened through this handle and not yet closed. */
    private final LateHandles late = new LateHandles(this);

    StoreConnectionHandle(StoreManagedConnection owner) {
        this.owner = new AtomicReference<>(owner);
    }

    private StoreManagedConnection owner() throws StoreClosedException {
        StoreManagedConnection mc = owner.get();
        if (mc == null) {
            throw RarErrors.handleClosed();
        }
        return mc;
    }

    /** Runs {@code call} on the shared store; a fatal error is reported before it is thrown. */
    @Override
    protected <T> T call(StoreCall<T> call) throws IOException {
        StoreManagedConnection mc = owner();
        try {
            return call.apply(mc.store());
        } catch (IOException e) {
            mc.reportFailure(this, e);
            throw e;
        }
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        return late.writer(call(s -> s.lateWriteNewObj(size)));
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        return late.reader(call(s -> s.lateReadObj(id)));
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        return late.writer(call(s -> s.writeToObj(id)));
    }

    /**
     * This handle for {@code StoreConnection}/{@code Storer}/{@code Object}; for another interface
     * the shared store offers (e.g. {@code StatisticsProvider}), a view of that interface only that
     * works while this handle is open: afterwards its methods throw {@link StoreClosedException}
     * where they declare it, else {@link IllegalStateException}. Never the store itself or another
     * {@code Storer}.
     *
     * @throws org.bobbob.store.UnsupportedCapabilityException for classes, {@code Storer}s and
     *     interfaces the store does not offer
     * @throws StoreClosedException if this handle or the store is closed
     */
    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        StoreManagedConnection mc = owner();
        if (!CapabilityProxy.offerable(capability)) {
            throw Errors.unsupported(this, capability);
        }
        T target = mc.store().unwrap(capability);
        return CapabilityProxy.of(capability, call -> {
            if (!isOpen()) {
                throw RarErrors.handleClosed();
            }
            return call.on(target);
        }, () -> "View[" + target + "]");
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        if (capability == null) {
            return false;
        }
        if (capability.isInstance(this)) {
            return true;
        }
        StoreManagedConnection mc = owner.get();
        try {
            return mc != null && CapabilityProxy.offerable(capability) && mc.store().isWrapperFor(capability);
        } catch (StoreClosedException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public boolean isOpen() {
        return owner.get() != null;
    }

    /** Closes the Late handles still open, then releases this handle to the pool. Idempotent. */
    @Override
    public void close() {
        StoreManagedConnection mc = owner.getAndSet(null);
        if (mc == null) {
            return;
        }
        IOException failure = late.closeAll();
        if (failure != null) {
            mc.reportCloseFailure(this, failure);
        }
        mc.handleClosed(this);
    }

    /**
     * Invalidates this handle if it still belongs to {@code from} (the server's cleanup): no
     * event is fired. Returns the failure of closing its Late handles, or null.
     */
    IOException invalidate(StoreManagedConnection from) {
        return owner.compareAndSet(from, null) ? late.closeAll() : null;
    }

    /**
     * Gives this handle to {@code to} (the server's {@code associateConnection}).
     *
     * @return the previous owner
     * @throws StoreClosedException if the handle is closed
     */
    StoreManagedConnection moveTo(StoreManagedConnection to) throws StoreClosedException {
        StoreManagedConnection previous;
        do {
            previous = owner();
        } while (!owner.compareAndSet(previous, to));
        return previous;
    }

    /** A Late handle's call failed with {@code e}: tell the managed connection (see {@link Faults}). */
    void reportFailure(IOException e) {
        StoreManagedConnection mc = owner.get();
        if (mc != null) {
            mc.reportFailure(this, e);
        }
    }

    @Override
    public String toString() {
        StoreManagedConnection mc = owner.get();
        return "StoreConnection[" + (mc == null ? "closed" : mc) + ", late handles=" + late.size() + "]";
    }
}
