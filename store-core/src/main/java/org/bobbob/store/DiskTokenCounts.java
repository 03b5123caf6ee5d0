package org.bobbob.store;

/**
 * A snapshot of a {@link ConcurrentStore}'s disk-token cap, for monitoring.
 *
 * @param limit  the cap: most Late handles (and handle-free calls) doing I/O at once; 0 = unlimited
 * @param inUse  tokens held right now (always 0 when unlimited)
 * @param waits  how many acquisitions had to wait for a token, since the store was wrapped
 */
public record DiskTokenCounts(int limit, int inUse, long waits) {}
