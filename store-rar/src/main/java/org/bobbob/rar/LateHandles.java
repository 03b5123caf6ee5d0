package org.bobbob.rar;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.support.Failures;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
import org.bobbob.store.support.ForwardingObjectWriter;
import org.bobbob.store.support.HandleHooks;

/**
 * The Late handles ({@link ObjectWriter}, {@link ObjectReader}) opened through one connection
 * handle, and their hooks: each is tracked until it is closed, so that closing or invalidating the
 * connection handle closes it too (releasing its object lock and disk token), and its fatal I/O
 * errors are reported to the connection before they are thrown; each is counted in the store's
 * {@link StoreCounters} (one read or write when opened, its bytes as it moves them, open until
 * closed). The handles themselves are
 * store-core's forwarding handles: one thread at a time, {@code close()} from any thread,
 * idempotent.
 *
 * <p>Thread-safety: a handle is added to {@link #open} <em>before</em> the connection handle is
 * re-checked, and invalidation clears the connection handle's owner before it closes
 * {@link #open}; so either the invalidation sees a new Late handle, or the opener sees the
 * connection handle closed, and no Late handle outlives its connection handle.
 */
final class LateHandles implements HandleHooks {
    private final StoreConnectionHandle connection;
    private final Set<ForwardingHandle<?>> open = ConcurrentHashMap.newKeySet();
    /** The store's counters: one write or read per handle opened, the bytes it moves, the open ones. */
    private final StoreCounters counters;

    LateHandles(StoreConnectionHandle connection, StoreCounters counters) {
        this.connection = connection;
        this.counters = counters;
    }

    /** {@code writer}, tracked until it is closed; counted as one write. */
    ObjectWriter writer(ObjectWriter writer) throws StoreClosedException {
        ObjectWriter w = add(new ForwardingObjectWriter(writer, this));
        counters.writes.increment();
        return w;
    }

    /** {@code reader}, tracked until it is closed; counted as one read. */
    ObjectReader reader(ObjectReader reader) throws StoreClosedException {
        ObjectReader r = add(new ForwardingObjectReader(reader, this));
        counters.reads.increment();
        return r;
    }

    private <H extends ForwardingHandle<?>> H add(H handle) throws StoreClosedException {
        counters.openLateHandles.increment(); // before anything can close it: closed() counts it down
        open.add(handle);
        if (!connection.isOpen()) { // invalidated meanwhile: do not leak the object lock
            throw Failures.closeAfter(RarErrors.handleClosed(), handle);
        }
        return handle;
    }

    /**
     * Closes every open Late handle; returns the first failure (later ones suppressed), or null.
     * Called once the connection handle is closed, so nothing is reported to the connection.
     */
    IOException closeAll() {
        return Failures.closeAll(open);
    }

    int size() {
        return open.size();
    }

    /** Reports {@code failure} to the connection (see {@link Faults}) and returns it, to be thrown. */
    @Override
    public IOException failed(ForwardingHandle<?> handle, IOException failure) {
        connection.reportFailure(failure);
        return failure;
    }

    @Override
    public void transferred(ForwardingHandle<?> handle, int bytes) {
        (handle instanceof ObjectReader ? counters.bytesRead : counters.bytesWritten).add(bytes);
    }

    @Override
    public void closed(ForwardingHandle<?> handle) {
        open.remove(handle);
        counters.openLateHandles.decrement();
    }
}
