package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.UnsupportedCapabilityException;
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
            assertTrue(capped.inner().isWrapperFor(SelfGuardedWrites.class), "the engine offers it");
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
}
