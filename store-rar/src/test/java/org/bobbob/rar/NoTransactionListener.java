package org.bobbob.rar;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;

/**
 * A test server's listener for an adapter without local transactions: the three transaction
 * events are ignored, so a listener states only the events it is about.
 */
interface NoTransactionListener extends ConnectionEventListener {
    @Override
    default void localTransactionStarted(ConnectionEvent event) {}

    @Override
    default void localTransactionCommitted(ConnectionEvent event) {}

    @Override
    default void localTransactionRolledback(ConnectionEvent event) {}
}
