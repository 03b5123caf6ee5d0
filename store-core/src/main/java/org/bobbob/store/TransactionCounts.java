package org.bobbob.store;

/**
 * The transactions of a store ({@link TransactionalStore#transactionCounts()}): what is under way
 * at one moment, and what happened since the store was opened.
 *
 * @param active               transactions and XA branches begun and not yet prepared, committed or
 *                             rolled back
 * @param inDoubt              XA branches prepared and not yet committed or rolled back (after a
 *                             restart, the ones a transaction manager has still to recover)
 * @param oldestInDoubtMillis  how long the oldest of the {@code inDoubt} branches has been in
 *                             doubt, in milliseconds: since its prepare, or, for a branch a
 *                             previous run prepared, since this open found it; 0 when none is
 * @param committed            transactions and branches committed since the store was opened
 *                             (one that changed nothing counts too, also when an XA prepare ended it)
 * @param rolledBack           transactions and branches rolled back since the store was opened: by
 *                             their owner, by their transaction manager, or past their timeout (not
 *                             the ones an open rolls back because a crash interrupted them)
 * @param lockWaits            calls that had to wait for an object a transaction held, since the
 *                             store was opened (each call counts once, however long it waited and
 *                             however it ended: the object released, the lock timeout, a deadlock)
 */
public record TransactionCounts(
        int active, int inDoubt, long oldestInDoubtMillis, long committed, long rolledBack, long lockWaits) {}
