package org.bobbob.store;

/**
 * The transactions of a store at one moment ({@link TransactionalStore#transactionCounts()}).
 *
 * @param active   transactions and XA branches begun and not yet prepared, committed or rolled back
 * @param inDoubt  XA branches prepared and not yet committed or rolled back (after a restart, the
 *                 ones a transaction manager has still to recover)
 */
public record TransactionCounts(int active, int inDoubt) {}
