package org.bobbob.store;

/**
 * Optional capability: usage figures for monitoring. Obtain it with
 * {@code store.unwrap(StatisticsProvider.class)}. Thread-safe; cheap enough to poll.
 */
public interface StatisticsProvider {

    /** A consistent snapshot of the store's usage. */
    StoreStats stats();
}
