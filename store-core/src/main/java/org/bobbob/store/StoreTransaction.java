package org.bobbob.store;

import java.io.IOException;

/**
 * A local transaction: a {@link Storer} whose every call (Late handles and streams included) is part
 * of the transaction, until {@link #commit()} or {@link #rollback()}. See
 * {@link TransactionalStore} for atomicity, isolation and durability.
 *
 * <h2>Calls inside</h2>
 * <ul>
 *   <li>New objects ({@link #newObj}, {@link #lateWriteNewObj}, {@link #writeNewObjFromBytes}) get
 *       their ids at once; nobody else finds them before the commit.
 *   <li>The first write to an existing object ({@link #writeToObj}, {@link #writeBytesToObj},
 *       {@link #writeBatchedObjs}) takes it exclusively (waiting up to the lock timeout) and copies
 *       it to a shadow, which later writes and reads of the transaction use; a write of the whole
 *       object needs no copy. Inside a transaction, the ids of {@link #writeBatchedObjs} need not
 *       lie back to back.
 *   <li>{@link #deleteObj} takes the object exclusively; the transaction no longer finds it; others
 *       do until the commit.
 *   <li>{@link #sync()} throws {@link IllegalStateException}: the commit is the durability point.
 *   <li>{@link #primeObject} is not transactional: it is the store's own call.
 * </ul>
 *
 * <p>One thread at a time: a transaction is not thread-safe, but it may be committed, rolled back
 * or closed by another thread than the one that began it. Handles opened in it must be closed
 * before {@link #commit()}; ones still open are closed by it (a writer's bytes up to then count).
 */
public interface StoreTransaction extends Storer {

    /**
     * Makes the transaction's changes visible and durable together, then releases its objects.
     *
     * @throws StoreException BOB-121 if the transaction has ended (committed, rolled back,
     *     closed); BOB-207 if the sync failed: the commit is decided (others see it) and becomes
     *     durable at the next successful sync or commit, and calling {@code commit()} again
     *     retries that sync
     */
    void commit() throws IOException;

    /**
     * Undoes the transaction: its new objects are deleted, its shadows dropped, its objects
     * released. Their space is reusable after the next sync.
     *
     * @throws StoreException BOB-121 if the transaction has ended
     */
    void rollback() throws IOException;

    /** Whether neither {@link #commit()} nor {@link #rollback()} has completed, nor {@link #close()}. */
    boolean isActive();

    /** Rolls back if the transaction is still active; otherwise does nothing. Idempotent. */
    @Override
    void close() throws IOException;
}
