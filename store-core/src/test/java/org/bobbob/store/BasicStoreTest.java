package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the basic store does: runs and batched writes over them. */
class BasicStoreTest {
    @TempDir
    Path dir;

    @Test
    void aRunIsBackToBackAndFilledByOneBatchedWrite() throws Exception {
        Path file = dir.resolve("basic.bob");
        AllocatedRun run;
        byte[] data = TestBytes.of(1, 36 * 100);
        try (Storer s = BasicStore.create(file)) {
            run = runs(s).allocateRun(36, 100);
            assertEquals(100, run.count());
            for (int i = 0; i < 100; i++) {
                assertEquals(run.offsets()[0] + 36L * i, run.offsets()[i]);
                assertArrayEquals(new byte[36], s.readBytesFromObj(run.ids()[i]), "runs are zero-filled");
            }
            int[] sizes = new int[100];
            Arrays.fill(sizes, 36);
            s.writeBatchedObjs(run.ids(), data, sizes);
        }
        try (Storer s = BasicStore.open(file)) {
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(Arrays.copyOfRange(data, i * 36, i * 36 + 36), s.readBytesFromObj(run.ids()[i]));
            }
        }
    }

    @Test
    void aRunInReusedSpaceReadsAsZeros() throws Exception {
        try (Storer s = BasicStore.create(dir.resolve("reuse.bob"))) {
            long old = s.writeNewObjFromBytes(TestBytes.filled(4000, (byte) 0x55));
            long oldOffset = s.unwrap(ObjectInfoProvider.class)
                    .objectInfo(old)
                    .orElseThrow()
                    .offset();
            s.writeNewObjFromBytes(new byte[8]); // keeps the hole from being the end
            s.deleteObj(old);
            s.sync();
            AllocatedRun run = runs(s).allocateRun(40, 100);
            assertTrue(run.offsets()[0] <= oldOffset, "the run went into the hole (merged with free space before it)");
            for (long id : run.ids()) {
                assertArrayEquals(new byte[40], s.readBytesFromObj(id));
            }
        }
    }

    @Test
    void aBatchMayWriteLessThanEachObject() throws Exception {
        try (Storer s = BasicStore.create(dir.resolve("short.bob"))) {
            AllocatedRun run = runs(s).allocateRun(4, 2);
            s.writeBatchedObjs(run.ids(), new byte[] {1, 2, 3}, new int[] {2, 1});
            assertArrayEquals(new byte[] {1, 2, 0, 0}, s.readBytesFromObj(run.ids()[0]));
            assertArrayEquals(new byte[] {3, 0, 0, 0}, s.readBytesFromObj(run.ids()[1]));
        }
    }

    @Test
    void badRunArgumentsChangeNothing() throws Exception {
        try (Storer s = BasicStore.create(dir.resolve("bad.bob"))) {
            long end = stats(s).fileBytes();
            assertThrows(IllegalArgumentException.class, () -> runs(s).allocateRun(-1, 3));
            assertThrows(IllegalArgumentException.class, () -> runs(s).allocateRun(10, 0));
            assertEquals(end, stats(s).fileBytes());
            assertTrue(s.isWrapperFor(RunAllocator.class));
            assertFalse(s.unwrap(RunAllocator.class) instanceof Storer, "a capability, not the store");
        }
    }

    /**
     * The key → (size, CRC32C) map is sorted pages of 16-byte entries: about 16 heap bytes an
     * object (page slack adds under 1 %) while the file has no holes (written in order, and again
     * after reopen). Holes cost their own bytes: see FileSpaceTest.
     */
    @Test
    void bookkeepingIsAboutSixteenBytesPerObject() throws Exception {
        Path file = dir.resolve("heap.bob");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        try (Storer s = BasicStore.create(file)) {
            for (int i = 0; i < 100_000; i++) {
                s.newObj(r.nextInt(2048));
            }
            s.sync();
            assertTrue(perObject(stats(s)) < 16.5, "after writing: " + stats(s));
        }
        try (Storer s = BasicStore.open(file)) {
            assertEquals(100_000, stats(s).objects());
            assertTrue(perObject(stats(s)) < 16.5, "after reopen: " + stats(s));
        }
    }

    private static double perObject(StoreStats st) {
        return (double) st.bookkeepingBytes() / st.objects();
    }

    private static RunAllocator runs(Storer s) throws StoreException {
        return s.unwrap(RunAllocator.class);
    }

    private static StoreStats stats(Storer s) throws StoreException {
        return s.unwrap(StatisticsProvider.class).stats();
    }
}
