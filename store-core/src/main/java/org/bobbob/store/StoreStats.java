package org.bobbob.store;

/**
 * A snapshot of a store's usage, from {@link StatisticsProvider#stats()}.
 *
 * @param objects      live objects
 * @param liveBytes    sum of the live objects' sizes
 * @param fileBytes    bytes the allocator has claimed in the file (its end)
 * @param freeBytes    bytes in reusable holes
 * @param parkedBytes  bytes freed but not reusable until the next sync is durable
 * @param syncs        syncs completed since the store was opened
 * @param bookkeepingBytes heap bytes the store holds for its own metadata (estimate)
 */
public record StoreStats(
        long objects,
        long liveBytes,
        long fileBytes,
        long freeBytes,
        long parkedBytes,
        long syncs,
        long bookkeepingBytes) {}
