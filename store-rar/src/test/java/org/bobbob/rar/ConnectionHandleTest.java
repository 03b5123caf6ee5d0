package org.bobbob.rar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.spi.ConnectionEvent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.UnsupportedCapabilityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handles, events, cleanup and destroy, against a fake pool that behaves like the server's. */
class ConnectionHandleTest {
    @TempDir
    Path dir;

    StoreResourceAdapter adapter;
    StoreManagedConnectionFactory mcf;
    FakePool pool;
    StoreConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        adapter = Adapters.started();
        mcf = Adapters.factory(adapter, dir.resolve("s.bob"), "basic");
        pool = new FakePool();
        factory = Adapters.pooled(mcf, pool);
    }

    @AfterEach
    void stop() {
        adapter.stop();
    }

    private StoreManagedConnection newManagedConnection() throws Exception {
        return (StoreManagedConnection) mcf.createManagedConnection(null, null);
    }

    @Test
    void closeFiresConnectionClosedOnceWithTheHandleAndReturnsTheConnection() throws Exception {
        StoreConnection c = factory.getConnection();
        c.close();
        c.close();
        List<ConnectionEvent> closed = pool.events(ConnectionEvent.CONNECTION_CLOSED);
        assertEquals(1, closed.size());
        assertSame(c, closed.get(0).getConnectionHandle());
        assertEquals(0, pool.inUse());

        try (StoreConnection again = factory.getConnection()) { // the same pooled connection again
            assertTrue(again.isOpen());
        }
        assertEquals(1, pool.created());
    }

    @Test
    void aClosedHandleRefusesEveryCall() throws Exception {
        StoreConnection c = factory.getConnection();
        long id = c.writeNewObjFromBytes(new byte[] {1});
        c.close();
        assertFalse(c.isOpen());
        assertThrows(StoreClosedException.class, () -> c.readBytesFromObj(id));
        assertThrows(StoreClosedException.class, () -> c.newObj(1));
        assertThrows(StoreClosedException.class, () -> c.lateReadObj(id));
        assertThrows(StoreClosedException.class, c::sync);
        assertThrows(StoreClosedException.class, () -> c.unwrap(StatisticsProvider.class));
        assertFalse(c.isWrapperFor(StatisticsProvider.class));
    }

    @Test
    void cleanupInvalidatesOpenHandlesAndReleasesTheirObjectLocks() throws Exception {
        StoreManagedConnection mc = newManagedConnection();
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        long id = c.writeNewObjFromBytes("abc".getBytes(UTF_8));
        ObjectWriter writer = c.writeToObj(id); // holds the object's write lock

        mc.cleanup();
        mc.cleanup(); // idempotent
        assertFalse(c.isOpen());
        assertFalse(writer.isOpen());
        assertThrows(StoreClosedException.class, () -> writer.write(ByteBuffer.wrap(new byte[] {9})));
        assertThrows(StoreClosedException.class, () -> c.deleteObj(id));

        try (StoreConnection other = (StoreConnection) mc.getConnection(null, null)) {
            // a writer waits for every handle on the object: it opens only if cleanup released the lock
            assertTimeoutPreemptively(
                    Duration.ofSeconds(10), () -> other.writeToObj(id).close());
            other.deleteObj(id);
        }
        assertEquals(0, mc.openHandles());
        mc.destroy();
    }

    @Test
    void closingAHandleClosesItsLateHandles() throws Exception {
        StoreConnection c = factory.getConnection();
        long id = c.writeNewObjFromBytes("abc".getBytes(UTF_8));
        ObjectReader reader = c.lateReadObj(id);
        c.close();
        assertFalse(reader.isOpen());
        assertThrows(StoreClosedException.class, () -> reader.read(ByteBuffer.allocate(3)));
    }

    @Test
    void lateHandlesStreamThroughTheConnection() throws Exception {
        try (StoreConnection c = factory.getConnection()) {
            long id;
            try (ObjectWriter w = c.lateWriteNewObj(5);
                    var out = w.asOutputStream()) {
                out.write("hello".getBytes(UTF_8));
                id = w.id();
            }
            try (ObjectReader r = c.lateReadObj(id);
                    var in = r.asInputStream()) {
                assertArrayEquals("hello".getBytes(UTF_8), in.readAllBytes());
            }
        }
    }

    @Test
    void destroyDropsOnlyItsOwnReference() throws Exception {
        StoreManagedConnection a = newManagedConnection();
        StoreManagedConnection b = newManagedConnection();
        StoreConnection cb = (StoreConnection) b.getConnection(null, null);
        a.destroy();
        a.destroy(); // idempotent
        long id = cb.writeNewObjFromBytes(new byte[] {4}); // the shared store is still open
        assertArrayEquals(new byte[] {4}, cb.readBytesFromObj(id));
        assertTrue(b.isValid());
        assertFalse(a.isValid());
        b.destroy();
        assertFalse(cb.isOpen());
        assertEquals(0, adapter.registry().getOpenStores());
    }

    @Test
    void manyThreadsGetHandlesFromOneManagedConnection() throws Exception {
        StoreManagedConnection mc = newManagedConnection();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<StoreConnection>> handles = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                handles.add(pool.submit(() -> {
                    start.await();
                    StoreConnection c = (StoreConnection) mc.getConnection(null, null);
                    c.writeNewObjFromBytes(new byte[] {1});
                    return c;
                }));
            }
            Set<StoreConnection> distinct = new HashSet<>();
            for (Future<StoreConnection> f : handles) {
                distinct.add(f.get());
            }
            assertEquals(threads, distinct.size());
            assertEquals(threads, mc.openHandles());
            mc.cleanup();
            assertTrue(distinct.stream().noneMatch(StoreConnection::isOpen));
        } finally {
            pool.shutdownNow();
        }
        mc.destroy();
    }

    @Test
    void associateConnectionMovesAHandleToAnotherManagedConnection() throws Exception {
        StoreManagedConnection from = newManagedConnection();
        StoreManagedConnection to = newManagedConnection();
        StoreConnection c = (StoreConnection) from.getConnection(null, null);
        to.associateConnection(c);
        from.cleanup();
        assertTrue(c.isOpen(), "the handle no longer belongs to the connection cleaned up");
        c.writeNewObjFromBytes(new byte[] {1});
        to.cleanup();
        assertFalse(c.isOpen());
        assertThrows(jakarta.resource.ResourceException.class, () -> to.associateConnection("not a handle"));
        from.destroy();
        to.destroy();
    }

    @Test
    void applicationErrorsFireNoEventAndKeepTheConnection() throws Exception {
        try (StoreConnection c = factory.getConnection()) {
            assertThrows(ObjectNotFoundException.class, () -> c.readBytesFromObj(123_456));
            assertThrows(IllegalArgumentException.class, () -> c.newObj(-1));
            long id = c.writeNewObjFromBytes(new byte[2]);
            assertThrows(org.bobbob.store.StoreException.class, () -> c.writeBytesToObj(id, new byte[3]));
            assertTrue(c.isOpen());
        }
        assertEquals(List.of(), pool.events(ConnectionEvent.CONNECTION_ERROR_OCCURRED));
        assertEquals(0, pool.destroyed());
    }

    @Test
    void unwrapOffersViewsOfCapabilitiesNeverTheStoreItself() throws Exception {
        StoreConnection c = factory.getConnection();
        assertSame(c, c.unwrap(Storer.class));
        assertSame(c, c.unwrap(StoreConnection.class));
        assertTrue(c.isWrapperFor(StatisticsProvider.class));
        StatisticsProvider stats = c.unwrap(StatisticsProvider.class);
        assertFalse(stats instanceof Storer, "a cast must not reach the shared store");
        c.writeNewObjFromBytes(new byte[] {1});
        assertEquals(1, stats.stats().objects());

        assertFalse(c.isWrapperFor(ConcurrentStore.class));
        assertThrows(UnsupportedCapabilityException.class, () -> c.unwrap(ConcurrentStore.class));
        assertThrows(UnsupportedCapabilityException.class, () -> c.unwrap(org.bobbob.store.BasicStore.class));
        c.close();
        assertThrows(IllegalStateException.class, stats::stats);
    }

    /**
     * A connection's calls join the branch started on its XA resource, and a local transaction
     * begun on it; another connection sees nothing until the commit; sync() inside is BOB-632.
     */
    @Test
    void handlesJoinTheConnectionsXaBranchAndLocalTransaction() throws Exception {
        StoreManagedConnection mc = newManagedConnection();
        StoreManagedConnection other = newManagedConnection();
        StoreConnection h = (StoreConnection) mc.getConnection(null, null);
        StoreConnection outside = (StoreConnection) other.getConnection(null, null);
        javax.transaction.xa.XAResource xa = mc.getXAResource();
        assertSame(xa, mc.getXAResource());
        assertTrue(xa.isSameRM(other.getXAResource()), "one store, one resource manager");
        javax.transaction.xa.Xid xid = new javax.transaction.xa.Xid() {
            @Override
            public int getFormatId() {
                return 1;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {1, 2, 3};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {4};
            }
        };
        String key = adapter.registry().getPaths()[0];
        assertEquals(0, adapter.registry().activeTransactions(key));
        xa.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
        long id = h.writeNewObjFromBytes(new byte[] {7});
        assertEquals(1, adapter.registry().activeTransactions(key), "the MBean shows the branch");
        StoreException sync = assertThrows(StoreException.class, h::sync);
        assertEquals(org.bobbob.store.ErrorCode.RAR_SYNC_IN_TRANSACTION, sync.code());
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> outside.readBytesFromObj(id));
        xa.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
        assertEquals(javax.transaction.xa.XAResource.XA_OK, xa.prepare(xid));
        assertEquals(0, adapter.registry().activeTransactions(key));
        assertEquals(1, adapter.registry().inDoubtBranches(key), "prepared, not decided");
        xa.commit(xid, false);
        assertEquals(0, adapter.registry().inDoubtBranches(key));
        assertArrayEquals(new byte[] {7}, outside.readBytesFromObj(id));
        h.sync(); // outside a transaction again

        jakarta.resource.spi.LocalTransaction local = mc.getLocalTransaction();
        local.begin();
        long dropped = h.writeNewObjFromBytes(new byte[] {8});
        assertThrows(StoreException.class, h::sync);
        local.rollback();
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> outside.readBytesFromObj(dropped));
        local.begin();
        long kept = h.writeNewObjFromBytes(new byte[] {9});
        local.commit();
        assertArrayEquals(new byte[] {9}, outside.readBytesFromObj(kept));
        assertThrows(jakarta.resource.spi.LocalTransactionException.class, local::commit, "nothing begun");
        h.close();
        outside.close();
        other.destroy();
        mc.destroy();
    }

    /** A branch id of global transaction {@code n}. */
    private static javax.transaction.xa.Xid xid(int n) {
        return new javax.transaction.xa.Xid() {
            @Override
            public int getFormatId() {
                return 1;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {9, (byte) n};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {1};
            }
        };
    }

    /**
     * Recovery's pattern: the server makes a connection for a recovery scan, destroys it when the
     * scan ends, and later finishes the branches it found through that connection's XAResource.
     * The store closed with its last connection; each outcome call opens it again, and closes it.
     */
    @Test
    void aDestroyedConnectionsXaResourceStillFinishesBranches() throws Exception {
        StoreManagedConnection mc = newManagedConnection();
        String key = adapter.registry().getPaths()[0];
        StoreConnection h = (StoreConnection) mc.getConnection(null, null);
        javax.transaction.xa.XAResource xa = mc.getXAResource();
        javax.transaction.xa.Xid kept = xid(1);
        javax.transaction.xa.Xid dropped = xid(2);
        xa.start(kept, javax.transaction.xa.XAResource.TMNOFLAGS);
        long id = h.writeNewObjFromBytes(new byte[] {5});
        xa.end(kept, javax.transaction.xa.XAResource.TMSUCCESS);
        xa.prepare(kept);
        xa.start(dropped, javax.transaction.xa.XAResource.TMNOFLAGS);
        long gone = h.writeNewObjFromBytes(new byte[] {6});
        xa.end(dropped, javax.transaction.xa.XAResource.TMSUCCESS);
        xa.prepare(dropped);
        h.close();
        mc.destroy();
        assertEquals(0, adapter.registry().referenceCount(key), "the store closed with its last connection");

        int scan = javax.transaction.xa.XAResource.TMSTARTRSCAN | javax.transaction.xa.XAResource.TMENDRSCAN;
        assertEquals(2, xa.recover(scan).length, "both branches in doubt");
        xa.commit(kept, false);
        xa.rollback(dropped);
        assertEquals(0, adapter.registry().referenceCount(key), "each call gives the store back");

        StoreManagedConnection after = newManagedConnection();
        StoreConnection c = (StoreConnection) after.getConnection(null, null);
        assertArrayEquals(new byte[] {5}, c.readBytesFromObj(id));
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> c.readBytesFromObj(gone));
        assertEquals(0, adapter.registry().inDoubtBranches(key));
        c.close();
        after.destroy();
    }

    /**
     * A local transaction the application demarcates on a handle: its calls are one transaction
     * unseen by other connections until the commit; the pool hears STARTED, then COMMITTED or
     * ROLLEDBACK, with the handle; begin inside a JTA branch, and commit without begin, are BOB-634.
     */
    @Test
    void anApplicationsLocalTransactionIsAtomicAndToldToTheServer() throws Exception {
        StoreConnection h = factory.getConnection();
        StoreConnection outside = factory.getConnection();
        jakarta.resource.cci.LocalTransaction local = h.getLocalTransaction();
        local.begin();
        long kept = h.writeNewObjFromBytes(new byte[] {1});
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> outside.readBytesFromObj(kept));
        local.commit();
        assertArrayEquals(new byte[] {1}, outside.readBytesFromObj(kept));
        local.begin();
        long dropped = h.writeNewObjFromBytes(new byte[] {2});
        local.rollback();
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> outside.readBytesFromObj(dropped));

        List<Integer> told = pool.events.stream()
                .filter(e -> e.getId() != ConnectionEvent.CONNECTION_CLOSED)
                .map(e -> e.getId())
                .toList();
        assertEquals(
                List.of(
                        ConnectionEvent.LOCAL_TRANSACTION_STARTED,
                        ConnectionEvent.LOCAL_TRANSACTION_COMMITTED,
                        ConnectionEvent.LOCAL_TRANSACTION_STARTED,
                        ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK),
                told);
        assertTrue(pool.events(ConnectionEvent.LOCAL_TRANSACTION_STARTED).stream()
                .allMatch(e -> e.getConnectionHandle() == h));

        jakarta.resource.spi.LocalTransactionException none =
                assertThrows(jakarta.resource.spi.LocalTransactionException.class, local::commit);
        assertEquals("BOB-634", none.getErrorCode());

        StoreManagedConnection mc = newManagedConnection();
        StoreConnection inXa = (StoreConnection) mc.getConnection(null, null);
        javax.transaction.xa.XAResource xa = mc.getXAResource();
        xa.start(xid(7), javax.transaction.xa.XAResource.TMNOFLAGS);
        jakarta.resource.spi.LocalTransactionException nested =
                assertThrows(jakarta.resource.spi.LocalTransactionException.class, () -> inXa.getLocalTransaction()
                        .begin());
        assertEquals("BOB-634", nested.getErrorCode());
        xa.end(xid(7), javax.transaction.xa.XAResource.TMSUCCESS);
        xa.rollback(xid(7));
        inXa.close();
        mc.destroy();
        h.close();
        outside.close();
    }

    @Test
    void metaDataNamesTheProductAndADestroyedConnectionRefuses() throws Exception {
        StoreManagedConnection mc = newManagedConnection();
        assertEquals("bobbob", mc.getMetaData().getEISProductName());
        assertInstanceOf(String.class, mc.getMetaData().getEISProductVersion());
        mc.destroy();
        assertThrows(jakarta.resource.spi.IllegalStateException.class, () -> mc.getConnection(null, null));
        assertThrows(jakarta.resource.spi.IllegalStateException.class, mc::getXAResource);
    }
}
