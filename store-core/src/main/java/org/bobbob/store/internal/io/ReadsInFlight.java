package org.bobbob.store.internal.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts reads in progress over bytes that may be taken away (a memory map of the file that a cut
 * would leave pointing past its end), so the one who takes them away can wait until no read is
 * left in them. A reader {@link #enter}s, checks that what it is about to read is still current
 * (the taker publishes the replacement before it waits), reads, and {@link #exit}s; the taker
 * publishes the replacement, then {@link #awaitNone}. Because {@code enter} is a full fence, a
 * reader that the taker's wait does not see sees the replacement in its check.
 *
 * <p>Each read adds one on entry and takes it off on exit in a stripe chosen by its thread, so
 * readers on different cores mostly touch different cache lines; the count is zero when every
 * stripe is. Two atomic adds per read, no allocation, no lock. Thread-safe.
 */
public final class ReadsInFlight {
    /** Longs per stripe: 128 bytes apart, so no two stripes share a cache line or its prefetched pair. */
    private static final int PAD = 16;

    private static final int STRIPES =
            Integer.highestOneBit(Math.max(2, Math.min(64, Runtime.getRuntime().availableProcessors() * 2)) * 2 - 1);
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Stripe {@code i}'s count at {@code (i + 1) * PAD}: a pad before the first as well. */
    private final long[] counts = new long[(STRIPES + 1) * PAD];

    /** Counts a read in; returns the slot to give {@link #exit}. */
    public int enter() {
        long id = Thread.currentThread().getId();
        int slot = ((int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & (STRIPES - 1)) * PAD + PAD;
        COUNT.getAndAdd(counts, slot, 1L);
        return slot;
    }

    /** Counts the read {@link #enter} returned {@code slot} for out. */
    public void exit(int slot) {
        COUNT.getAndAdd(counts, slot, -1L);
    }

    /**
     * Returns once no read counted here is in progress. Called after the replacement is
     * published: a reader counted in after that sees it in its check and leaves at once, so the
     * wait ends once the reads already under way have; they are short, so it spins, then parks
     * briefly. The caller must not hold anything a counted read waits for.
     */
    public void awaitNone() {
        for (int round = 0; !none(); round++) {
            if (round < 64) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Whether no counted read is in progress at this moment. */
    public boolean none() {
        for (int slot = PAD; slot < counts.length; slot += PAD) {
            if ((long) COUNT.getVolatile(counts, slot) != 0) {
                return false;
            }
        }
        return true;
    }
}
