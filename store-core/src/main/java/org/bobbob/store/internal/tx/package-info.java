/**
 * Transactions, not part of the API: the {@code TransactionalStore} over the engine.
 * {@code TxTable} holds the branches a metadata record must name (and their format);
 * {@code Branch} is one transaction's changes; {@code TxLocks} its exclusive hold on objects and
 * the pending ids others must not see; {@code TxManager} begins, commits and rolls back;
 * {@code Txn} is a transaction's {@code Storer}; {@code XaConnection} and {@code XaResourceImpl}
 * the XA side. What they need of the engine is {@code TxEngine}, which the engine implements.
 */
package org.bobbob.store.internal.tx;
