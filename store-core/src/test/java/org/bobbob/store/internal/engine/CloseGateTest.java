package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.StoreClosedException;
import org.junit.jupiter.api.Test;

/**
 * {@link CloseGate}: a pause waits for exactly the calls in progress, while callers that arrive
 * during the pause count themselves in and back out again.
 */
class CloseGateTest {
    private static final int CALLERS = 8;
    private static final int PAUSES = 10_000;

    /**
     * Eight threads enter and exit without end; another pauses and resumes 10 000 times. Every
     * pause must find the calls drained at once (no call lasts long) and, while it holds, no call
     * may be inside. Callers that back out during a pause make the count go up and down under the
     * pauser's reads; a count that can read one too few lets a call in, one that reads one too
     * many (read again after the drain) fails the pause.
     */
    @Test
    void everyPauseDrainsTheCallsInProgressAndHoldsTheRest() throws Exception {
        CloseGate gate = new CloseGate();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger callsDuringPauses = new AtomicInteger();
        AtomicBoolean pausedNow = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(CALLERS);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Long>> callers = new ArrayList<>();
            for (int t = 0; t < CALLERS; t++) {
                callers.add(pool.submit(() -> {
                    long calls = 0;
                    running.countDown();
                    while (!stop.get()) {
                        gate.enter("gate");
                        try {
                            inside.incrementAndGet();
                            if (pausedNow.get()) {
                                callsDuringPauses.incrementAndGet();
                            }
                            calls++;
                            inside.decrementAndGet();
                        } finally {
                            gate.exit();
                        }
                    }
                    return calls;
                }));
            }
            assertTrue(running.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < PAUSES; i++) {
                boolean drained = gate.pause(0, Duration.ofSeconds(30));
                try {
                    assertTrue(drained, "pause " + i + " found calls in progress");
                    pausedNow.set(true);
                    assertEquals(0, inside.get(), "pause " + i + ": a call is inside");
                    pausedNow.set(false);
                } finally {
                    gate.resume();
                }
            }
            stop.set(true);
            long calls = 0;
            for (Future<Long> f : callers) {
                calls += f.get(30, TimeUnit.SECONDS);
            }
            assertTrue(calls > 0, "the callers ran");
            assertEquals(0, callsDuringPauses.get(), "calls ran while a pause held");
            assertEquals(0, gate.active());
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** A call in progress keeps the pause waiting until it leaves; a closed gate refuses new calls. */
    @Test
    void aPauseWaitsForTheCallInProgressAndShutRefusesNewOnes() throws Exception {
        CloseGate gate = new CloseGate();
        gate.enter("gate");
        assertEquals(1, gate.active());
        assertTrue(!gate.pause(0, Duration.ofMillis(20)), "a call is still in progress");
        gate.exit();
        assertTrue(gate.pause(0, Duration.ofSeconds(30)));
        gate.resume();
        gate.enter("gate");
        gate.exit();
        assertEquals(0, gate.shut(Duration.ofSeconds(30)));
        assertThrows(StoreClosedException.class, () -> gate.enter("gate"));
        assertEquals(0, gate.active());
    }
}
