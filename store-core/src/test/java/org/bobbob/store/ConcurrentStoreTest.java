package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectWriter;
import org.bobbob.store.support.ForwardingStorer;
import org.bobbob.store.support.HandleHooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Java twins of the seed's wrapper tests, plus the rules of STORE.md's concurrency section. */
class ConcurrentStoreTest {
    private static final long WAIT = 30;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(WAIT, TimeUnit.SECONDS));
    }

    private ConcurrentStore create(String inner, int diskTokens) throws IOException {
        Path file = dir.resolve(inner + ".bob");
        return switch (inner) {
            case "basic" -> ConcurrentStore.wrap(BasicStore.create(file), diskTokens);
            case "multi" -> MultiStore.createConcurrent(file, diskTokens);
            default -> throw new IllegalArgumentException(inner);
        };
    }

    private ConcurrentStore reopen(String inner) throws IOException {
        Path file = dir.resolve(inner + ".bob");
        return inner.equals("basic")
                ? ConcurrentStore.wrap(BasicStore.open(file), 0)
                : MultiStore.openConcurrent(file, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void twentyThreadsWriteFiftyObjectsEachThenAllVerify(String inner) throws Exception {
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        try (ConcurrentStore store = create(inner, 0)) {
            CyclicBarrier start = new CyclicBarrier(20);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom r = new SplittableRandom(thread);
                    for (int i = 0; i < 50; i++) {
                        byte[] data = TestBytes.of(thread * 1000L + i, 1 + r.nextInt(6000));
                        long id = store.writeNewObjFromBytes(data);
                        assertEquals(null, written.put(id, data), "id " + id + " handed out twice");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(1000, written.size());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), store.readBytesFromObj(e.getKey()));
            }
        }
        try (ConcurrentStore store = reopen(inner)) {
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), store.readBytesFromObj(e.getKey()), "after close and reopen");
            }
        }
    }

    /**
     * Writers fill shared objects with one byte value at a time, in small pieces; readers must
     * always see a single value across the whole object (one whole version, never a torn one).
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void readersNeverSeeATornWrite(String inner) throws Exception {
        int size = 3000;
        try (ConcurrentStore store = create(inner, 0)) {
            long[] ids = new long[4];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = store.writeNewObjFromBytes(TestBytes.filled(size, (byte) 0));
            }
            CyclicBarrier start = new CyclicBarrier(8);
            AtomicInteger reads = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 1; round <= 150; round++) {
                        long id = ids[(writer + round) % ids.length];
                        byte value = (byte) (writer * 50 + round % 50 + 1);
                        try (ObjectWriter w = store.writeToObj(id)) {
                            for (int off = 0; off < size; off += 100) {
                                w.write(ByteBuffer.wrap(TestBytes.filled(100, value)));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 4; t++) {
                int reader = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 300; round++) {
                        byte[] got = store.readBytesFromObj(ids[(reader + round) % ids.length]);
                        for (byte b : got) {
                            assertEquals(got[0], b, "torn read: mixed versions in one object");
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(1200, reads.get());
            assertEquals(0, store.lockedObjects(), "the lock table is empty when nobody holds a lock");
        }
    }

    /**
     * Whole-object reads take no lock (ObjectLocks: a seqlock per stripe of ids) and keep what
     * they read only if no write or delete of the stripe began or ended meanwhile. With checksums
     * off, nothing else would catch a read that raced a write: two threads overwrite 64 KiB objects
     * whole while a third deletes and re-creates others (a sync between, so their space is reused),
     * and three readers check that every object they get is one whole version of the key they
     * asked for (every 8 bytes hold the key and the version), or that the object is gone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void readsWithoutTheLockNeverKeepATornOrForeignObject(String inner) throws Exception {
        int size = 64 << 10;
        int fixed = 6;
        int churned = 6;
        String url = "bobbob:" + inner + ":" + dir.resolve(inner + "-nocrc.bob")
                + "?create=true&concurrent=true&verifyChecksums=false";
        try (Storer store = StoreManager.open(url)) {
            AtomicLongArray ids = new AtomicLongArray(fixed + churned);
            for (int k = 0; k < fixed + churned; k++) {
                ids.set(k, store.writeNewObjFromBytes(tagged(size, k, 0)));
            }
            store.sync();
            CyclicBarrier start = new CyclicBarrier(6);
            AtomicInteger checked = new AtomicInteger();
            AtomicInteger gone = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int version = 1; version <= 200; version++) {
                        int k = (writer * 3 + version) % fixed;
                        store.writeBytesToObj(ids.get(k), tagged(size, k, version));
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                start.await();
                for (int round = 1; round <= 120; round++) {
                    int k = fixed + round % churned;
                    store.deleteObj(ids.get(k));
                    if (round % 3 == 0) {
                        store.sync(); // the deleted objects' space may now hold other keys' objects
                    }
                    ids.set(k, store.writeNewObjFromBytes(tagged(size, k, round)));
                }
                return null;
            }));
            for (int t = 0; t < 3; t++) {
                int reader = t;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(reader);
                    for (int round = 0; round < 1500; round++) {
                        int k = random.nextInt(fixed + churned);
                        byte[] got;
                        try {
                            got = store.readBytesFromObj(ids.get(k));
                        } catch (ObjectNotFoundException e) {
                            assertTrue(k >= fixed, "only the churned objects are ever deleted");
                            gone.incrementAndGet();
                            continue;
                        }
                        ByteBuffer b = ByteBuffer.wrap(got);
                        long tag = b.getLong(0);
                        assertEquals(k, (int) (tag >>> 32), "a read returned another object's bytes");
                        for (int off = 8; off < got.length; off += 8) {
                            assertEquals(tag, b.getLong(off), "torn read: two versions in one object");
                        }
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(4500, checked.get() + gone.get());
        }
    }

    /**
     * Reads take no lock, so a reader may still be copying a deleted object's bytes out of the
     * file's map when a sync cuts them off the file's end (the object was the last one). The cut
     * waits for such reads: touching a page past the end would fault the JVM. A writer appends
     * objects at the end, publishes them, deletes them and syncs, so the file shrinks back each
     * round, while three readers read whatever was published last: each read returns the whole
     * object or finds it gone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void readsOfTheFilesTailSurviveTheSyncThatCutsIt(String inner) throws Exception {
        int size = 256 << 10;
        int tail = 4;
        String url = "bobbob:" + inner + ":" + dir.resolve(inner + "-tail.bob") + "?create=true&concurrent=true";
        try (Storer store = StoreManager.open(url)) {
            store.writeNewObjFromBytes(tagged(size, 99, 0)); // stays: the file never shrinks to nothing
            store.sync();
            AtomicLongArray published = new AtomicLongArray(tail);
            AtomicBoolean writing = new AtomicBoolean(true);
            Path file = dir.resolve(inner + "-tail.bob");
            long[] sizes = new long[2]; // the file's largest and smallest size after a sync
            sizes[1] = Long.MAX_VALUE;
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<?>> done = new ArrayList<>();
            done.add(pool.submit(() -> {
                start.await();
                try {
                    for (int round = 1; round <= 150; round++) {
                        long[] ids = new long[tail];
                        for (int k = 0; k < tail; k++) {
                            ids[k] = store.writeNewObjFromBytes(tagged(size, k, round));
                            published.set(k, ids[k]);
                        }
                        store.sync();
                        sizes[0] = Math.max(sizes[0], Files.size(file));
                        for (int k = 0; k < tail; k++) {
                            store.deleteObj(ids[k]);
                        }
                        store.sync(); // the tail is free: the file is cut under the readers
                        sizes[1] = Math.min(sizes[1], Files.size(file));
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            }));
            AtomicInteger whole = new AtomicInteger();
            for (int t = 0; t < 3; t++) {
                int reader = t;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom random = new SplittableRandom(reader);
                    while (writing.get()) {
                        int k = random.nextInt(tail);
                        long id = published.get(k);
                        if (id == 0) {
                            continue;
                        }
                        byte[] got;
                        try {
                            got = store.readBytesFromObj(id);
                        } catch (ObjectNotFoundException e) {
                            continue;
                        }
                        long tag = ByteBuffer.wrap(got).getLong(0);
                        assertEquals(k, (int) (tag >>> 32), "a read returned another object's bytes");
                        assertEquals(tag, ByteBuffer.wrap(got).getLong(got.length - 8), "torn read");
                        whole.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertTrue(
                    sizes[1] < sizes[0] - (long) tail * size / 2,
                    "the syncs cut the file: " + sizes[0] + " > " + sizes[1]);
            assertTrue(whole.get() > 0, "some reads found their object");
        }
    }

    /** {@code size} bytes whose every 8 bytes hold {@code key} (high half) and {@code version}. */
    private static byte[] tagged(int size, int key, int version) {
        ByteBuffer b = ByteBuffer.allocate(size);
        long tag = ((long) key << 32) | version;
        while (b.hasRemaining()) {
            b.putLong(tag);
        }
        return b.array();
    }

    /**
     * Small objects deleted and written anew by some threads (so freed slots are refilled and the
     * write-combining cache loads their blocks), while others overwrite and read small objects that
     * share those blocks: every read sees one whole version, and after a sync and a reopen each
     * object holds its last version. (The run loads about 90 chunks. The race a load must avoid,
     * a direct write under way into the chunk, is pinned down by CombiningStoreFileTest, whose
     * file yields inside every write to widen it.)
     */
    @Test
    void refillsOverwritesAndReadsOfNeighboursInOneBlockKeepEveryVersion() throws Exception {
        int size = 200;
        int shared = 64;
        Map<Long, byte[]> churned = new ConcurrentHashMap<>();
        long[] ids = new long[shared];
        byte[] last = new byte[shared];
        try (ConcurrentStore store = create("multi", 0)) {
            // shared objects interleaved with churn objects of the same size class, block by block
            List<Long> initialChurn = new ArrayList<>();
            for (int i = 0; i < shared; i++) {
                ids[i] = store.writeNewObjFromBytes(TestBytes.filled(size, (byte) 1));
                last[i] = 1;
                for (int k = 0; k < 8; k++) {
                    byte[] data = TestBytes.of(i * 100L + k, size);
                    long id = store.writeNewObjFromBytes(data);
                    initialChurn.add(id);
                    churned.put(id, data);
                }
            }
            store.sync();
            CyclicBarrier start = new CyclicBarrier(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) { // churners: delete, sync now and then, write anew
                int churner = t;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom r = new SplittableRandom(churner);
                    List<Long> mine = new ArrayList<>();
                    for (int i = churner; i < initialChurn.size(); i += 2) {
                        mine.add(initialChurn.get(i));
                    }
                    for (int round = 0; round < 3_000; round++) {
                        long victim = mine.remove(r.nextInt(mine.size()));
                        store.deleteObj(victim);
                        churned.remove(victim);
                        if (round % 200 == 0) {
                            store.sync(); // makes freed slots reusable
                        }
                        byte[] data = TestBytes.of(churner * 1_000_000L + round, size);
                        long id = store.writeNewObjFromBytes(data);
                        churned.put(id, data);
                        mine.add(id);
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) { // overwriters: each owns half the shared objects
                int owner = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 2; round < 120; round++) {
                        for (int i = owner; i < shared; i += 2) {
                            store.writeBytesToObj(ids[i], TestBytes.filled(size, (byte) round));
                            last[i] = (byte) round;
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) { // readers
                int reader = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 4_000; round++) {
                        byte[] got = store.readBytesFromObj(ids[(reader + round) % shared]);
                        for (byte b : got) {
                            assertEquals(got[0], b, "torn read: mixed versions in one object");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            store.sync();
        }
        try (ConcurrentStore store = reopen("multi")) {
            for (int i = 0; i < shared; i++) {
                assertArrayEquals(
                        TestBytes.filled(size, last[i]), store.readBytesFromObj(ids[i]), "shared object " + i);
            }
            for (Map.Entry<Long, byte[]> e : churned.entrySet()) {
                assertArrayEquals(e.getValue(), store.readBytesFromObj(e.getKey()), "churned object " + e.getKey());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void objectInfoPassesThroughTheWrapper(String inner) throws Exception {
        try (ConcurrentStore store = create(inner, 0)) {
            assertTrue(store.isWrapperFor(ObjectInfoProvider.class));
            long id = store.writeNewObjFromBytes(new byte[64]);
            ObjectInfo info =
                    store.unwrap(ObjectInfoProvider.class).objectInfo(id).orElseThrow();
            assertEquals(64, info.size());
            assertTrue(info.offset() > 0);
        }
    }

    @Test
    void allocateRunWorksThroughTheWrapperOnBasic() throws Exception {
        try (ConcurrentStore store = create("basic", 0)) {
            assertTrue(store.isWrapperFor(RunAllocator.class));
            AllocatedRun run = store.unwrap(RunAllocator.class).allocateRun(36, 10);
            for (int i = 1; i < 10; i++) {
                assertEquals(run.offsets()[i - 1] + 36, run.offsets()[i], "back to back");
            }
            byte[] data = TestBytes.of(5, 360);
            int[] sizes = new int[10];
            java.util.Arrays.fill(sizes, 36);
            store.writeBatchedObjs(run.ids(), data, sizes);
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(
                        java.util.Arrays.copyOfRange(data, i * 36, i * 36 + 36), store.readBytesFromObj(run.ids()[i]));
            }
        }
    }

    @Test
    void allocateRunIsUnsupportedThroughTheWrapperOnMulti() throws Exception {
        try (ConcurrentStore store = create("multi", 0)) {
            assertFalse(store.isWrapperFor(RunAllocator.class));
            assertThrows(UnsupportedCapabilityException.class, () -> store.unwrap(RunAllocator.class));
        }
    }

    /**
     * Eight threads each open a Late handle; the first two hold theirs until the other six are
     * blocked waiting for a token. The peak of handles open together must be exactly two: never
     * more (the cap works) and reached (the test measured concurrency, not a serial run).
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void diskTokensCapConcurrentHandlesAtTwo(String inner) throws Exception {
        try (ConcurrentStore store = create(inner, 2)) {
            long[] ids = new long[8];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = store.writeNewObjFromBytes(TestBytes.of(i, 512));
            }
            AtomicInteger open = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            CountDownLatch twoOpen = new CountDownLatch(1);
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long id = ids[t];
                boolean write = t % 2 == 0;
                done.add(pool.submit(() -> {
                    start.await();
                    try (var handle = write ? store.writeToObj(id) : store.lateReadObj(id)) {
                        int now = open.incrementAndGet();
                        peak.accumulateAndGet(now, Math::max);
                        if (now == 2) {
                            twoOpen.countDown();
                        }
                        assertTrue(twoOpen.await(WAIT, TimeUnit.SECONDS), "two handles were never open together");
                        // Hold the tokens until the six others are all blocked waiting for one.
                        waitUntil(() -> store.diskTokens().waits() >= 6);
                        if (write) {
                            ((ObjectWriter) handle).write(ByteBuffer.wrap(TestBytes.of(id, 512)));
                        } else {
                            ((ObjectReader) handle).read(ByteBuffer.allocate(512));
                        }
                        open.decrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(2, peak.get());
            assertEquals(0, store.diskTokens().inUse());
            assertEquals(6, store.diskTokens().waits(), "the six others each waited for a token");
        }
    }

    /**
     * POSIX unlink: a delete returns while a slow reader still streams the object; the reader
     * keeps reading the bytes it opened; new opens find nothing; the space is not reused until the
     * reader has closed and a sync has made the delete durable, and then it is.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void deleteDoesNotWaitForAnOpenReaderWhoseSpaceIsReusedOnlyAfterItClosesAndASync(String inner) throws Exception {
        try (ConcurrentStore store = create(inner, 0)) {
            ObjectInfoProvider info = store.unwrap(ObjectInfoProvider.class);
            int size = 1 << 20;
            byte[] data = TestBytes.of(3, size);
            long id = store.writeNewObjFromBytes(data);
            store.sync();
            long offset = info.objectInfo(id).orElseThrow().offset();
            ObjectReader reader = store.lateReadObj(id);
            byte[] got = new byte[size];
            ByteBuffer into = ByteBuffer.wrap(got);
            into.limit(4096);
            ByteBuffers.readFully(reader, into);

            // The reader is open on this thread: a delete that waited for it would time out here.
            pool.submit(() -> {
                        store.deleteObj(id);
                        return null;
                    })
                    .get(WAIT, TimeUnit.SECONDS);
            assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
            assertThrows(ObjectNotFoundException.class, () -> store.lateReadObj(id));
            assertThrows(ObjectNotFoundException.class, () -> store.deleteObj(id));
            assertTrue(info.objectInfo(id).isEmpty());

            store.sync(); // the delete is durable, but the reader still holds the space
            List<Long> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long other = store.writeNewObjFromBytes(TestBytes.of(10 + i, size));
                others.add(other);
                long at = info.objectInfo(other).orElseThrow().offset();
                assertTrue(at + size <= offset || at >= offset + size, "space reused under a reader");
            }
            into.limit(size);
            ByteBuffers.readFully(reader, into);
            assertArrayEquals(data, got, "the open reader reads the object it opened, to its end");
            reader.close();
            assertEquals(0, store.lockedObjects());

            store.sync(); // now the space is free: a new object of the same size takes it
            long reuser = store.writeNewObjFromBytes(TestBytes.of(20, size));
            long at = info.objectInfo(reuser).orElseThrow().offset();
            assertTrue(at < offset + size && at + size > offset, "the space came back: " + at + " vs " + offset);
            assertNotEquals(id, reuser);
            assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
            assertArrayEquals(TestBytes.of(20, size), store.readBytesFromObj(reuser));
            for (int i = 0; i < others.size(); i++) {
                assertArrayEquals(TestBytes.of(10 + i, size), store.readBytesFromObj(others.get(i)));
            }
        }
    }

    /**
     * A writer open on an object when it is deleted: the delete returns at once; the writer goes on
     * writing into the object's former space, which nothing else uses until it closes; what it
     * wrote is gone with the object.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void deleteDoesNotWaitForAnOpenWriterWhoseWritesGoWithTheObject(String inner) throws Exception {
        try (ConcurrentStore store = create(inner, 0)) {
            long neighbour = store.writeNewObjFromBytes(TestBytes.of(1, 300));
            long id = store.writeNewObjFromBytes(TestBytes.of(2, 300));
            ObjectWriter writer = store.writeToObj(id);
            writer.write(ByteBuffer.wrap(TestBytes.of(3, 100)));
            pool.submit(() -> {
                        store.deleteObj(id);
                        return null;
                    })
                    .get(WAIT, TimeUnit.SECONDS);
            store.sync();
            long after = store.writeNewObjFromBytes(TestBytes.of(4, 300));
            writer.write(ByteBuffer.wrap(TestBytes.of(5, 200)));
            writer.close();
            assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
            assertArrayEquals(TestBytes.of(1, 300), store.readBytesFromObj(neighbour));
            assertArrayEquals(TestBytes.of(4, 300), store.readBytesFromObj(after));
            assertEquals(0, store.lockedObjects());
            assertEquals(0, store.activeOperations());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void lockTableDoesNotGrowWithObjectsTouched(String inner) throws Exception {
        try (ConcurrentStore store = create(inner, 0)) {
            for (int i = 0; i < 2000; i++) {
                long id = store.writeNewObjFromBytes(new byte[8]);
                store.readBytesFromObj(id);
                store.deleteObj(id);
            }
            assertEquals(0, store.lockedObjects());
            assertEquals(0, store.activeOperations());
        }
    }

    @Test
    void closeRefusesNewCallsWaitsForOpenHandlesThenPersists() throws Exception {
        ConcurrentStore store = create("multi", 0);
        long id = store.writeNewObjFromBytes(new byte[4]);
        ObjectWriter writer = store.writeToObj(id);
        CountDownLatch closing = new CountDownLatch(1);
        Future<?> close = pool.submit(() -> {
            closing.countDown();
            store.close();
            return null;
        });
        assertTrue(closing.await(WAIT, TimeUnit.SECONDS));
        waitUntil(() -> {
            try {
                store.newObj(1);
                return false;
            } catch (StoreClosedException refused) {
                return true;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertFalse(close.isDone(), "close returned while a handle was open");
        writer.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        writer.close();
        close.get(WAIT, TimeUnit.SECONDS);
        store.close();
        assertThrows(StoreClosedException.class, () -> store.readBytesFromObj(id));
        try (ConcurrentStore again = reopen("multi")) {
            assertArrayEquals(new byte[] {1, 2, 3, 4}, again.readBytesFromObj(id), "the write before close was kept");
        }
    }

    @Test
    void closeGivesUpOnAForgottenHandleAfterTheTimeout() throws Exception {
        Path file = dir.resolve("forgotten.bob");
        ConcurrentStore store = ConcurrentStore.wrap(BasicStore.create(file), 0, Duration.ofMillis(200));
        long id = store.writeNewObjFromBytes(new byte[] {9});
        ObjectReader forgotten = store.lateReadObj(id);
        store.close();
        assertThrows(StoreClosedException.class, () -> forgotten.read(ByteBuffer.allocate(1)));
        forgotten.close();
        try (Storer again = BasicStore.open(file)) {
            assertArrayEquals(new byte[] {9}, again.readBytesFromObj(id));
        }
    }

    @Test
    void batchedWritesLockEveryObjectAndRejectDuplicates() throws Exception {
        try (ConcurrentStore store = create("basic", 0)) {
            AllocatedRun run = store.unwrap(RunAllocator.class).allocateRun(4, 3);
            long[] dup = {run.ids()[0], run.ids()[0]};
            assertThrows(
                    IllegalArgumentException.class, () -> store.writeBatchedObjs(dup, new byte[8], new int[] {4, 4}));
            assertEquals(0, store.lockedObjects());
            store.writeBatchedObjs(run.ids(), new byte[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, new int[] {4, 4, 4});
            assertArrayEquals(new byte[] {3, 3, 3, 3}, store.readBytesFromObj(run.ids()[2]));
        }
    }

    @Test
    void wrapperRejectsBadArgumentsBeforeTouchingState() throws Exception {
        try (ConcurrentStore store = create("basic", 0)) {
            assertThrows(IllegalArgumentException.class, () -> store.newObj(-1));
            assertThrows(IllegalArgumentException.class, () -> store.lateWriteNewObj(-1));
            assertThrows(ObjectNotFoundException.class, () -> store.lateReadObj(0));
            assertThrows(ObjectNotFoundException.class, () -> store.deleteObj(-3));
            assertThrows(IllegalArgumentException.class, () -> ConcurrentStore.wrap(store.inner(), -1));
            assertNotNull(store.toString());
            assertEquals(0, store.activeOperations());
        }
    }

    /**
     * writeNewObjFromBytes skips the object lock (the id is nobody else's yet) but must still free
     * what it allocated when the write fails, and leave the gate, tokens and lock table clean.
     */
    @Test
    void aFailedWriteNewObjFromBytesFreesItsObject() throws Exception {
        Storer base = BasicStore.create(dir.resolve("failing.bob"));
        long kept = base.writeNewObjFromBytes(new byte[] {1, 2, 3});
        Storer failingWrites = new ForwardingStorer() {
            @Override
            protected <T> T call(StoreCall<T> call) throws IOException {
                return call.apply(base);
            }

            @Override
            public ObjectWriter lateWriteNewObj(int size) throws IOException {
                return new ForwardingObjectWriter(base.lateWriteNewObj(size), new HandleHooks() {
                    @Override
                    public void beforeCall(ForwardingHandle<?> handle) throws IOException {
                        throw new IOException("disk full");
                    }
                });
            }

            @Override
            public ObjectReader lateReadObj(long id) throws IOException {
                return base.lateReadObj(id);
            }

            @Override
            public ObjectWriter writeToObj(long id) throws IOException {
                return base.writeToObj(id);
            }

            @Override
            public void close() throws IOException {
                base.close();
            }
        };
        try (ConcurrentStore store = ConcurrentStore.wrap(failingWrites, 1)) {
            StatisticsProvider stats = base.unwrap(StatisticsProvider.class);
            long before = stats.stats().objects();
            IOException e = assertThrows(IOException.class, () -> store.writeNewObjFromBytes(new byte[100]));
            assertEquals("disk full", e.getMessage());
            assertEquals(before, stats.stats().objects(), "the failed object was freed");
            assertEquals(0, store.activeOperations());
            assertEquals(0, store.lockedObjects());
            // the single disk token came back: a second call gets one too, and fails the same way
            assertThrows(IOException.class, () -> store.writeNewObjFromBytes(new byte[5]));
            assertArrayEquals(new byte[] {1, 2, 3}, store.readBytesFromObj(kept));
        }
    }

    /** Polls a condition that another thread makes true; fails after {@link #WAIT} seconds. */
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in " + WAIT + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void aReaderThatWaitsForAnOpenWriterIsCountedOnceAndReadsWhatItWrote() throws Exception {
        try (ConcurrentStore s = MultiStore.createConcurrent(dir.resolve("waits.bob"), 0)) {
            long id = s.writeNewObjFromBytes(new byte[64]);
            s.readBytesFromObj(id); // nobody holds it: no wait
            assertEquals(0, s.objectLockWaits());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<byte[]> read;
                try (ObjectWriter w = s.writeToObj(id)) { // holds the object's lock until closed
                    w.asOutputStream().write(TestBytes.of(3, 64));
                    read = pool.submit(() -> s.readBytesFromObj(id));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (s.objectLockWaits() == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait(); // the reader counts its wait before it blocks
                    }
                    assertEquals(1, s.objectLockWaits());
                    assertFalse(read.isDone(), "the reader waits for the writer");
                }
                assertArrayEquals(TestBytes.of(3, 64), read.get(30, TimeUnit.SECONDS));
                assertEquals(1, s.objectLockWaits());
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
