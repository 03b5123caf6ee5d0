package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.SessionScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.RunAllocator;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;
import org.bobbob.store.UnsupportedCapabilityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @Inject Storer} in beans of every scope, over an embedded store (Weld SE). */
class InjectionScopesTest extends ContainerTest {
    /** The default store, injected; {@link #storer()} reads it through a client proxy too. */
    abstract static class StorerBean {
        @Inject
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    @ApplicationScoped
    static class AppBean extends StorerBean {}

    @RequestScoped
    static class RequestBean extends StorerBean {}

    @Dependent
    static class DependentBean extends StorerBean {}

    @SessionScoped
    static class SessionBean implements Serializable {
        private static final long serialVersionUID = 1L;

        @Inject
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    @BeforeEach
    void boot() {
        props.set("bobbob.store.default.url", "bobbob:multi:" + dir.resolve("default.bob"));
        container = WeldSe.boot(AppBean.class, RequestBean.class, DependentBean.class, SessionBean.class);
    }

    @Test
    void everyScopeGetsAStorerOnTheSameStore() throws IOException {
        AppBean app = container.select(AppBean.class).get();
        DependentBean dependent = container.select(DependentBean.class).get();
        long id = app.storer().writeNewObjFromBytes(new byte[] {1, 2, 3});

        assertArrayEquals(new byte[] {1, 2, 3}, dependent.storer().readBytesFromObj(id));
        RequestContextController request =
                container.select(RequestContextController.class).get();
        request.activate();
        try {
            RequestBean requestBean = container.select(RequestBean.class).get();
            assertArrayEquals(new byte[] {1, 2, 3}, requestBean.storer().readBytesFromObj(id));
            requestBean.storer().deleteObj(id);
        } finally {
            request.deactivate();
        }
        assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> app.storer()
                .readBytesFromObj(id));
        assertSame(app.storer(), dependent.storer(), "one stateless facade per store, whatever the scope");
    }

    @Test
    void requestScopedBeansOfSuccessiveRequestsSeeEachOthersObjects() throws IOException {
        RequestContextController request =
                container.select(RequestContextController.class).get();
        long id;
        RequestBean first;
        request.activate();
        try {
            first = container.select(RequestBean.class).get();
            id = first.storer().writeNewObjFromBytes("first request".getBytes());
            first.storer().sync();
        } finally {
            request.deactivate();
        }
        request.activate();
        try {
            RequestBean second = container.select(RequestBean.class).get();
            assertEquals("first request", new String(second.storer().readBytesFromObj(id)));
        } finally {
            request.deactivate();
        }
    }

    @Test
    void twentyThreadsWriteAndVerifyFiftyObjectsEachThroughOneApplicationScopedBean() throws Exception {
        Storer storer = container.select(AppBean.class).get().storer();
        int threads = 20;
        int perThread = 50;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    start.await();
                    return Blobs.writeAndVerify(storer, seed, perThread);
                }));
            }
            long distinct = results.stream()
                    .flatMapToLong(f -> {
                        try {
                            return java.util.Arrays.stream(f.get(60, TimeUnit.SECONDS));
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .distinct()
                    .count();
            assertEquals(threads * perThread, distinct);
            assertEquals(
                    threads * perThread,
                    storer.unwrap(StatisticsProvider.class).stats().objects());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lateHandlesStreamThroughTheFacade() throws IOException {
        Storer storer = container.select(AppBean.class).get().storer();
        byte[] content = Blobs.blob(7, 7);
        long id;
        try (ObjectWriter writer = storer.lateWriteNewObj(content.length);
                OutputStream out = writer.asOutputStream()) {
            out.write(content);
            id = writer.id();
        }
        try (ObjectReader reader = storer.lateReadObj(id);
                InputStream in = reader.asInputStream()) {
            assertEquals(content.length, reader.size());
            assertArrayEquals(content, in.readAllBytes());
        }
        try (ObjectWriter writer = storer.writeToObj(id)) {
            writer.write(java.nio.ByteBuffer.wrap(new byte[] {42}));
            assertTrue(writer.isOpen());
        }
        assertEquals(42, storer.readBytesFromObj(id)[0]);
    }

    @Test
    void closeIsRefusedAndTheStorerStaysUsable() throws IOException {
        Storer storer = container.select(AppBean.class).get().storer();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, storer::close);
        assertTrue(e.getMessage().startsWith("[BOB-712]"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> {
            try (Storer s = storer) {
                s.newObj(1);
            }
        });
        long id = storer.newObj(10);
        assertEquals(10, storer.readBytesFromObj(id).length);
    }

    @Test
    void unwrapGivesCapabilityViewsButNeverAStorerThatCouldCloseTheStore() throws IOException {
        Storer storer = container.select(AppBean.class).get().storer();
        long id = storer.writeNewObjFromBytes(new byte[100]);

        assertSame(storer, storer.unwrap(Storer.class));
        assertEquals(
                100,
                storer.unwrap(ObjectInfoProvider.class)
                        .objectInfo(id)
                        .orElseThrow()
                        .size());
        StatisticsProvider stats = storer.unwrap(StatisticsProvider.class);
        assertEquals(1, stats.stats().objects());
        storer.newObj(1);
        assertEquals(2, stats.stats().objects(), "each call of a view asks the store afresh");
        assertTrue(storer.isWrapperFor(StatisticsProvider.class));
        assertFalse(storer.isWrapperFor(RunAllocator.class), "a multi store has no RunAllocator");
        assertFalse(storer.isWrapperFor(ConcurrentStore.class));
        assertThrows(UnsupportedCapabilityException.class, () -> storer.unwrap(ConcurrentStore.class));
        assertThrows(UnsupportedCapabilityException.class, () -> storer.unwrap(RunAllocator.class));
    }

    @Test
    void theInjectedStorerSurvivesPassivation() throws Exception {
        Storer storer = container.select(AppBean.class).get().storer();
        long id = storer.writeNewObjFromBytes(new byte[] {9});

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(storer);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertSame(storer, back, "read back as the running container's facade of that store");
        assertArrayEquals(new byte[] {9}, ((Storer) back).readBytesFromObj(id));
    }

    @Test
    void eachInjectionIntoANewDependentBeanIsCheap() {
        DependentBean a = container.select(DependentBean.class).get();
        DependentBean b = container.select(DependentBean.class).get();
        assertNotSame(a, b);
        assertSame(a.storer(), b.storer());
    }
}
