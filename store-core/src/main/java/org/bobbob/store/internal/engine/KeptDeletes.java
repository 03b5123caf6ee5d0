package org.bobbob.store.internal.engine;

import java.io.IOException;

/**
 * An engine-internal capability, which {@link LockingStore} finds on the store it wraps directly
 * (as it finds {@link SelfGuardedWrites}): deleting an object while handles still use it, without
 * waiting for them. The object is gone at once for every look-up (and its delete is in the next
 * sync), but its space stays as it is, neither reused nor even parked, until
 * {@link #releaseKept}: the handles keep reading (and writing) the bytes they opened, and nothing
 * new can be placed there under them. {@link FileStore} offers it; a wrapper must not pass it
 * through.
 */
interface KeptDeletes {

    /**
     * Deletes object {@code id}, keeping its space until {@link #releaseKept}{@code (id)}.
     *
     * @throws org.bobbob.store.ObjectNotFoundException if {@code id} is not a live object
     */
    void deleteKeepingSpace(long id) throws IOException;

    /**
     * The last handle on an object that {@link #deleteKeepingSpace} deleted has closed: its space
     * becomes reusable after the next sync, like any deleted object's. A no-op for other ids.
     */
    void releaseKept(long id);
}
