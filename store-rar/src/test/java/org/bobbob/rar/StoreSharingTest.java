package org.bobbob.rar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bobbob.store.BasicStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One store per canonical path per adapter, reference counted, closed by the last user or by stop. */
class StoreSharingTest {
    @TempDir
    Path dir;

    StoreResourceAdapter adapter;
    StoreRegistry registry;

    @BeforeEach
    void start() throws ResourceException {
        adapter = Adapters.started();
        registry = adapter.registry();
    }

    @AfterEach
    void stop() {
        adapter.stop();
    }

    @Test
    void twoDefinitionsOnOnePathShareOneStore() throws Exception {
        FakePool poolA = new FakePool();
        FakePool poolB = new FakePool();
        StoreConnectionFactory a = Adapters.pooled(Adapters.factory(adapter, dir.resolve("s.bob"), "multi"), poolA);
        StoreConnectionFactory b =
                Adapters.pooled(Adapters.factory(adapter, dir.resolve("x/../s.bob"), "multi"), poolB);

        long id;
        try (StoreConnection c = a.getConnection()) {
            id = c.writeNewObjFromBytes("shared".getBytes(UTF_8));
        }
        try (StoreConnection c = b.getConnection()) {
            assertArrayEquals("shared".getBytes(UTF_8), c.readBytesFromObj(id)); // no sync: same open store
        }
        assertEquals(1, registry.getOpenStores());
        String path = dir.toRealPath().resolve("s.bob").toString();
        assertArrayEquals(new String[] {path}, registry.getPaths());
        assertEquals(2, registry.referenceCount(path), "one pooled connection from each definition");
    }

    @Test
    void twoPathsAreTwoStores() throws Exception {
        FakePool pool = new FakePool();
        StoreConnectionFactory a = Adapters.pooled(Adapters.factory(adapter, dir.resolve("a.bob"), "basic"), pool);
        StoreConnectionFactory b = Adapters.pooled(Adapters.factory(adapter, dir.resolve("b.bob"), "basic"), pool);
        try (StoreConnection ca = a.getConnection();
                StoreConnection cb = b.getConnection()) {
            long id = ca.writeNewObjFromBytes(new byte[] {1, 2, 3});
            assertEquals(1, ca.unwrap(StatisticsProvider.class).stats().objects());
            assertEquals(0, cb.unwrap(StatisticsProvider.class).stats().objects());
            assertThrows(ObjectNotFoundException.class, () -> cb.readBytesFromObj(id));
        }
        assertEquals(2, registry.getOpenStores());
    }

    @Test
    void lastDestroyedConnectionSyncsClosesAndFreesTheFile() throws Exception {
        Path file = dir.resolve("s.bob");
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, file, "basic");
        ManagedConnection first = mcf.createManagedConnection(null, null);
        ManagedConnection second = mcf.createManagedConnection(null, null);
        long id;
        try (StoreConnection c = (StoreConnection) first.getConnection(null, null)) {
            id = c.writeNewObjFromBytes("kept".getBytes(UTF_8)); // never synced explicitly
        }
        first.destroy();
        assertEquals(1, registry.getOpenStores(), "the second connection still holds the store");
        try (StoreConnection c = (StoreConnection) second.getConnection(null, null)) {
            assertArrayEquals("kept".getBytes(UTF_8), c.readBytesFromObj(id));
        }
        second.destroy();
        assertEquals(0, registry.getOpenStores());

        try (Storer reopened = BasicStore.open(file)) { // the lock is free and the data durable
            assertArrayEquals("kept".getBytes(UTF_8), reopened.readBytesFromObj(id));
        }
        ManagedConnection again = mcf.createManagedConnection(null, null);
        try (StoreConnection c = (StoreConnection) again.getConnection(null, null)) {
            assertArrayEquals("kept".getBytes(UTF_8), c.readBytesFromObj(id));
        }
        again.destroy();
    }

    @Test
    void stopClosesEveryStoreAndFailsOpenHandles() throws Exception {
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("s.bob"), "multi");
        ManagedConnection mc = mcf.createManagedConnection(null, null);
        StoreConnection c = (StoreConnection) mc.getConnection(null, null);
        long id = c.writeNewObjFromBytes(new byte[] {7});

        adapter.stop();
        adapter.stop(); // idempotent
        assertThrows(StoreClosedException.class, () -> c.readBytesFromObj(id));
        assertFalse(((StoreManagedConnection) mc).isValid());
        mc.destroy(); // after stop: nothing left to release, no error
        try (Storer reopened = MultiStore.open(dir.resolve("s.bob"), 0)) { // stop synced and unlocked it
            assertArrayEquals(new byte[] {7}, reopened.readBytesFromObj(id));
        }
    }

    @Test
    void aSecondDefinitionMustAgreeOnKindAndDiskTokens() throws Exception {
        Path file = dir.resolve("s.bob");
        ManagedConnection mc = Adapters.factory(adapter, file, "multi").createManagedConnection(null, null);

        ResourceException kind = assertThrows(ResourceException.class, () -> Adapters.factory(adapter, file, "basic")
                .createManagedConnection(null, null));
        assertTrue(kind.getMessage().startsWith("[BOB-609] config property 'kind'"), kind.getMessage());

        StoreManagedConnectionFactory tokens = Adapters.factory(adapter, file, "multi");
        tokens.setDiskTokens(4);
        ResourceException e = assertThrows(ResourceException.class, () -> tokens.createManagedConnection(null, null));
        assertTrue(e.getMessage().startsWith("[BOB-610] config property 'diskTokens'"), e.getMessage());
        mc.destroy();
    }

    @Test
    void aFileThatIsNotAStoreFailsNamingPathAndTheReason() throws Exception {
        Path file = dir.resolve("junk.bob");
        Files.write(file, new byte[4096]);
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, file, "basic");
        ResourceException e = assertThrows(ResourceException.class, () -> mcf.createManagedConnection(null, null));
        assertTrue(e.getMessage().startsWith("[BOB-608] config property 'path'"), e.getMessage());
        assertTrue(e.getMessage().contains("BOB-302"), e.getMessage());
        assertEquals(0, registry.getOpenStores());
    }

    @Test
    void matchingAcceptsOnlyLiveConnectionsToTheSamePathAndKind() throws Exception {
        StoreManagedConnectionFactory mcfA = Adapters.factory(adapter, dir.resolve("a.bob"), "multi");
        StoreManagedConnectionFactory mcfB = Adapters.factory(adapter, dir.resolve("b.bob"), "multi");
        ManagedConnection a = mcfA.createManagedConnection(null, null);
        ManagedConnection b = mcfB.createManagedConnection(null, null);

        assertSame(a, mcfA.matchManagedConnections(Set.of(b, a), null, null));
        assertNull(mcfB.matchManagedConnections(Set.of(a), null, null));
        a.destroy();
        assertNull(mcfA.matchManagedConnections(Set.of(a), null, null));
        assertEquals(Set.of(a), mcfA.getInvalidConnections(Set.of(a, b)));
        b.destroy();
    }

    @Test
    void theRegistryIsVisibleAsAnMBeanWhileTheAdapterRuns() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = adapter.mbeanName();
        ManagedConnection mc =
                Adapters.factory(adapter, dir.resolve("m.bob"), "multi").createManagedConnection(null, null);

        assertTrue(server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null)
                .contains(name));
        assertEquals(1, server.getAttribute(name, "OpenStores"));
        String path = dir.toRealPath().resolve("m.bob").toString();
        assertArrayEquals(new String[] {path}, (String[]) server.getAttribute(name, "Paths"));
        assertEquals(1, server.invoke(name, "referenceCount", new Object[] {path}, new String[] {"java.lang.String"}));

        mc.destroy();
        adapter.stop();
        assertFalse(server.isRegistered(name));
    }
}
