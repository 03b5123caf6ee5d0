package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link WritebackStoreFile}: a background force once the threshold is written, its failure thrown
 * by the next force, forces one at a time, and close waiting for a force under way.
 */
class WritebackStoreFileTest {
    private static final int THRESHOLD = 64 << 10;

    /**
     * A {@link SimulatedDisk} whose forces can be held at their start ({@link #hold}), made to fail
     * once ({@link #failNext}), and are counted as they run side by side ({@link #mostAtOnce}).
     */
    private static final class GatedDisk extends ForwardingStoreFile {
        final SimulatedDisk disk;
        /** Released once per force started, so a test can wait for one. */
        final Semaphore started = new Semaphore(0);
        /** Released once per force ended, failed or not. */
        final Semaphore ended = new Semaphore(0);
        /** When set, a force waits here before it runs. */
        volatile CountDownLatch hold;

        volatile IOException failNext;
        final AtomicInteger inForce = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final AtomicBoolean closedWhileForcing = new AtomicBoolean();
        volatile boolean closed;

        GatedDisk(SimulatedDisk disk) {
            super(disk);
            this.disk = disk;
        }

        @Override
        public void force() throws IOException {
            int now = inForce.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            started.release();
            try {
                CountDownLatch h = hold;
                if (h != null) {
                    h.await(30, TimeUnit.SECONDS);
                }
                IOException f = failNext;
                if (f != null) {
                    failNext = null;
                    throw f;
                }
                super.force();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                inForce.decrementAndGet();
                ended.release();
            }
        }

        /** Forces begun as a write-back ({@link StoreFile#forceInBackground}), not as a sync. */
        final AtomicInteger inBackground = new AtomicInteger();

        @Override
        public void forceInBackground() throws IOException {
            inBackground.incrementAndGet();
            force();
        }

        @Override
        public void close() throws IOException {
            closedWhileForcing.set(inForce.get() > 0);
            closed = true;
            super.close();
        }
    }

    private static ByteBuffer bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    /**
     * Writes the threshold into {@code file} and waits (bounded) for the background force it starts,
     * which then stays held until the latch returned is counted down.
     */
    private static CountDownLatch holdBackgroundForce(GatedDisk gated, WritebackStoreFile file, int seed)
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        gated.hold = release;
        file.writeFully(bytes(THRESHOLD, seed), 0);
        assertTrue(gated.started.tryAcquire(30, TimeUnit.SECONDS), "the background force started");
        return release;
    }

    /** Waits (bounded) for a background force to start and end. */
    private static void awaitBackgroundForce(GatedDisk gated) throws InterruptedException {
        assertTrue(gated.started.tryAcquire(30, TimeUnit.SECONDS), "a background force started");
        assertTrue(gated.ended.tryAcquire(30, TimeUnit.SECONDS), "and ended");
    }

    @Test
    void writesBelowTheThresholdAndDurableWritesForceNothing() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            file.writeFully(bytes(THRESHOLD - 1, 1), 0);
            file.writeDurably(bytes(4 * THRESHOLD, 2), THRESHOLD);
            assertEquals(0, gated.disk.forces(), "no force below the threshold; durable writes do not count");
            assertFalse(gated.started.tryAcquire(), "no force was started");
            file.force();
            file.writeFully(bytes(THRESHOLD - 1, 3), 0);
            assertEquals(1, gated.disk.forces(), "a force starts the count again: still below it");
            assertFalse(gated.started.tryAcquire(2, 0, TimeUnit.SECONDS), "only the foreground force ran");
        }
    }

    @Test
    void smallWritesDoNotCount() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        int small = WritebackStoreFile.COUNTED_WRITE - 1;
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            for (int i = 0; i < 4 * THRESHOLD / small; i++) {
                file.writeFully(bytes(small, i), (long) i * small);
            }
            assertEquals(0, gated.disk.forces(), "writes below the counted size start no force");
            file.writeFully(bytes(THRESHOLD, 9), 0);
            awaitBackgroundForce(gated);
            assertEquals(1, gated.disk.forces(), "large ones do");
        }
    }

    @Test
    void writingTheThresholdForcesInTheBackgroundWhatWasWritten() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        GatedDisk gated = new GatedDisk(disk);
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            ByteBuffer data = bytes(THRESHOLD, 4);
            file.writeFully(data.duplicate(), 0);
            awaitBackgroundForce(gated);
            assertEquals(1, disk.forces(), "one background force");
            assertEquals(1, gated.inBackground.get(), "as a write-back, not as a sync (no remap)");
            file.force();
            assertEquals(1, gated.inBackground.get(), "a force is a sync");
            byte[] afterPowerLoss = disk.crashImage(new Random(5));
            assertArrayEquals(
                    data.array(),
                    Arrays.copyOf(afterPowerLoss, THRESHOLD),
                    "what was written before the force survives a power loss");
        }
    }

    @Test
    void aFailedBackgroundForceIsThrownByTheNextForceOnce() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        IOException failure = new IOException("EIO");
        gated.failNext = failure;
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            file.writeFully(bytes(THRESHOLD, 6), 0);
            awaitBackgroundForce(gated);
            assertEquals(0, gated.disk.forces(), "the background force failed");
            IOException thrown = assertThrows(IOException.class, file::force);
            assertSame(failure, thrown.getCause(), "the next force reports the background force's failure");
            assertEquals(0, gated.disk.forces(), "and does not claim the writes durable");
            file.force();
            assertEquals(1, gated.disk.forces(), "the force after that runs");
        }
    }

    @Test
    void aForceWaitsForTheBackgroundForceUnderWay() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            CountDownLatch release = holdBackgroundForce(gated, file, 7);
            Future<?> foreground = pool.submit(() -> {
                file.force();
                return null;
            });
            assertFalse(gated.started.tryAcquire(200, TimeUnit.MILLISECONDS), "the foreground force waits");
            gated.hold = null;
            release.countDown();
            foreground.get(30, TimeUnit.SECONDS);
            assertEquals(1, gated.mostAtOnce.get(), "never two forces at once");
            assertEquals(2, gated.disk.forces(), "both ran, one after the other");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWaitsForTheBackgroundForceUnderWay() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD);
            CountDownLatch release = holdBackgroundForce(gated, file, 8);
            Future<?> closing = pool.submit(() -> {
                file.close();
                return null;
            });
            assertThrows(
                    TimeoutException.class,
                    () -> closing.get(200, TimeUnit.MILLISECONDS),
                    "close waits while the force runs");
            release.countDown();
            closing.get(30, TimeUnit.SECONDS);
            assertTrue(gated.closed, "then closes the file");
            assertFalse(gated.closedWhileForcing.get(), "not while the force ran");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writesFromManyThreadsStartOneBackgroundForceAtATime() throws Exception {
        GatedDisk gated = new GatedDisk(new SimulatedDisk());
        int threads = 4;
        int writes = 64;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (WritebackStoreFile file = new WritebackStoreFile(gated, THRESHOLD)) {
            CountDownLatch go = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                int base = t * writes;
                done[t] = pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < writes; i++) {
                        int n = WritebackStoreFile.COUNTED_WRITE;
                        file.writeFully(bytes(n, base + i), (long) (base + i) * n);
                    }
                    return null;
                });
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            file.force();
            assertEquals(1, gated.mostAtOnce.get(), "never two forces at once");
            assertTrue(gated.disk.forces() >= 2, "background forces ran, then the foreground one");
        } finally {
            pool.shutdownNow();
        }
    }
}
