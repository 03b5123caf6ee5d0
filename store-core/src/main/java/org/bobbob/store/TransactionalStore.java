package org.bobbob.store;

import java.io.IOException;

/**
 * Transactions over a store, shaped like JDBC's {@code Connection} (local transactions) and
 * {@code XAConnection} (two-phase commit with a transaction manager). Reached with
 * {@code store.unwrap(TransactionalStore.class)} on a {@link ConcurrentStore} over a file store
 * (what {@link StoreManager#open} returns), and on the bare file stores of {@link BasicStore} and
 * {@link MultiStore}.
 *
 * <h2>What holds</h2>
 * <ul>
 *   <li><b>Atomicity.</b> A transaction's creates, overwrites and deletes become visible and durable
 *       together at commit. After a rollback, or a crash before the commit was durable, none of
 *       them happened, and the space they took is free again (reusable after the next sync).
 *   <li><b>Isolation.</b> Others read the committed content until the commit; a transaction reads
 *       its own changes. Objects it creates are not found by anyone else before the commit. An
 *       object it overwrites or deletes is held exclusively until it ends: another transaction's
 *       write or delete of it, and a non-transactional one, waits up to the lock timeout (URL key
 *       {@code lockTimeoutMillis}, default 10 000) and then throws {@link LockTimeoutException}
 *       (BOB-120), which leaves both transactions usable. A wait that would close a cycle (a
 *       deadlock) throws at once.
 *   <li><b>Overwrites</b> go to a shadow copy; the committed bytes are untouched until the commit is
 *       durable, then the shadow is copied over them. A crash during that copy is finished by the
 *       next open, so a committed object is never torn.
 *   <li><b>Durability.</b> {@link StoreTransaction#commit()} returns once the transaction is durable.
 *       Commits running at the same time share their writes to the disk (group commit). Calls outside a
 *       transaction keep their meaning: durable at the next {@link Storer#sync()}.
 *   <li><b>Recovery.</b> Opening a store finishes what a crash interrupted before it returns:
 *       transactions that were not committed are rolled back, a commit that was durable but not
 *       yet copied over its objects is copied again, and prepared XA branches stay in doubt (their
 *       objects held, see {@link XAStoreConnection}) until a transaction manager decides them.
 * </ul>
 *
 * <h2>Over a bare store</h2>
 * On a {@link ConcurrentStore} (what {@link StoreManager#open} returns) calls made outside
 * transactions wait for objects a transaction holds and do not find objects it created. On a bare
 * {@code BasicStore} or {@code MultiStore} they do neither: the bare store's rule (threads do not
 * share objects) applies between transactions and calls made on the store itself.
 *
 * <p>Thread-safe. The transactions and connections it returns say what they allow.
 */
public interface TransactionalStore {

    /**
     * Begins a local transaction.
     *
     * @throws StoreClosedException if the store is closed
     */
    StoreTransaction begin() throws IOException;

    /**
     * Opens a connection for a transaction manager: an {@code XAResource} and a {@link Storer}
     * whose calls join the branch started on it.
     *
     * @throws StoreClosedException if the store is closed
     */
    XAStoreConnection openXAConnection() throws IOException;

    /** How many transactions are active and how many XA branches are in doubt, now. */
    TransactionCounts transactionCounts();
}
