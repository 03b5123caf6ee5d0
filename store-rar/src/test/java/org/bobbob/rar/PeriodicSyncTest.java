package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Timer;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.MultiStore;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter syncs open stores on the server's timer: work becomes durable without sync(). */
class PeriodicSyncTest {
    @TempDir
    Path dir;

    /** A server's bootstrap context that offers only a timer. */
    private static final class TimerOnly implements BootstrapContext {
        @Override
        public WorkManager getWorkManager() {
            return null;
        }

        @Override
        public XATerminator getXATerminator() {
            return null;
        }

        @Override
        public Timer createTimer() {
            return new Timer("bobbob-test-sync", true);
        }

        @Override
        public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
            return false;
        }

        @Override
        public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
            return null;
        }
    }

    @Test
    void writesBecomeDurableWithoutTheApplicationSyncing() throws Exception {
        StoreResourceAdapter adapter = new StoreResourceAdapter();
        adapter.setSyncIntervalMillis(20L);
        adapter.start(new TimerOnly());
        try {
            Path file = dir.resolve("s.bob");
            StoreConnectionFactory factory = Adapters.pooled(Adapters.factory(adapter, file, "multi"), new FakePool());
            byte[] data = {1, 2, 3, 4, 5};
            long id;
            try (StoreConnection c = factory.getConnection()) {
                id = c.writeNewObjFromBytes(data);
                StatisticsProvider stats = c.unwrap(StatisticsProvider.class);
                long before = stats.stats().syncs();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stats.stats().syncs() <= before) { // the timer's next run syncs the write
                    assertTrue(System.nanoTime() < deadline, "no periodic sync within 30 s");
                    Thread.onSpinWait();
                }
            }
            // What a crash right now would leave: a copy of the file as it is on disk.
            Path copy = dir.resolve("copy.bob");
            Files.copy(file, copy);
            try (Storer s = MultiStore.open(copy, 0)) {
                assertArrayEquals(data, s.readBytesFromObj(id));
            }
        } finally {
            adapter.stop();
        }
    }

    @Test
    void theIntervalIsAValidatedPropertyInEquality() {
        StoreResourceAdapter a = new StoreResourceAdapter();
        StoreResourceAdapter b = new StoreResourceAdapter();
        assertEquals(a, b);
        assertEquals(StoreResourceAdapter.DEFAULT_SYNC_INTERVAL_MILLIS, a.getSyncIntervalMillis());
        b.setSyncIntervalMillis(0L);
        assertNotEquals(a, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.setSyncIntervalMillis(-1L));
        assertTrue(e.getMessage().contains("syncIntervalMillis"), e.getMessage());
    }
}
