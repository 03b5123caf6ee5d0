package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.inject.Inject;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.WriteLimitExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The injected Storer over a pooled connection factory (JNDI, as in a server) never keeps a
 * connection: a stand-in factory bound in a test JNDI context counts the connections out, as the
 * server's pool does with its in-use count.
 */
class NoLeakTest extends ContainerTest {
    private static final String JNDI = "java:/test/CountingStore";

    private Storer store;
    private CountingConnectionFactory factory;

    @ApplicationScoped
    static class AppBean {
        @Inject
        @Store("pooled")
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    @RequestScoped
    static class RequestBean {
        @Inject
        @Store("pooled")
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    @BeforeEach
    void boot() throws IOException {
        store = StoreManager.open("bobbob:multi:" + dir.resolve("pooled.bob"));
        factory = new CountingConnectionFactory(store);
        MapContextFactory.bind(JNDI, factory);
        props.set("bobbob.store.pooled.jndi", JNDI);
        container = WeldSe.boot(AppBean.class, RequestBean.class);
    }

    @AfterEach
    void unbind() throws IOException {
        MapContextFactory.unbind(JNDI);
        store.close();
    }

    private Storer storer() {
        return container.select(AppBean.class).get().storer();
    }

    @Test
    void aThousandOperationsOfEveryKindLeaveNoConnectionInUse() throws IOException {
        Storer storer = storer();
        long prime = storer.primeObject(8);
        int operations = 1;
        for (int i = 0; i < 100; i++) {
            long id = storer.writeNewObjFromBytes(Blobs.blob(3, i));
            long empty = storer.newObj(16);
            storer.writeBytesToObj(empty, new byte[] {1, 2});
            assertArrayEquals(Blobs.blob(3, i), storer.readBytesFromObj(id));
            try (ObjectWriter w = storer.writeToObj(id)) {
                w.write(ByteBuffer.wrap(new byte[] {7}));
            }
            try (ObjectReader r = storer.lateReadObj(id)) {
                assertEquals(Blobs.blob(3, i).length, r.size());
            }
            storer.deleteObj(empty);
            assertEquals(prime, storer.primeObject(8));
            storer.sync();
            operations += 9;
            assertEquals(0, factory.inUse(), "after round " + i);
        }
        assertEquals(901, operations);
        StatisticsProvider stats = storer.unwrap(StatisticsProvider.class);
        for (int i = 0; i < 100; i++) {
            assertEquals(101, stats.stats().objects());
        }
        assertEquals(0, factory.inUse());
        assertTrue(factory.handedOut() >= 1000, "one connection per call: " + factory.handedOut());
        assertEquals(1, factory.maxInUse(), "one thread, one call at a time, one connection");
    }

    @Test
    void aLateHandleHoldsItsConnectionUntilItIsClosed() throws IOException {
        Storer storer = storer();
        long id = storer.writeNewObjFromBytes(new byte[] {1, 2, 3});
        ObjectWriter writer = storer.lateWriteNewObj(10);
        assertEquals(1, factory.inUse());
        ObjectReader reader = storer.lateReadObj(id);
        assertEquals(2, factory.inUse());
        storer.newObj(1);
        assertEquals(2, factory.inUse(), "a plain call in between gives its own connection back");

        writer.close();
        assertEquals(1, factory.inUse());
        writer.close();
        assertEquals(1, factory.inUse(), "closing twice gives back nothing more");
        reader.asInputStream().close();
        assertEquals(0, factory.inUse());
    }

    @Test
    void failingCallsGiveTheirConnectionBack() throws IOException {
        Storer storer = storer();
        long id = storer.writeNewObjFromBytes(new byte[4]);
        assertThrows(ObjectNotFoundException.class, () -> storer.readBytesFromObj(id + 1000));
        assertThrows(ObjectNotFoundException.class, () -> storer.lateReadObj(id + 1000));
        assertThrows(ObjectNotFoundException.class, () -> storer.writeToObj(-1));
        assertThrows(IllegalArgumentException.class, () -> storer.lateWriteNewObj(-1));
        assertThrows(WriteLimitExceededException.class, () -> storer.writeBytesToObj(id, new byte[5]));
        try (ObjectWriter w = storer.writeToObj(id)) {
            assertThrows(WriteLimitExceededException.class, () -> w.write(ByteBuffer.wrap(new byte[5])));
            assertEquals(1, factory.inUse());
        }
        assertEquals(0, factory.inUse());
    }

    @Test
    void noConnectionFromThePoolIsAStoreExceptionNamingTheKey() {
        factory.failWith(new ResourceException("pool exhausted"));
        Storer storer = storer();
        StoreException e = assertThrows(StoreException.class, () -> storer.newObj(1));
        assertTrue(
                e.getMessage()
                        .startsWith("[BOB-709] bobbob.store.pooled.jndi: no connection from store 'pooled'"
                                + " (bobbob.store.pooled.jndi=java:/test/CountingStore): pool exhausted"),
                e.getMessage());
        assertThrows(StoreException.class, () -> storer.lateReadObj(1));
        factory.failWith(null);
        assertEquals(0, factory.inUse());
    }

    @Test
    void closeIsRefusedAndGivesNothingBack() throws IOException {
        Storer storer = storer();
        ObjectWriter held = storer.lateWriteNewObj(1);
        assertThrows(UnsupportedOperationException.class, storer::close);
        assertEquals(1, factory.inUse(), "close of the facade does not touch Late handles");
        held.close();
        storer.newObj(1);
        assertEquals(0, factory.inUse());
    }

    @Test
    void twentyThreadsTimesFiftyObjectsThroughRequestScopedBeansLeaveNoConnectionInUse() throws Exception {
        int threads = 20;
        int perThread = 50;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 100 + t;
                results.add(pool.submit(() -> {
                    RequestContextController request =
                            container.select(RequestContextController.class).get();
                    request.activate();
                    try {
                        Storer storer =
                                container.select(RequestBean.class).get().storer();
                        start.await();
                        Blobs.writeAndVerify(storer, seed, perThread);
                        return perThread;
                    } finally {
                        request.deactivate();
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, total);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, factory.inUse());
        assertEquals(2 * threads * perThread, factory.handedOut());
        assertTrue(factory.maxInUse() <= threads, "at most one connection per thread: " + factory.maxInUse());
    }

    @Test
    void theFactoryIsLookedUpOnceAndAFailedLookupIsRetried() throws IOException {
        MapContextFactory.unbind(JNDI);
        Storer storer = storer();
        StoreException e = assertThrows(StoreException.class, () -> storer.newObj(1));
        assertTrue(e.getMessage().startsWith("[BOB-707] bobbob.store.pooled.jndi:"), e.getMessage());
        MapContextFactory.bind(JNDI, factory);
        storer.newObj(1);
        MapContextFactory.unbind(JNDI);
        storer.newObj(1); // the factory found is kept
        assertSame(storer, container.select(AppBean.class).get().storer());
        assertEquals(0, factory.inUse());
    }
}
