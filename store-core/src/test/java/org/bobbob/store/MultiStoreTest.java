package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi store: size classes, slot reuse, space and bookkeeping, the disk tokens of its factories. */
class MultiStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("multi.bob");
    }

    @Test
    void sizesAroundEveryBoundaryRoundTripExactly() throws Exception {
        int[] sizes = {0, 1, 15, 16, 17, 4095, 4096, 4097, 1 << 20};
        Map<Long, byte[]> written = new LinkedHashMap<>();
        try (ConcurrentStore s = MultiStore.createConcurrent(file(), 0)) {
            for (int size : sizes) {
                byte[] data = TestBytes.of(size, size);
                written.put(s.writeNewObjFromBytes(data), data);
            }
        }
        try (ConcurrentStore s = MultiStore.openConcurrent(file(), 0)) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
                ObjectInfo oi = info.objectInfo(e.getKey()).orElseThrow();
                int size = e.getValue().length;
                if (size <= MultiStore.maxSlotSize()) {
                    assertTrue(
                            oi.allocatedSize() >= Math.max(size, 16)
                                    && oi.allocatedSize() * 4L <= Math.max(size, 16) * 5L,
                            "slot within 25% of the size: " + oi);
                } else {
                    assertEquals(size, oi.allocatedSize(), "large objects are placed at their exact size");
                }
            }
        }
    }

    @Test
    void deletingHalfAndWritingAsManyAgainDoesNotGrowTheFile() throws Exception {
        SplittableRandom r = new SplittableRandom(99);
        try (Storer s = MultiStore.create(file(), 0)) {
            List<long[]> objects = new ArrayList<>(); // {id, size}
            for (int i = 0; i < 10_000; i++) {
                int size = 1 + r.nextInt(2000);
                objects.add(new long[] {s.writeNewObjFromBytes(TestBytes.of(i, size)), size});
            }
            s.sync();
            long before = Files.size(file());
            List<Integer> freedSizes = new ArrayList<>();
            for (int i = objects.size() - 1; i >= 0; i -= 2) {
                s.deleteObj(objects.get(i)[0]);
                freedSizes.add((int) objects.remove(i)[1]);
            }
            s.sync();
            int n = 0;
            for (int size : freedSizes) {
                objects.add(new long[] {s.writeNewObjFromBytes(TestBytes.of(100_000 + n++, size)), size});
            }
            s.sync();
            long after = Files.size(file());
            StoreStats st = stats(s);
            // Data space is reused; only the metadata record grows (the refilled slots are of a later
            // generation, so their blocks record one check per slot): 3 bytes an object, 30 KB here.
            assertTrue(after <= before * 1.02, "file grew from " + before + " to " + after);
            assertEquals(10_000, st.objects());
            double amplification = (double) after / st.liveBytes();
            assertTrue(amplification < 1.25, "space amplification " + amplification);
        }
    }

    /**
     * A slot costs about 6.4 heap bytes (bitmaps, length, CRC32C); objects of random sizes leave the
     * last block of each of the 33 classes part empty, so under 14 an object here.
     */
    @Test
    void bookkeepingIsAFewBytesPerSmallObject() throws Exception {
        try (Storer s = MultiStore.create(file(), 0)) {
            SplittableRandom r = new SplittableRandom(5);
            long[] ids = new long[100_000];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.newObj(r.nextInt(4097));
            }
            StoreStats st = stats(s);
            double perObject = (double) st.bookkeepingBytes() / st.objects();
            assertTrue(perObject < 14, "bookkeeping " + perObject + " bytes per object");
            s.sync();
        }
        try (Storer s = MultiStore.open(file(), 0)) {
            StoreStats st = stats(s);
            assertEquals(100_000, st.objects());
            assertTrue((double) st.bookkeepingBytes() / st.objects() < 14, "after reopen too");
        }
    }

    @Test
    void emptyBlocksGoBackToTheFileSpace() throws Exception {
        try (Storer s = MultiStore.create(file(), 0)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                ids.add(s.writeNewObjFromBytes(new byte[100]));
            }
            s.sync();
            for (long id : ids) {
                s.deleteObj(id);
            }
            s.sync();
            StoreStats st = stats(s);
            assertEquals(0, st.objects());
            assertTrue(st.fileBytes() < 10_000, "the empty blocks went back and the file end moved back: " + st);
            assertTrue(Files.size(file()) < 10_000, "the file shrank to " + Files.size(file()));
            long big = s.writeNewObjFromBytes(TestBytes.of(1, 150_000));
            s.sync();
            assertArrayEquals(TestBytes.of(1, 150_000), s.readBytesFromObj(big));
        }
    }

    @Test
    void noRunAllocatorButAdjacentIdsStillBatch() throws Exception {
        try (Storer s = MultiStore.create(file(), 0)) {
            assertFalse(s.isWrapperFor(RunAllocator.class));
            assertThrows(UnsupportedCapabilityException.class, () -> s.unwrap(RunAllocator.class));
            long a = s.newObj(64);
            long b = s.newObj(64); // the next slot of the same block
            byte[] data = TestBytes.of(2, 128);
            s.writeBatchedObjs(new long[] {a, b}, data, new int[] {64, 64});
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 64, 128), s.readBytesFromObj(b));
            long c = s.newObj(60); // a 64-byte slot holding 60 bytes: not packed, still adjacent
            long d = s.newObj(60);
            s.writeBatchedObjs(new long[] {c, d}, TestBytes.of(3, 120), new int[] {60, 60});
            assertArrayEquals(java.util.Arrays.copyOfRange(TestBytes.of(3, 120), 60, 120), s.readBytesFromObj(d));
        }
    }

    /** {@code diskTokens > 0} on the bare factories: the store comes wrapped, and the cap holds. */
    @Test
    void itsOwnDiskTokensCapOpenHandles() throws Exception {
        try (Storer s = MultiStore.create(file(), 1)) {
            assertEquals(1, ((ConcurrentStore) s).diskTokens().limit());
            long a = s.writeNewObjFromBytes(new byte[] {1});
            long b = s.writeNewObjFromBytes(new byte[] {2});
            ObjectReader held = s.lateReadObj(a);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<byte[]> waiting = pool.submit(() -> s.readBytesFromObj(b));
                assertThrows(
                        java.util.concurrent.TimeoutException.class,
                        () -> waiting.get(200, java.util.concurrent.TimeUnit.MILLISECONDS),
                        "a second handle opened while the only token was held");
                held.close();
                assertArrayEquals(new byte[] {2}, waiting.get(30, java.util.concurrent.TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void createConcurrentThenOpenConcurrent() throws Exception {
        long id;
        try (ConcurrentStore s = MultiStore.createConcurrent(file(), 3)) {
            assertEquals(3, s.diskTokens().limit());
            id = s.writeNewObjFromBytes(TestBytes.of(8, 300));
        }
        try (ConcurrentStore s = MultiStore.openConcurrent(file(), 3)) {
            assertArrayEquals(TestBytes.of(8, 300), s.readBytesFromObj(id));
            assertFalse(s.inner() instanceof ConcurrentStore, "one wrapper: the disk tokens are counted once");
            assertEquals("multi", StoreManager.kindOf(file()));
        }
        assertThrows(IllegalArgumentException.class, () -> MultiStore.openConcurrent(file(), -1));
    }

    private static StoreStats stats(Storer s) throws StoreException {
        return s.unwrap(StatisticsProvider.class).stats();
    }
}
