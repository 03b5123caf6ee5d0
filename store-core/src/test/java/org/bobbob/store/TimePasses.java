package org.bobbob.store;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets time itself pass, for tests of timeouts (a transaction timeout is measured in whole
 * seconds): nothing signals that a timeout has elapsed, so the test waits out the time. Not for
 * waiting on a result, which tests wait for with latches, futures or thread states.
 */
final class TimePasses {
    private TimePasses() {}

    /** Returns once at least {@code time} has passed. */
    static void atLeast(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
