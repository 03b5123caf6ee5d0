package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I/O failures: reported before they are thrown, the store failed, drained, then reopened. */
class FaultTest {
    @TempDir
    Path dir;

    FaultyOpener opener;
    StoreResourceAdapter adapter;
    StoreManagedConnectionFactory mcf;

    @BeforeEach
    void start() throws Exception {
        opener = new FaultyOpener();
        adapter = Adapters.started(opener);
        mcf = Adapters.factory(adapter, dir.resolve("s.bob"), "multi");
    }

    @AfterEach
    void stop() {
        adapter.stop();
    }

    /** Records error events and, like a server, destroys the managed connection that fired one. */
    static final class ServerListener implements NoTransactionListener {
        final List<ConnectionEvent> errors = new CopyOnWriteArrayList<>();
        final AtomicBoolean callerSawException = new AtomicBoolean();
        volatile boolean reportedBeforeThrown;

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            reportedBeforeThrown = !callerSawException.get();
            errors.add(event);
            try {
                ((StoreManagedConnection) event.getSource()).destroy();
            } catch (ResourceException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void connectionClosed(ConnectionEvent event) {}
    }

    private StoreManagedConnection connect(ServerListener listener) throws ResourceException {
        StoreManagedConnection mc = (StoreManagedConnection) mcf.createManagedConnection(null, null);
        mc.addConnectionEventListener(listener);
        return mc;
    }

    @Test
    void anIoErrorIsReportedToTheServerBeforeTheCallerSeesIt() throws Exception {
        ServerListener server = new ServerListener();
        StoreManagedConnection mc = connect(server);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        IOException disk = new IOException("disk on fire");
        opener.failWith.set(disk);

        IOException thrown = assertThrows(IOException.class, () -> {
            try {
                c.newObj(8);
            } finally {
                server.callerSawException.set(true);
            }
        });
        assertSame(disk, thrown);
        assertTrue(server.reportedBeforeThrown);
        assertEquals(1, server.errors.size());
        assertSame(disk, server.errors.get(0).getException());
        assertSame(c, server.errors.get(0).getConnectionHandle());
        assertFalse(c.isOpen(), "the server's destroy invalidated the handle");
    }

    @Test
    void aFailedStoreIsInvalidRefusedAndReopenedOnceItsConnectionsAreGone() throws Exception {
        ServerListener server = new ServerListener();
        StoreManagedConnection a = connect(server);
        StoreManagedConnection b = connect(server);
        StoreConnection ca = (StoreConnection) a.getConnection(null, null);
        StoreConnection cb = (StoreConnection) b.getConnection(null, null);
        long id = cb.writeNewObjFromBytes(new byte[] {42});

        opener.failWith.set(new IOException("disk on fire"));
        assertThrows(IOException.class, () -> ca.newObj(1));
        opener.failWith.set(null); // the disk is back, but the store stays failed until reopened

        assertEquals(Set.of(b), mcf.getInvalidConnections(Set.of(b)), "b shares the failed store");
        ResourceException e = assertThrows(ResourceException.class, () -> mcf.createManagedConnection(null, null));
        assertTrue(e.getMessage().startsWith("[BOB-611]"), e.getMessage());

        StoreClosedException refused = assertThrows(StoreClosedException.class, () -> cb.readBytesFromObj(id));
        assertTrue(refused.getMessage().contains("disk on fire"), refused.getMessage());
        assertEquals(2, server.errors.size(), "b reported too, so the server discards it");

        // both were destroyed by the listener: the store closed, and the next use reopens it
        assertEquals(0, adapter.registry().getOpenStores());
        StoreManagedConnection fresh = connect(server);
        try (StoreConnection c = (StoreConnection) fresh.getConnection(null, null)) {
            assertArrayEquals(new byte[] {42}, c.readBytesFromObj(id));
        }
        assertEquals(2, opener.opens.get());
        fresh.destroy();
    }

    @Test
    void aLateHandleErrorIsReportedToo() throws Exception {
        ServerListener server = new ServerListener();
        StoreConnection c = (StoreConnection) connect(server).getConnection(null, null);
        long id = c.writeNewObjFromBytes(new byte[] {1, 2});
        ObjectReader reader = c.lateReadObj(id);
        IOException disk = new IOException("bad sector");
        opener.failWith.set(disk);
        assertSame(disk, assertThrows(IOException.class, () -> reader.read(ByteBuffer.allocate(2))));
        assertEquals(1, server.errors.size());
        assertFalse(reader.isOpen(), "destroying the connection closed the Late handle");
    }

    @Test
    void interruptsAndApplicationErrorsAreNotConnectionErrors() throws Exception {
        ServerListener server = new ServerListener();
        StoreConnection c = (StoreConnection) connect(server).getConnection(null, null);
        opener.failWith.set(new InterruptedIOException("interrupted waiting for a disk token"));
        assertThrows(InterruptedIOException.class, () -> c.newObj(1));
        opener.failWith.set(null);
        assertThrows(ObjectNotFoundException.class, () -> c.readBytesFromObj(99));
        assertEquals(List.of(), server.errors);
        assertTrue(c.isOpen());
    }

    @Test
    void faultClassification() {
        assertTrue(Faults.isFatal(new IOException("eio")));
        assertTrue(Faults.isFatal(new StoreCorruptedException("bad checksum")));
        assertTrue(Faults.isFatal(new StoreClosedException("closed under us")));
        assertFalse(Faults.isFatal(new ObjectNotFoundException(3, "gone")));
        assertFalse(Faults.isFatal(new StoreException("store full")));
        assertFalse(Faults.isFatal(new InterruptedIOException()));
    }

    @Test
    void aStoreFileDeletedUnderTheAdapterMakesItsConnectionsInvalidAtThePeriodicCheck() throws Exception {
        StoreManagedConnection mc = connect(new ServerListener());
        assertEquals(Set.of(), mcf.getInvalidConnections(Set.of(mc)));
        Files.delete(dir.resolve("s.bob"));
        // validation reads flags only: it cannot see the file go (it does no I/O)
        assertEquals(Set.of(), mcf.getInvalidConnections(Set.of(mc)));
        assertTrue(mc.isValid());

        adapter.registry().syncAll(); // what the adapter's timer runs
        assertEquals(Set.of(mc), mcf.getInvalidConnections(Set.of(mc)));
        mc.destroy();
    }

    @Test
    void aStoreFileReplacedUnderTheAdapterMakesItsConnectionsInvalidAtThePeriodicCheck() throws Exception {
        StoreManagedConnection mc = connect(new ServerListener());
        Path file = dir.resolve("s.bob");
        Files.move(file, dir.resolve("moved.bob"));
        Files.write(file, new byte[] {1, 2, 3}); // another file at the store's path
        assertTrue(mc.isValid());
        adapter.registry().syncAll();
        assertFalse(mc.isValid());
        mc.destroy();
    }

    @Test
    void thePeriodicCheckLeavesAnIntactStoreAlone() throws Exception {
        StoreManagedConnection mc = connect(new ServerListener());
        adapter.registry().syncAll();
        adapter.registry().syncAll();
        assertTrue(mc.isValid());
        mc.destroy();
    }

    @Test
    void afterTheFileIsDeletedThePoolEvictsAndTheNextGetConnectionOpensTheFileAgain() throws Exception {
        ValidatingPool pool = new ValidatingPool();
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory(pool);
        Path file = dir.resolve("s.bob");
        long id;
        StoreConnection held = factory.getConnection(); // a second managed connection, in use throughout
        try (StoreConnection c = factory.getConnection()) {
            id = c.writeNewObjFromBytes(new byte[] {42});
            c.sync();
        }
        Files.delete(file);
        try (StoreConnection c = factory.getConnection()) { // validation does not notice yet
            assertArrayEquals(new byte[] {42}, c.readBytesFromObj(id));
        }
        assertEquals(0, pool.evicted.get());

        adapter.registry().syncAll(); // the periodic check marks the store failed [BOB-631]

        // the idle connection is evicted; the store cannot reopen while `held` still holds it
        ResourceException refused = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> assertThrows(ResourceException.class, factory::getConnection));
        assertEquals(1, pool.evicted.get());
        assertEquals(ErrorCode.RAR_STORE_FAILED.id(), refused.getErrorCode());
        assertTrue(refused.getMessage().contains(ErrorCode.RAR_STORE_FILE_GONE.id()), refused.getMessage());

        // the holder's next call fails with the reason, which discards its connection
        StoreClosedException closed = assertThrows(StoreClosedException.class, () -> held.readBytesFromObj(id));
        assertTrue(closed.getMessage().contains("was deleted or moved"), closed.getMessage());
        assertFalse(held.isOpen());
        assertEquals(0, adapter.registry().getOpenStores());

        // recovered: a fresh connection on the file opened again (created anew: it was deleted)
        int created = pool.created.get();
        try (StoreConnection c = assertTimeoutPreemptively(Duration.ofSeconds(30), factory::getConnection)) {
            assertThrows(ObjectNotFoundException.class, () -> c.readBytesFromObj(id));
            c.writeNewObjFromBytes(new byte[] {1});
        }
        assertEquals(created + 1, pool.created.get());
        assertTrue(Files.exists(file));
        pool.destroyIdle();
    }
}
