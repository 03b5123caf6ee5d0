package org.bobbob.store.internal.engine;

import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cap on concurrent disk I/O: a counting semaphore of {@code n} tokens, one held by each open
 * Late handle from open to close. {@code n = 0} means unlimited and costs nothing.
 *
 * <p>Callers take a token only after any object lock they need, never while waiting for one, so
 * a thread that holds a token is always able to make progress and release it. Thread-safe.
 */
final class DiskTokens {
    private static final DiskTokens UNLIMITED = new DiskTokens(0);

    private final int limit;
    private final Semaphore semaphore;
    private final LongAdder waits = new LongAdder();

    private DiskTokens(int limit) {
        this.limit = limit;
        this.semaphore = limit == 0 ? null : new Semaphore(limit, true);
    }

    /**
     * @param limit most concurrent disk operations; 0 = unlimited
     * @throws IllegalArgumentException if {@code limit < 0}
     */
    static DiskTokens of(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("diskTokens must be >= 0 (0 = unlimited), got " + limit);
        }
        return limit == 0 ? UNLIMITED : new DiskTokens(limit);
    }

    /** The cap, 0 when unlimited. */
    int limit() {
        return limit;
    }

    /** Takes a token, waiting if none is free. */
    void acquire() throws InterruptedIOException {
        if (semaphore == null) {
            return;
        }
        if (semaphore.tryAcquire()) {
            return;
        }
        waits.increment();
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ie = new InterruptedIOException("interrupted while waiting for a disk token");
            ie.initCause(e);
            throw ie;
        }
    }

    /** Returns a token taken by {@link #acquire()}. */
    void release() {
        if (semaphore != null) {
            semaphore.release();
        }
    }

    /** Tokens currently held. */
    int inUse() {
        return semaphore == null ? 0 : limit - semaphore.availablePermits();
    }

    /** How many acquisitions had to wait, since creation. */
    long waits() {
        return waits.sum();
    }

    @Override
    public String toString() {
        return limit == 0
                ? "DiskTokens[unlimited]"
                : "DiskTokens[" + inUse() + "/" + limit + " in use, waits=" + waits() + "]";
    }
}
