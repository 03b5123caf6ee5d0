package org.bobbob.store.internal.engine;

import org.bobbob.store.support.SelfGuardedCreates;

/**
 * An engine-internal capability, which {@link LockingStore} finds on the store it wraps directly
 * (never through {@code unwrap}, which would follow a delegating wrapper down to the engine): the store
 * guards its allocator with a lock of its own, held only for the allocation itself, so a new object
 * written in one call needs neither a caller's global allocation lock nor a handle. The
 * {@link LockingStore} uses it for {@code writeNewObjFromBytes} and {@code newObj} (one allocation
 * and one zero-fill, as one step no commit splits). {@link FileStore} offers it; a
 * wrapper must not pass it through (its own guards would be skipped).
 *
 * <p>The engine's case of {@link SelfGuardedCreates}, which the wrapper looks for: its
 * {@code writeNewObjFromBytes} is one allocation under the store's own lock and one write, the
 * object freed if the write fails; safe concurrently with any other call.
 */
interface SelfGuardedWrites extends SelfGuardedCreates {}
