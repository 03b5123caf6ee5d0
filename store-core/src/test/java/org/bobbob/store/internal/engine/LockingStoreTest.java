package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.Storer;
import org.bobbob.store.UnsupportedCapabilityException;
import org.bobbob.store.support.SelfGuardedCreates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the locking wrapper finds the engine's handle-free write path: a capability, never passed through. */
class LockingStoreTest {
    @TempDir
    Path dir;

    @Test
    void theEngineOffersItsSelfGuardedWritesToTheWrapperAboveItOnly() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // MultiStore.create with a cap: the engine wrapped once, with one token; then wrapped again.
        try (ConcurrentStore outer = ConcurrentStore.wrap(MultiStore.create(dir.resolve("s.bob"), 1), 0)) {
            ConcurrentStore capped = (ConcurrentStore) outer.inner();
            assertTrue(capped.inner() instanceof SelfGuardedWrites, "the engine has it");
            assertFalse(capped.inner().isWrapperFor(SelfGuardedWrites.class), "but never offers it through unwrap");
            assertFalse(capped.isWrapperFor(SelfGuardedWrites.class), "a wrapper does not pass it on");
            assertThrows(UnsupportedCapabilityException.class, () -> capped.unwrap(SelfGuardedWrites.class));

            long id = outer.writeNewObjFromBytes(new byte[] {1});
            ObjectReader held = capped.lateReadObj(id); // the only token of the capped layer
            Future<Long> write = pool.submit(() -> outer.writeNewObjFromBytes(new byte[] {2}));
            assertThrows(
                    TimeoutException.class,
                    () -> write.get(200, TimeUnit.MILLISECONDS),
                    "the outer wrapper went through the capped one, not around it to the engine");
            held.close();
            assertArrayEquals(new byte[] {2}, outer.readBytesFromObj(write.get(30, TimeUnit.SECONDS)));
            assertEquals(1, capped.diskTokens().waits());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDelegatingStoreBetweenTheWrapperAndTheEngineSeesEveryWrite() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        Storer engine = MultiStore.create(dir.resolve("d.bob"), 0);
        // passes every call on, unwrap and isWrapperFor included, as delegating stores commonly do
        Storer counting = (Storer) Proxy.newProxyInstance(
                Storer.class.getClassLoader(), new Class<?>[] {Storer.class}, (proxy, method, args) -> {
                    if (method.getName().contains("Obj")) {
                        seen.incrementAndGet();
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (ConcurrentStore store = ConcurrentStore.wrap(counting, 0)) {
            long id = store.writeNewObjFromBytes(new byte[] {7});
            assertTrue(seen.get() > 0, "the write went through the delegating store, not around it");
            assertArrayEquals(new byte[] {7}, store.readBytesFromObj(id));
        }
    }

    @Test
    void aSelfGuardedCreatesStoreIsCalledDirectlyForANewObjectOutsideTheAllocationLock() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        CountDownLatch allocating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Storer engine = MultiStore.create(dir.resolve("c.bob"), 0);
        // one create in one step, as the s3 store's conditional PUT; its lateWriteNewObj stalls
        Storer creates = (Storer) Proxy.newProxyInstance(
                Storer.class.getClassLoader(), new Class<?>[] {SelfGuardedCreates.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("lateWriteNewObj")) {
                        allocating.countDown();
                        release.await();
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ConcurrentStore store = ConcurrentStore.wrap(creates, 0)) {
            assertFalse(store.isWrapperFor(SelfGuardedCreates.class), "a wrapper does not pass it on");
            assertThrows(UnsupportedCapabilityException.class, () -> store.unwrap(SelfGuardedCreates.class));

            Future<Long> late = pool.submit(() -> store.newObj(4)); // holds the allocation lock, stalled
            assertTrue(allocating.await(30, TimeUnit.SECONDS));
            calls.clear();
            // not behind the stalled allocation: done while it still waits
            long id = pool.submit(() -> store.writeNewObjFromBytes(new byte[] {5, 6}))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(List.of("writeNewObjFromBytes"), calls, "one call of the store's own, no handle");
            release.countDown();
            late.get(30, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {5, 6}, store.readBytesFromObj(id));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
