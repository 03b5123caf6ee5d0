package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failures that used to escape the error model or lose data: each is now a coded exception, and
 * calls that race close() either are in its final sync or fail with StoreClosedException.
 */
class FailureModesTest {
    @TempDir
    Path dir;

    @Test
    void aUrlNamingADirectoryIsBob206() {
        for (String kind : new String[] {"basic", "multi"}) {
            StoreException e =
                    assertThrows(StoreException.class, () -> StoreManager.open("bobbob:" + kind + ":" + dir));
            assertEquals(ErrorCode.NOT_A_FILE, e.code(), e.getMessage());
        }
        StoreException e = assertThrows(StoreException.class, () -> BasicStore.open(dir));
        assertEquals(ErrorCode.NOT_A_FILE, e.code());
    }

    @Test
    void aRunPastTheMaximumFileSizeIsBob105AndChangesNothing() throws Exception {
        try (Storer s = BasicStore.create(dir.resolve("runs.bob"))) {
            long id = s.writeNewObjFromBytes(TestBytes.of(1, 100));
            s.sync();
            RunAllocator runs = s.unwrap(RunAllocator.class);
            StoreException e = assertThrows(StoreException.class, () -> runs.allocateRun(Integer.MAX_VALUE, 1 << 14));
            assertEquals(ErrorCode.SPACE_EXHAUSTED, e.code());
            assertEquals(1, s.unwrap(StatisticsProvider.class).stats().objects());
            assertArrayEquals(TestBytes.of(1, 100), s.readBytesFromObj(id));
            assertEquals(10, runs.allocateRun(10, 10).ids().length, "the store still allocates");
        }
    }

    @Test
    void anObjectLargerThanAnArrayIsBob106ForReadBytesAndStreamsForALateReader() throws Exception {
        Path file = dir.resolve("huge.bob");
        try (Storer s = BasicStore.create(file)) {
            long id = s.newObj(Integer.MAX_VALUE); // taken from the end: never written, the file stays sparse
            StoreException e = assertThrows(StoreException.class, () -> s.readBytesFromObj(id));
            assertEquals(ErrorCode.TOO_LARGE_FOR_AN_ARRAY, e.code());
            assertTrue(e.getMessage().contains("lateReadObj"), e.getMessage());
            try (ObjectReader r = s.lateReadObj(id)) {
                ByteBuffer head = ByteBuffer.allocate(4096);
                assertEquals(4096, r.read(head));
                assertArrayEquals(new byte[4096], head.array());
            }
        }
    }

    /**
     * Bare stores: writers on several threads while another thread closes. Every write that
     * returned normally is in the store after reopening; the others failed with
     * StoreClosedException.
     */
    @OnBareStores
    void writesThatReturnWhileCloseRunsAreInItsFinalSync(TestStores stores) throws Exception {
        inTenRounds(stores, "-", (pool, round, file) -> {
            Map<Long, Integer> written = new ConcurrentHashMap<>(); // id -> seed
            AtomicInteger seeds = new AtomicInteger();
            CountDownLatch going = new CountDownLatch(2000);
            Storer s = stores.create(file);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(pool.submit(() -> {
                    while (true) {
                        int seed = seeds.incrementAndGet();
                        long id;
                        try {
                            id = s.writeNewObjFromBytes(TestBytes.of(seed, 1 + seed % 700));
                        } catch (StoreClosedException closed) {
                            return null;
                        }
                        written.put(id, seed);
                        going.countDown();
                    }
                }));
            }
            assertTrue(going.await(30, TimeUnit.SECONDS));
            s.close();
            for (Future<?> w : writers) {
                w.get(30, TimeUnit.SECONDS);
            }
            try (Storer reopened = stores.open(file)) {
                for (Map.Entry<Long, Integer> e : written.entrySet()) {
                    int seed = e.getValue();
                    assertArrayEquals(
                            TestBytes.of(seed, 1 + seed % 700),
                            reopened.readBytesFromObj(e.getKey()),
                            "round " + round + ": a write that returned normally is missing");
                }
            }
        });
    }

    /**
     * Reads racing close: each returns its object's bytes or throws StoreClosedException, and
     * none touches the file's map after close unmapped it (that would fault the JVM): close
     * waits for the calls under way before it unmaps.
     */
    @OnBareStores
    void readsThatRaceCloseReturnTheirObjectOrSayClosed(TestStores stores) throws Exception {
        inTenRounds(stores, "-reads-", (pool, round, file) -> {
            Storer s = stores.create(file);
            long[] ids = new long[200];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.writeNewObjFromBytes(TestBytes.of(i, 1 + (i * 331) % 65_536));
            }
            s.sync();
            CountDownLatch going = new CountDownLatch(2000);
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = round * 10 + t;
                readers.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int reads = 0;
                    while (true) {
                        int i = r.nextInt(ids.length);
                        byte[] got;
                        try {
                            got = s.readBytesFromObj(ids[i]);
                        } catch (StoreClosedException closed) {
                            return reads;
                        }
                        assertArrayEquals(TestBytes.of(i, 1 + (i * 331) % 65_536), got, "object " + i);
                        reads++;
                        going.countDown();
                    }
                }));
            }
            assertTrue(going.await(30, TimeUnit.SECONDS));
            s.close();
            int total = 0;
            for (Future<Integer> reader : readers) {
                total += reader.get(30, TimeUnit.SECONDS);
            }
            assertTrue(total >= 2000, "round " + round + ": " + total + " reads");
        });
    }

    /** One round of a race with close: four threads to race with, the round's number and file. */
    @FunctionalInterface
    private interface CloseRace {
        void run(ExecutorService pool, int round, Path file) throws Exception;
    }

    /** Runs {@code race} ten times, each on a file of its own, with a pool of four threads. */
    private void inTenRounds(TestStores stores, String name, CloseRace race) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                race.run(pool, round, dir.resolve(stores + name + round + ".bob"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Open, read (which maps the file), close: no map of the file outlives its close. */
    @Test
    void closingUnmapsTheFileAtOnceWithoutWaitingForAGc() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs /proc/self/maps (Linux)");
        Path file = dir.resolve("maps.bob");
        long id;
        try (Storer s = MultiStore.create(file, 0)) {
            id = s.writeNewObjFromBytes(TestBytes.of(3, 100_000));
        }
        String name = file.toRealPath().toString();
        for (int i = 0; i < 5000; i++) {
            try (Storer s = MultiStore.open(file, 0)) {
                assertArrayEquals(TestBytes.of(3, 100_000), s.readBytesFromObj(id));
                if (i == 0) {
                    assertTrue(mapsOf(maps, name) > 0, "a read maps the file");
                }
            }
            if (i % 500 == 0) {
                assertEquals(0, mapsOf(maps, name), "maps left after close " + i);
            }
        }
        assertEquals(0, mapsOf(maps, name), "maps left after 5000 cycles");
    }

    private static long mapsOf(Path maps, String name) throws IOException {
        return Files.readAllLines(maps).stream().filter(l -> l.endsWith(name)).count();
    }

    /**
     * On a full tmpfs the kernel cannot supply a never-written page to a memory-mapped read and
     * faults it (SIGBUS: an InternalError that kills the thread). Never-written bytes are zeros
     * by contract, and here read as zeros. Needs root, to mount a small tmpfs.
     */
    @OnBareStores
    void neverWrittenBytesOnAFullTmpfsReadAsZerosWithoutAFault(TestStores stores) throws Exception {
        onSmallTmpfs(mount -> {
            Path file = mount.resolve("full.bob");
            try (Storer s = stores.create(file)) {
                long small = s.newObj(3000); // never written: holes in the file
                long large = s.newObj(256 * 1024);
                s.sync();
                fill(mount.resolve("filler"));
                assertArrayEquals(new byte[3000], s.readBytesFromObj(small));
                assertArrayEquals(new byte[256 * 1024], s.readBytesFromObj(large));
                try (ObjectReader r = s.lateReadObj(large)) {
                    assertArrayEquals(new byte[256 * 1024], r.asInputStream().readAllBytes());
                }
            }
        });
    }

    /**
     * A full disk during sync: BOB-207, nothing synced before is lost, and once space is free
     * again the same store syncs and every object it acknowledged is there after reopening.
     * Needs root, to mount a small tmpfs.
     */
    @Test
    void aFullDiskFailsSyncWithBob207AndTheStoreRecoversWhenSpaceIsBack() throws Exception {
        for (TestStores stores : new TestStores[] {TestStores.BASIC, TestStores.CONCURRENT_MULTI}) {
            fullDiskThenSpaceBack(stores);
        }
    }

    private void fullDiskThenSpaceBack(TestStores stores) throws Exception {
        onSmallTmpfs(mount -> {
            Path file = mount.resolve("store.bob");
            Path filler = mount.resolve("filler");
            Map<Long, byte[]> synced = new java.util.LinkedHashMap<>();
            try (Storer s = stores.create(file)) {
                for (int i = 0; i < 20; i++) {
                    byte[] b = TestBytes.of(i, 20_000);
                    synced.put(s.writeNewObjFromBytes(b), b);
                }
                s.sync();
                fill(filler);
                Map<Long, byte[]> pending = new java.util.LinkedHashMap<>();
                StoreException full = null;
                for (int i = 0; i < 100 && full == null; i++) {
                    try {
                        byte[] b = TestBytes.of(100 + i, 20_000);
                        pending.put(s.writeNewObjFromBytes(b), b);
                        s.sync();
                        synced.putAll(pending); // it fitted after all
                        pending.clear();
                    } catch (StoreException e) {
                        full = e;
                    }
                }
                assertTrue(full != null, "the disk never filled");
                assertTrue(
                        full.code() == ErrorCode.SYNC_FAILED || full.code() == ErrorCode.IO_FAILED,
                        "a full disk is BOB-207 at sync, or BOB-208 at a write: " + full);
                for (int i = 0; i < 5; i++) { // from now on a write the disk cannot take fails at its call
                    int seed = 200 + i;
                    StoreException e = assertThrows(
                            StoreException.class, () -> s.writeNewObjFromBytes(TestBytes.of(seed, 20_000)));
                    assertEquals(ErrorCode.IO_FAILED, e.code(), e.getMessage());
                }
                for (Map.Entry<Long, byte[]> e : synced.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
                }
                Files.delete(filler); // space is back
                s.sync();
                synced.putAll(pending);
            }
            try (Storer s = stores.open(file)) {
                for (Map.Entry<Long, byte[]> e : synced.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
                }
            }
        });
    }

    /**
     * A store that filled its disk by itself recovers with deletes and a sync alone: the record
     * goes to the record reserve (no new disk space), the unwritten bytes of the deleted objects
     * are dropped, and new objects then take the freed space. Needs root, to mount a small tmpfs.
     */
    @Test
    void aStoreThatFilledItsDiskRecoversByDeletesAndASync() throws Exception {
        for (TestStores stores : new TestStores[] {TestStores.BASIC, TestStores.CONCURRENT_MULTI}) {
            fullDiskThenDeletes(stores);
        }
    }

    private void fullDiskThenDeletes(TestStores stores) throws Exception {
        onSmallTmpfs(mount -> {
            Path file = mount.resolve("store.bob");
            Map<Long, byte[]> synced = new java.util.LinkedHashMap<>();
            try (Storer s = stores.create(file)) {
                Map<Long, byte[]> pending = new java.util.LinkedHashMap<>();
                StoreException full = null;
                for (int i = 0; i < 1000 && full == null; i++) {
                    try {
                        // small objects too: they would take the old record's space, were it free
                        for (int size : new int[] {20_000, 1500, 1500}) {
                            byte[] b = TestBytes.of(i * 3 + size, size);
                            pending.put(s.writeNewObjFromBytes(b), b);
                        }
                        s.sync();
                        synced.putAll(pending);
                        pending.clear();
                    } catch (StoreException e) {
                        full = e;
                    }
                }
                assertTrue(full != null, "the disk never filled");
                assertTrue(synced.size() > 30, "the store filled the disk: " + synced.size());
                for (long id : pending.keySet()) {
                    s.deleteObj(id); // acknowledged, never synced: the disk could not take them
                }
                List<Long> ids = new ArrayList<>(synced.keySet());
                List<Integer> freedSizes = new ArrayList<>();
                for (int i = 0; i < ids.size(); i += 3) {
                    s.deleteObj(ids.get(i));
                    freedSizes.add(synced.remove(ids.get(i)).length);
                }
                s.sync(); // the deletes are durable: the disk had no byte more to give
                for (int size : freedSizes) { // new objects take the freed space
                    byte[] b = TestBytes.of(5000 + synced.size(), size);
                    synced.put(s.writeNewObjFromBytes(b), b);
                }
                s.sync();
                for (Map.Entry<Long, byte[]> e : synced.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
                }
            }
            try (Storer s = stores.open(file)) {
                assertEquals(
                        synced.size(),
                        s.unwrap(StatisticsProvider.class).stats().objects());
                for (Map.Entry<Long, byte[]> e : synced.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
                }
            }
        });
    }

    @FunctionalInterface
    private interface OnMount {
        void run(Path mount) throws Exception;
    }

    /** Runs {@code test} on a 4 MiB tmpfs mounted for it (skipped unless this may mount: root). */
    private void onSmallTmpfs(OnMount test) throws Exception {
        Path mount = Files.createTempDirectory(dir, "tmpfs");
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()), "needs root to mount a tmpfs");
        try {
            test.run(mount);
        } finally {
            assertTrue(run("umount", mount.toString()));
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor() == 0;
    }

    /** Writes {@code file} until its file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(full.getMessage() == null || full.getMessage().contains("space"), full.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"CONCURRENT_BASIC", "CONCURRENT_MULTI"})
    void aClosedConcurrentStoreSaysClosedBeforeItLooksAtTheId(TestStores stores) throws Exception {
        Storer s = stores.create(dir.resolve("closed.bob"));
        s.close();
        for (long id : new long[] {0, -1, 5}) {
            assertThrows(StoreClosedException.class, () -> s.readBytesFromObj(id));
            assertThrows(StoreClosedException.class, () -> s.lateReadObj(id));
            assertThrows(StoreClosedException.class, () -> s.deleteObj(id));
            assertThrows(StoreClosedException.class, () -> s.writeToObj(id));
        }
    }
}
