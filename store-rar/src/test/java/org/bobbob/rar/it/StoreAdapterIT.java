package org.bobbob.rar.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.naming.InitialContext;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.rar.StoreRegistryMXBean;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside WildFly: the built RAR, activated by a test {@code ironjacamar.xml} with three
 * connection definitions (two on one path), and a WAR beside it that imports the RAR's module.
 */
@ExtendWith(ArquillianExtension.class)
class StoreAdapterIT {
    private static final String SHARED = "/it/shared.bob";
    private static final String OTHER = "/it/other.bob";

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar("ironjacamar.xml");
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ItArchives.warBesideTheRar("store-it.war", StoreAdapterIT.class, Clients.class);
    }

    @Inject
    Clients clients;

    @Test
    @OperateOnDeployment("war")
    void jndiLookupGivesAWorkingFactory() throws Exception {
        Object bound = new InitialContext().lookup("java:/bobbob/DefaultStore");
        StoreConnectionFactory factory = assertInstanceOf(StoreConnectionFactory.class, bound);
        assertNotNull(factory.getReference());
        try (StoreConnection store = factory.getConnection()) {
            long id = store.writeNewObjFromBytes("round trip".getBytes(UTF_8));
            assertArrayEquals("round trip".getBytes(UTF_8), store.readBytesFromObj(id));

            long streamed;
            try (ObjectWriter w = store.lateWriteNewObj(6);
                    var out = w.asOutputStream()) {
                out.write("stream".getBytes(UTF_8));
                streamed = w.id();
            }
            try (ObjectReader r = store.lateReadObj(streamed);
                    var in = r.asInputStream()) {
                assertArrayEquals("stream".getBytes(UTF_8), in.readAllBytes());
            }
            store.sync();
        }
    }

    /**
     * The store's flight-recorder events reach a recording in the server: the RAR's manifest
     * gives it {@code jdk.jfr}, which WildFly does not give deployments by itself.
     */
    @Test
    @OperateOnDeployment("war")
    void aSyncIsRecordedByTheFlightRecorderInTheServer() throws Exception {
        BlockingQueue<RecordedEvent> commits = new LinkedBlockingQueue<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.enable("org.bobbob.StoreCommit");
            recording.onEvent("org.bobbob.StoreCommit", commits::add);
            recording.startAsync();
            try (StoreConnection store = clients.defaultStore.getConnection()) {
                store.writeNewObjFromBytes(new byte[] {4});
                store.sync();
            }
            RecordedEvent commit = commits.poll(30, TimeUnit.SECONDS);
            assertNotNull(commit, "no org.bobbob.StoreCommit event within 30 s");
            assertTrue(commit.getBoolean("succeeded"));
        }
    }

    @Test
    @OperateOnDeployment("war")
    void resourceInjectionGivesWorkingFactories() throws Exception {
        try (StoreConnection store = clients.defaultStore.getConnection()) {
            long id = store.writeNewObjFromBytes(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, store.readBytesFromObj(id));
        }
        assertNotNull(clients.sameStore);
        assertNotNull(clients.otherStore);
    }

    @Test
    @OperateOnDeployment("war")
    void twoDefinitionsOnOnePathShareOneOpenStore() throws Exception {
        long id;
        try (StoreConnection viaDefault = clients.defaultStore.getConnection()) {
            id = viaDefault.writeNewObjFromBytes("written through DefaultStore".getBytes(UTF_8));
        }
        try (StoreConnection viaSame = clients.sameStore.getConnection()) {
            // not synced: only the same open store can return it
            assertArrayEquals("written through DefaultStore".getBytes(UTF_8), viaSame.readBytesFromObj(id));
        }
        try (StoreConnection other = clients.otherStore.getConnection()) {
            other.newObj(1);
        }

        ObjectName registry = registryServing(SHARED);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String[] paths = (String[]) server.getAttribute(registry, "Paths");
        assertEquals(2, server.getAttribute(registry, "OpenStores"), Arrays.toString(paths));
        assertEquals(1, Arrays.stream(paths).filter(p -> p.endsWith(SHARED)).count(), Arrays.toString(paths));
        assertEquals(1, Arrays.stream(paths).filter(p -> p.endsWith(OTHER)).count(), Arrays.toString(paths));
        String shared =
                Arrays.stream(paths).filter(p -> p.endsWith(SHARED)).findFirst().orElseThrow();
        int references = (Integer)
                server.invoke(registry, "referenceCount", new Object[] {shared}, new String[] {String.class.getName()});
        assertTrue(references >= 2, "pooled connections of both definitions hold the one store: " + references);
    }

    @Test
    @OperateOnDeployment("war")
    void twoPathsAreTwoStores() throws Exception {
        try (StoreConnection shared = clients.defaultStore.getConnection();
                StoreConnection other = clients.otherStore.getConnection()) {
            long sharedBefore = objects(shared);
            long otherBefore = objects(other);
            for (int i = 0; i < 3; i++) {
                other.writeNewObjFromBytes(new byte[] {(byte) i});
            }
            assertEquals(otherBefore + 3, objects(other));
            assertEquals(sharedBefore, objects(shared));
        }
    }

    private static long objects(StoreConnection store) throws Exception {
        return store.unwrap(StatisticsProvider.class).stats().objects();
    }

    @Test
    @OperateOnDeployment("war")
    void twentyThreadsWriteFiftyObjectsEachThroughPooledConnections() throws Exception {
        int threads = 20;
        int perThread = 50;
        StoreConnectionFactory factory = clients.defaultStore;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long began = System.nanoTime();
        try {
            List<Future<long[]>> written = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                written.add(pool.submit(() -> {
                    start.await();
                    long[] ids = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        try (StoreConnection store = factory.getConnection()) { // one pooled connection per object
                            ids[i] = store.writeNewObjFromBytes(payload(thread, i));
                        }
                    }
                    return ids;
                }));
            }
            List<long[]> ids = new ArrayList<>();
            for (Future<long[]> f : written) {
                ids.add(f.get(2, TimeUnit.MINUTES));
            }
            long wroteAt = System.nanoTime();
            List<Future<?>> checked = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                checked.add(pool.submit(() -> {
                    try (StoreConnection store = factory.getConnection()) {
                        for (int i = 0; i < perThread; i++) {
                            assertArrayEquals(payload(thread, i), store.readBytesFromObj(ids.get(thread)[i]));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : checked) {
                f.get(2, TimeUnit.MINUTES);
            }
            assertEquals(
                    threads * perThread,
                    ids.stream().flatMapToLong(Arrays::stream).distinct().count());
            System.out.printf(
                    "BOBBOB-TIMING 20x50 concurrent: write %d ms, verify %d ms%n",
                    (wroteAt - began) / 1_000_000, (System.nanoTime() - wroteAt) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] payload(int thread, int i) {
        return ("thread " + thread + " object " + i + " " + "x".repeat(thread * 7 + i)).getBytes(UTF_8);
    }

    @Test
    @OperateOnDeployment("war")
    void aClosedHandleRefusesCallsButTheStoreStaysOpen() throws Exception {
        StoreConnection store = clients.defaultStore.getConnection();
        long id = store.writeNewObjFromBytes(new byte[] {9});
        store.close();
        assertFalse(store.isOpen());
        assertThrows(StoreClosedException.class, () -> store.readBytesFromObj(id));
        try (StoreConnection again = clients.defaultStore.getConnection()) {
            assertArrayEquals(new byte[] {9}, again.readBytesFromObj(id));
        }
    }

    @Test
    @OperateOnDeployment("war")
    void theApiClassesComeFromTheRarModule() {
        String rarModule = "deployment." + ItArchives.RAR;
        assertTrue(
                StoreConnectionFactory.class.getClassLoader().toString().contains(rarModule),
                StoreConnectionFactory.class.getClassLoader().toString());
        assertEquals(
                StoreConnectionFactory.class.getClassLoader(),
                Storer.class.getClassLoader(),
                "store-core is packed in the RAR: one module, one copy of the API");
        assertNotEquals(StoreAdapterIT.class.getClassLoader(), Storer.class.getClassLoader());
    }

    /** The registry MBean of the adapter activation that has {@code suffix} open. */
    static ObjectName registryServing(String suffix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null)) {
            String[] paths = (String[]) server.getAttribute(name, "Paths");
            if (Arrays.stream(paths).anyMatch(p -> p.endsWith(suffix))) {
                return name;
            }
        }
        throw new AssertionError("no StoreRegistry MBean has a store ending " + suffix + " open");
    }
}
