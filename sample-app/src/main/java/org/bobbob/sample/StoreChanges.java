package org.bobbob.sample;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;

/**
 * The objects a JTA transaction of {@link Blobs} creates and drops, kept in step with its rows
 * whether or not the store takes part in the transaction.
 *
 * <ul>
 *   <li><b>A store that takes part</b> (a file store: the launcher deploys the adapter as
 *       {@code XATransaction}, and the store offers {@link TransactionalStore}): a new object
 *       commits or rolls back with the rows, and {@link #dropped} deletes the object in the
 *       transaction.
 *   <li><b>A store that does not</b> (an {@code s3} store, deployed {@code NoTransaction}: every
 *       call is applied at once): {@link #created} deletes the new object after the transaction
 *       if it did not commit, and {@link #dropped} deletes the old object only after it committed.
 *       So a committed row never names a deleted object. What a crash between the row's commit
 *       and a deletion leaves is an object no row names (an orphan, logged when a deletion
 *       fails), never a row without its object.
 * </ul>
 *
 * Thread-safe; every method must run inside a JTA transaction.
 */
@ApplicationScoped
public class StoreChanges {
    private static final Logger LOG = Logger.getLogger(StoreChanges.class.getName());

    @Inject
    Storer storer;

    @Resource
    TransactionSynchronizationRegistry registry;

    /** Asked once: whether the store joins transactions does not change while the app runs. */
    private volatile Boolean joinsTransactions;

    /** {@code true} if the store's changes commit and roll back with the caller's transaction. */
    public boolean joinsTransactions() {
        Boolean joins = joinsTransactions;
        if (joins == null) {
            joins = storer.isWrapperFor(TransactionalStore.class);
            joinsTransactions = joins;
        }
        return joins;
    }

    /** Object {@code id} was created in the current transaction: it stays only if the transaction commits. */
    public void created(long id) {
        if (!joinsTransactions()) {
            afterCompletion(id, false, "its transaction did not commit");
        }
    }

    /**
     * The current transaction's rows no longer name object {@code id}: it is deleted with the
     * transaction, or after the transaction commits.
     *
     * @throws IOException from the store, when it takes part in the transaction
     */
    public void dropped(long id) throws IOException {
        if (joinsTransactions()) {
            storer.deleteObj(id);
        } else {
            afterCompletion(id, true, "the rows that named it were committed without it");
        }
    }

    private void afterCompletion(long id, boolean ifCommitted, String why) {
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if ((status == Status.STATUS_COMMITTED) == ifCommitted) {
                    delete(id, why);
                }
            }
        });
    }

    private void delete(long id, String why) {
        try {
            storer.deleteObj(id);
        } catch (ObjectNotFoundException alreadyGone) {
            // nothing to clean up
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "object " + id + " stays in the store, named by no blob (" + why + "): " + e, e);
        }
    }
}
