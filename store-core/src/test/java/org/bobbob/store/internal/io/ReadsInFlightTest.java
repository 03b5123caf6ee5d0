package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** {@link ReadsInFlight}: the wait lasts exactly as long as a counted read, with real threads. */
class ReadsInFlightTest {

    @Test
    void theWaitEndsWhenTheLastCountedReadExits() throws Exception {
        ReadsInFlight reads = new ReadsInFlight();
        reads.awaitNone(); // none: returns at once
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            int slot = reads.enter();
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reads.exit(slot);
            }
        });
        reader.start();
        inside.await();
        assertFalse(reads.none());
        Thread waiter = new Thread(reads::awaitNone);
        waiter.start();
        while (waiter.getState() != Thread.State.TIMED_WAITING && waiter.isAlive()) {
            Thread.onSpinWait(); // until the waiter has given up spinning and parks
        }
        assertTrue(waiter.isAlive(), "the wait goes on while a read is counted");
        leave.countDown();
        waiter.join();
        reader.join();
        assertTrue(reads.none());
    }

    @Test
    void manyThreadsEnteringAndExitingLeaveNoCount() throws Exception {
        ReadsInFlight reads = new ReadsInFlight();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> all = new ArrayList<>();
        int[] seenBusy = new int[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 100_000; i++) {
                    int slot = reads.enter();
                    if (reads.none()) {
                        seenBusy[me]++; // impossible: this thread's own read is counted
                    }
                    reads.exit(slot);
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        assertTrue(reads.none());
        for (int t = 0; t < threads; t++) {
            assertEquals(0, seenBusy[t], "a thread inside saw no count");
        }
    }
}
