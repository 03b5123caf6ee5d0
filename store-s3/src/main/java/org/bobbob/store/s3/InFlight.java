package org.bobbob.store.s3;

import java.io.InterruptedIOException;
import java.util.TreeSet;

/**
 * The store's requests under way, numbered in the order they began, so that {@code sync()} can
 * wait for exactly those that began before it (later ones do not hold it up) and {@code close()}
 * for all of them. Thread-safe: every method holds this object's monitor, which also orders a
 * request's {@link #begin()} before its check that the store is open (see {@code S3Store.close}).
 */
final class InFlight {
    /** The next ticket. Guarded by this. */
    private long next;
    /** Tickets of requests under way. Guarded by this. */
    private final TreeSet<Long> running = new TreeSet<>();

    /** Registers a request; pass the ticket to {@link #end}. */
    synchronized long begin() {
        long ticket = next++;
        running.add(ticket);
        return ticket;
    }

    /** The request with {@code ticket} is over (done or failed). */
    synchronized void end(long ticket) {
        running.remove(ticket);
        notifyAll();
    }

    /** Waits until every request that began before this call has ended. */
    synchronized void awaitEarlier() throws InterruptedIOException {
        long bound = next;
        while (!running.isEmpty() && running.first() < bound) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for uploads under way");
            }
        }
    }
}
