package org.bobbob.rar.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.rar.StoreRegistryMXBean;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;

/**
 * The in-server checks that hold on every server, given the factories: the WildFly ITs here and
 * the GlassFish ITs (module store-glassfish-it, through this module's test-jar) both run them.
 * Server-specific parts (how the factories are defined and found, pool statistics) stay in the
 * ITs.
 */
public final class AdapterChecks {
    private AdapterChecks() {}

    /** A write and read by bytes and by stream through a connection of {@code factory}, then a sync. */
    public static void roundTrip(StoreConnectionFactory factory) throws Exception {
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
     * {@code clients.defaultStore} and {@code clients.sameStore} name the file ending {@code shared},
     * {@code clients.otherStore} the one ending {@code other}: the first two share one open store
     * (an unsynced write through one is read through the other), and the adapter's registry has
     * exactly these two open.
     */
    public static void twoDefinitionsOnOnePathShareOneOpenStore(Clients clients, String shared, String other)
            throws Exception {
        long id;
        try (StoreConnection viaDefault = clients.defaultStore.getConnection()) {
            id = viaDefault.writeNewObjFromBytes("written through DefaultStore".getBytes(UTF_8));
        }
        try (StoreConnection viaSame = clients.sameStore.getConnection()) {
            // not synced: only the same open store can return it
            assertArrayEquals("written through DefaultStore".getBytes(UTF_8), viaSame.readBytesFromObj(id));
        }
        try (StoreConnection viaOther = clients.otherStore.getConnection()) {
            viaOther.newObj(1);
        }

        ObjectName registry = registryServing(shared);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String[] paths = (String[]) server.getAttribute(registry, "Paths");
        assertEquals(2, server.getAttribute(registry, "OpenStores"), Arrays.toString(paths));
        assertEquals(1, Arrays.stream(paths).filter(p -> p.endsWith(shared)).count(), Arrays.toString(paths));
        assertEquals(1, Arrays.stream(paths).filter(p -> p.endsWith(other)).count(), Arrays.toString(paths));
        int references = referenceCount(shared);
        assertTrue(references >= 2, "pooled connections of both definitions hold the one store: " + references);
    }

    /** How many pooled connections hold the open store whose path ends {@code suffix}. */
    public static int referenceCount(String suffix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return (Integer)
                server.invoke(registryServing(suffix), "referenceCount", new Object[] {openPath(suffix)}, new String[] {
                    String.class.getName()
                });
    }

    /** The key (canonical path) of the open store whose path ends {@code suffix}, as the registry MBean lists it. */
    public static String openPath(String suffix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return Arrays.stream((String[]) server.getAttribute(registryServing(suffix), "Paths"))
                .filter(p -> p.endsWith(suffix))
                .findFirst()
                .orElseThrow();
    }

    /** The registry MBean of the adapter activation that has {@code suffix} open. */
    public static ObjectName registryServing(String suffix) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null)) {
            String[] paths = (String[]) server.getAttribute(name, "Paths");
            if (Arrays.stream(paths).anyMatch(p -> p.endsWith(suffix))) {
                return name;
            }
        }
        throw new AssertionError("no StoreRegistry MBean has a store ending " + suffix + " open");
    }

    /**
     * 20 threads start together and write 50 objects each, one pooled connection per object;
     * then 20 threads read every object back. Prints the times as {@code BOBBOB-TIMING}.
     */
    public static void twentyThreadsWriteFiftyObjectsEach(StoreConnectionFactory factory) throws Exception {
        int threads = 20;
        int perThread = 50;
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

    /** None of {@code ids} (and there is at least one) is an object of {@code factory}'s store. */
    public static void assertGone(StoreConnectionFactory factory, List<Long> ids) throws Exception {
        assertTrue(!ids.isEmpty(), "nothing was written");
        try (StoreConnection store = factory.getConnection()) {
            for (long id : ids) {
                assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id), "blob " + id);
            }
        }
    }
}
