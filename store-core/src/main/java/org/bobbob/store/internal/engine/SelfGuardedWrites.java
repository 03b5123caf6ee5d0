package org.bobbob.store.internal.engine;

import java.io.IOException;

/**
 * An engine-internal capability, which {@link LockingStore} finds on the store it wraps directly
 * (never through {@code unwrap}, which would follow a delegating wrapper down to the engine): the store
 * guards its allocator with a lock of its own, held only for the allocation itself, so a new object
 * written in one call needs neither a caller's global allocation lock nor a handle. The
 * {@link LockingStore} uses it for {@code writeNewObjFromBytes}. {@link FileStore} offers it; a
 * wrapper must not pass it through (its own guards would be skipped).
 */
interface SelfGuardedWrites {

    /**
     * As {@link org.bobbob.store.Storer#writeNewObjFromBytes}: one allocation under the store's own
     * lock, one write, the object freed if the write fails; safe concurrently with any other call.
     */
    long writeNewObjFromBytes(byte[] data) throws IOException;
}
