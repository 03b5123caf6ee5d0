package org.bobbob.store;

/**
 * Another transaction held the object past the lock timeout (BOB-120), or waiting for it would
 * have closed a cycle of transactions waiting for each other (a deadlock). Nothing was changed by
 * the call that throws it; its transaction stays usable (retry, or roll back).
 */
public class LockTimeoutException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** The error; {@code detail} names the object and why. */
    public LockTimeoutException(String detail) {
        super(ErrorCode.LOCK_TIMEOUT, detail);
    }
}
