package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.UnsupportedCapabilityException;
import org.bobbob.store.support.ForwardingStorer;
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
        // passes unwrap and isWrapperFor straight on, as delegating stores commonly do
        Storer counting = new ForwardingStorer() {
            @Override
            protected <T> T call(StoreCall<T> call) throws IOException {
                seen.incrementAndGet();
                return call.apply(engine);
            }

            @Override
            public <T> T unwrap(Class<T> capability) throws StoreException {
                return engine.unwrap(capability);
            }

            @Override
            public boolean isWrapperFor(Class<?> capability) {
                return engine.isWrapperFor(capability);
            }

            @Override
            public ObjectWriter lateWriteNewObj(int size) throws IOException {
                return call(s -> s.lateWriteNewObj(size));
            }

            @Override
            public ObjectWriter writeToObj(long id) throws IOException {
                return call(s -> s.writeToObj(id));
            }

            @Override
            public ObjectReader lateReadObj(long id) throws IOException {
                return call(s -> s.lateReadObj(id));
            }

            @Override
            public void close() throws IOException {
                engine.close();
            }
        };
        try (ConcurrentStore store = ConcurrentStore.wrap(counting, 0)) {
            long id = store.writeNewObjFromBytes(new byte[] {7});
            assertEquals(1, seen.get(), "the write went through the delegating store, not around it");
            assertArrayEquals(new byte[] {7}, store.readBytesFromObj(id));
        }
    }
}
