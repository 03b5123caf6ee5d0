package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.cci.LocalTransaction;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.LockTimeoutException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The factory's statistics (IronJacamar's SPI) after a known workload through pooled connections:
 * every counted figure exact, the store's own figures as the store reports them, clear().
 */
class StoreStatisticsTest {
    @TempDir
    Path dir;

    private static Map<String, Long> read(StatisticsPlugin plugin) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : plugin.getNames()) {
            assertEquals(long.class, plugin.getType(name), name);
            assertTrue(!plugin.getDescription(name).isBlank(), name);
            out.put(name, (Long) plugin.getValue(name));
        }
        return out;
    }

    @Test
    void aKnownWorkloadShowsExactCountsAndClearStartsThemAgain() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("s.bob"), "basic");
        StoreConnectionFactory factory = Adapters.pooled(mcf, new FakePool());
        StatisticsPlugin stats = mcf.getStatistics();
        assertTrue(stats == mcf.getStatistics(), "one plugin per factory");
        assertEquals(
                0L, read(stats).values().stream().mapToLong(Long::longValue).sum(), "nothing yet, nothing open");

        long a;
        long b;
        try (StoreConnection c = factory.getConnection()) {
            a = c.writeNewObjFromBytes(new byte[100]); // write 1, 100 bytes
            b = c.newObj(50); // write 2, 0 bytes
            c.writeBytesToObj(b, new byte[50]); // write 3, 50 bytes
            long[] ids = {c.newObj(10), c.newObj(20)}; // writes 4, 5: back to back in a basic store
            c.writeBatchedObjs(ids, new byte[30], new int[] {10, 20}); // writes 6, 7: 30 bytes
            c.readBytesFromObj(a); // read 1, 100 bytes
            try (ObjectWriter w = c.lateWriteNewObj(8)) { // write 8
                w.write(ByteBuffer.wrap(new byte[8])); // 8 bytes
                try (ObjectReader r = c.lateReadObj(b)) { // read 2
                    r.read(ByteBuffer.allocate(64)); // 50 bytes
                    assertEquals(2L, stats.getValue("OpenLateHandles"));
                }
            }
            c.deleteObj(ids[0]);
            c.sync();
            LocalTransaction tx = c.getLocalTransaction();
            tx.begin();
            c.writeNewObjFromBytes(new byte[5]); // write 9, 5 bytes: committed
            tx.commit();
            tx.begin();
            c.writeNewObjFromBytes(new byte[7]); // write 10, 7 bytes: rolled back
            tx.rollback();
        }
        Map<String, Long> s = read(stats);
        assertEquals(10L, s.get("Writes"));
        assertEquals(200L, s.get("BytesWritten"));
        assertEquals(2L, s.get("Reads"));
        assertEquals(150L, s.get("BytesRead"));
        assertEquals(1L, s.get("Deletes"));
        assertEquals(1L, s.get("Syncs"));
        assertEquals(0L, s.get("OpenLateHandles"));
        assertEquals(1L, s.get("TransactionsCommitted"));
        assertEquals(1L, s.get("TransactionsRolledBack"));
        assertEquals(0L, s.get("TransactionsActive") + s.get("TransactionsInDoubt") + s.get("OldestInDoubtTime"));
        assertEquals(0L, s.get("LockWaits") + s.get("DiskTokenWaits"));
        assertEquals(5L, s.get("Objects"), "a, b, the second of the batch, the Late one, the committed one");
        assertEquals(100L + 50 + 20 + 8 + 5, s.get("LiveBytes"));
        assertTrue(s.get("FileBytes") >= s.get("LiveBytes"), s::toString);

        stats.clear();
        s = read(stats);
        for (String counted : new String[] {
            "Reads",
            "Writes",
            "Deletes",
            "BytesRead",
            "BytesWritten",
            "Syncs",
            "SyncTime",
            "DiskTokenWaits",
            "LockWaits",
            "TransactionsCommitted",
            "TransactionsRolledBack"
        }) {
            assertEquals(0L, s.get(counted), counted);
        }
        assertEquals(5L, s.get("Objects"), "the store's own figures are not counters");
        try (StoreConnection c = factory.getConnection()) {
            c.readBytesFromObj(a);
        }
        assertEquals(1L, stats.getValue("Reads"), "counting goes on after a clear");
        assertNull(stats.getValue("NoSuchFigure"));
        adapter.stop();
    }

    @Test
    void aReadThatWaitsForAnOpenLateWriterIsALockWait() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();
        mcf.setUrl("bobbob:multi:" + dir.resolve("late.bob"));
        mcf.setResourceAdapter(adapter);
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory();
        StatisticsPlugin stats = mcf.getStatistics();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (StoreConnection writer = factory.getConnection();
                StoreConnection reader = factory.getConnection()) {
            long id = writer.writeNewObjFromBytes(new byte[8]);
            reader.readBytesFromObj(id); // nobody holds it: no wait
            assertEquals(0L, stats.getValue("LockWaits"));
            Future<byte[]> read;
            try (ObjectWriter w = writer.writeToObj(id)) { // the object's lock, until closed
                w.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
                read = pool.submit(() -> reader.readBytesFromObj(id));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stats.getValue("LockWaits").equals(0L) && System.nanoTime() < deadline) {
                    Thread.onSpinWait(); // the reader counts its wait before it blocks
                }
                assertEquals(1L, stats.getValue("LockWaits"));
                assertFalse(read.isDone(), "the reader waits for the writer");
            }
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, read.get(30, TimeUnit.SECONDS));
            assertEquals(1L, stats.getValue("LockWaits"));
        } finally {
            pool.shutdownNow();
            adapter.stop();
        }
    }

    @Test
    void aCallThatWaitsForAnObjectATransactionHoldsIsALockWaitKeptAcrossTheStoresClose() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();
        mcf.setUrl("bobbob:multi:" + dir.resolve("w.bob") + "?lockTimeoutMillis=50");
        mcf.setResourceAdapter(adapter);
        // non-managed mode: a managed connection per handle, the last handle's close closes the store
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory();
        StatisticsPlugin stats = mcf.getStatistics();
        try (StoreConnection holder = factory.getConnection();
                StoreConnection other = factory.getConnection()) {
            long id = holder.writeNewObjFromBytes(new byte[4]);
            LocalTransaction tx = holder.getLocalTransaction();
            tx.begin();
            holder.writeBytesToObj(id, new byte[] {1, 2, 3, 4});
            assertThrows(LockTimeoutException.class, () -> other.writeBytesToObj(id, new byte[4]));
            assertEquals(1L, stats.getValue("LockWaits"));
            assertEquals(1L, stats.getValue("TransactionsActive"));
            tx.rollback();
        }
        assertEquals(0, adapter.registry().getOpenStores());
        assertEquals(1L, stats.getValue("LockWaits"), "carried over the store's close");
        assertEquals(1L, stats.getValue("TransactionsRolledBack"));
        assertEquals(0L, stats.getValue("Objects"), "not open");
        try (StoreConnection c = factory.getConnection()) {
            assertEquals(1L, stats.getValue("LockWaits"), "and the reopened store's own count adds to it");
            assertEquals(1L, stats.getValue("Objects"));
            assertTrue(c.isOpen());
            stats.clear();
            assertEquals(0L, stats.getValue("LockWaits"));
            assertEquals(0L, stats.getValue("TransactionsRolledBack"));
        }
        assertEquals(0L, stats.getValue("LockWaits"), "a clear holds across the close too");
        adapter.stop();
    }
}
