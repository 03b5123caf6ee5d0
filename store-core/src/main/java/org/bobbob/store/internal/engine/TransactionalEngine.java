package org.bobbob.store.internal.engine;

import java.io.IOException;
import org.bobbob.store.internal.tx.TxManager;

/**
 * An engine that keeps transactions in its records (the file engine). Internal: the
 * {@link LockingStore} over it asks for its one {@link TxManager}, made with the locking store as
 * the front that calls outside transactions go through.
 */
interface TransactionalEngine {

    /**
     * The store's transaction manager, made on the first call with {@code front} (null: the bare
     * store is its own front) and the same one afterwards.
     */
    TxManager transactions(LockingStore front) throws IOException;
}
