package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.cci.LocalTransaction;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.support.CapabilityProxy;
import org.bobbob.store.support.ForwardingStorer;

/**
 * The {@link StoreConnection} applications hold: a thin facade that checks the handle is open,
 * calls the shared store, and reports fatal errors to its managed connection before throwing
 * them; a call that returns normally is counted in the store's {@link StoreCounters} (for
 * {@link StoreStatistics}). See {@link StoreConnection} for the guarantees.
 *
 * <p>Thread-safety: the owner is an atomic reference, because {@code close()} (the application,
 * any thread), {@code cleanup()} and {@code associateConnection()} (the server) race on it.
 * Invalidation clears the owner before it closes the Late handles ({@link LateHandles} says why
 * none outlives its connection handle).
 */
final class StoreConnectionHandle extends ForwardingStorer implements StoreConnection {
    /** The managed connection this handle belongs to; null once closed or invalidated. */
    private final AtomicReference<StoreManagedConnection> owner;
    /**
     * What the adapter counts for the store: the calls below count after they return normally.
     * Fixed at creation: the server moves a handle only between connections of one pool, which
     * serve one store.
     */
    private final StoreCounters counters;
    /** Late handles opened through this handle and not yet closed. */
    private final LateHandles late;

    StoreConnectionHandle(StoreManagedConnection owner) {
        this.owner = new AtomicReference<>(owner);
        this.counters = owner.counters();
        this.late = new LateHandles(this, counters);
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
            return call.apply(mc.calls());
        } catch (IOException e) {
            mc.reportFailure(this, e);
            throw e;
        }
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        StoreManagedConnection mc = owner.get();
        if (mc == null) {
            StoreClosedException closed = RarErrors.handleClosed();
            throw new ResourceException(closed.getMessage(), closed);
        }
        return new ApplicationLocalTransaction(mc, this);
    }

    // ---------------------------------------------------------------- Storer

    /**
     * As the store's, outside transactions.
     *
     * @throws StoreException BOB-632 inside a transaction: its commit is the durability point
     */
    @Override
    public void sync() throws IOException {
        if (owner().inTransaction()) {
            throw RarErrors.syncInTransaction();
        }
        long start = System.nanoTime();
        call(s -> {
            s.sync();
            return null;
        });
        counters.synced(System.nanoTime() - start);
    }

    @Override
    public long newObj(int size) throws IOException {
        long id = super.newObj(size);
        counters.written(1, 0);
        return id;
    }

    @Override
    public void deleteObj(long id) throws IOException {
        super.deleteObj(id);
        counters.deletes.increment();
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        super.writeBatchedObjs(ids, data, sizes);
        long bytes = 0;
        for (int size : sizes) {
            bytes += size;
        }
        counters.written(ids.length, bytes);
    }

    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        long id = super.writeNewObjFromBytes(data);
        counters.written(1, data.length);
        return id;
    }

    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        byte[] bytes = super.readBytesFromObj(id);
        counters.read(bytes.length);
        return bytes;
    }

    @Override
    public void writeBytesToObj(long id, byte[] data) throws IOException {
        super.writeBytesToObj(id, data);
        counters.written(1, data.length);
    }

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

    // ---------------------------------------------------------------- capabilities: ForwardingStorer's rule

    @Override
    protected void checkOpen() throws StoreClosedException {
        owner();
    }

    /**
     * A view of the shared store's {@code capability} that works while this handle is open;
     * afterwards its methods throw {@link StoreClosedException} where they declare it, else
     * {@link IllegalStateException}.
     */
    @Override
    protected <T> T view(Class<T> capability) throws StoreException {
        T target = owner().store().unwrap(capability);
        return CapabilityProxy.of(
                capability,
                call -> {
                    if (!isOpen()) {
                        throw RarErrors.handleClosed();
                    }
                    return call.on(target);
                },
                () -> "View[" + target + "]");
    }

    @Override
    protected boolean storeOffers(Class<?> capability) {
        StoreManagedConnection mc = owner.get();
        try {
            return mc != null && mc.store().isWrapperFor(capability);
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
