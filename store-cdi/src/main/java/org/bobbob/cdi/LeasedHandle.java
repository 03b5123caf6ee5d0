package org.bobbob.cdi;

import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
import org.bobbob.store.support.ForwardingObjectWriter;
import org.bobbob.store.support.HandleHooks;

/**
 * A Late handle ({@link ObjectWriter} or {@link ObjectReader}) opened through the injected
 * {@code Storer}: it holds the connection it was opened on until it is closed, then closes the
 * store's handle (the finisher: object lock, disk token) and gives the connection back, in that
 * order, even if the finisher fails. The handles are store-core's forwarding handles with these
 * hooks: one thread at a time, {@code close()} from any thread, idempotent.
 *
 * <p>A handle that is never closed keeps its pooled connection; in a server the pool reports it
 * (and may reclaim it at the end of the request), so always use try-with-resources.
 */
final class LeasedHandle implements HandleHooks {
    private final ConnectionSource.Lease lease;

    private LeasedHandle(ConnectionSource.Lease lease) {
        this.lease = lease;
    }

    /** {@code writer}, holding {@code lease} until it is closed. */
    static ObjectWriter writer(ObjectWriter writer, ConnectionSource.Lease lease) {
        return new ForwardingObjectWriter(writer, new LeasedHandle(lease));
    }

    /** {@code reader}, holding {@code lease} until it is closed. */
    static ObjectReader reader(ObjectReader reader, ConnectionSource.Lease lease) {
        return new ForwardingObjectReader(reader, new LeasedHandle(lease));
    }

    /** The store's handle is closed (its close runs once): give the connection back. */
    @Override
    public void closed(ForwardingHandle<?> handle) {
        lease.close();
    }
}
