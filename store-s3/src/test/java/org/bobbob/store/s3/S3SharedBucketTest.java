package org.bobbob.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Several stores on one bucket, as several servers would have them, and many threads on one
 * store through the {@link ConcurrentStore} that {@link StoreManager} gives.
 */
class S3SharedBucketTest {
    private static final int THREADS = 4;
    private static TestS3 s3;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    @Test
    void twoStoresOnOneBucketNeverClashAndEachReadsTheOthersObjects() throws Exception {
        int perThread = 400;
        String url = s3.url(TestS3.newBucket(), "shared", "");
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
        try (Storer a = StoreManager.open(url, TestS3.credentials());
                Storer b = StoreManager.open(url, TestS3.credentials())) {
            CyclicBarrier start = new CyclicBarrier(2 * THREADS);
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < 2 * THREADS; t++) {
                Storer store = t % 2 == 0 ? a : b;
                int thread = t;
                results.add(pool.submit(() -> {
                    long[] ids = new long[perThread];
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = store.writeNewObjFromBytes(TestBytes.of(thread * 100_000L + i, 64));
                    }
                    return ids;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (int t = 0; t < results.size(); t++) {
                long[] ids = results.get(t).get();
                Storer other = t % 2 == 0 ? b : a; // the store that did not write them
                for (int i = 0; i < ids.length; i++) {
                    assertTrue(all.add(ids[i]), "id " + ids[i] + " handed out twice");
                    assertArrayEquals(TestBytes.of(t * 100_000L + i, 64), other.readBytesFromObj(ids[i]));
                }
            }
            assertEquals(2 * THREADS * perThread, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void throughAConcurrentStoreReadersSeeOneWholeVersionWhileWritersOverwrite() throws Exception {
        int size = 256 * 1024;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Storer s = StoreManager.open(s3.url(TestS3.newBucket(), "", ""), TestS3.credentials())) {
            assertInstanceOf(ConcurrentStore.class, s);
            long id = s.writeNewObjFromBytes(TestBytes.filled(size, (byte) 0));
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean writer = t % 2 == 0;
                byte value = (byte) (t + 1);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        if (writer) {
                            s.writeBytesToObj(id, TestBytes.filled(size, value));
                        } else {
                            try (ObjectReader reader = s.lateReadObj(id)) {
                                byte[] seen = reader.asInputStream().readAllBytes();
                                assertEquals(size, seen.length);
                                for (byte x : seen) {
                                    assertEquals(seen[0], x, "a torn read");
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            byte last = s.readBytesFromObj(id)[0];
            assertTrue(last == 1 || last == 3, "the last writer's bytes: " + last);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Across servers, without a lock: with {@code compareAndSet=true} a handle whose object
     * another store replaced since it opened it fails at close with BOB-803 and the newer version
     * stays, for a single PUT and for a multipart upload (which is aborted, leaving no upload);
     * without it, the last writer wins.
     */
    @Test
    void compareAndSetRefusesAStaleOverwriteWhereOtherwiseTheLastWriterWins() throws Exception {
        String bucket = TestS3.newBucket();
        String plain = s3.url(bucket, "cas", "");
        String cas = s3.url(bucket, "cas", "&compareAndSet=true&partSizeMiB=5");
        int big = 6 << 20; // past one 5 MiB part: a multipart upload
        try (Storer guarded = StoreManager.open(cas, TestS3.credentials());
                Storer other = StoreManager.open(plain, TestS3.credentials());
                S3Client raw = s3.rawClient()) {
            for (int size : new int[] {1000, big}) {
                long id = guarded.writeNewObjFromBytes(TestBytes.of(1, size));
                ObjectWriter stale = guarded.writeToObj(id);
                other.writeBytesToObj(id, TestBytes.of(2, size));
                ByteBuffer mine = ByteBuffer.wrap(TestBytes.of(3, size));
                StoreException e = assertThrows(StoreException.class, () -> {
                    while (mine.hasRemaining()) {
                        stale.write(mine);
                    }
                    stale.close();
                });
                assertEquals(ErrorCode.OBJECT_REPLACED, e.code(), e.getMessage());
                assertArrayEquals(TestBytes.of(2, size), guarded.readBytesFromObj(id), "the newer version stays");
                assertTrue(
                        raw.listMultipartUploads(b -> b.bucket(bucket))
                                .uploads()
                                .isEmpty(),
                        "the refused upload was aborted");

                ObjectWriter fresh = guarded.writeToObj(id);
                ByteBuffer current = ByteBuffer.wrap(TestBytes.of(4, size));
                while (current.hasRemaining()) {
                    fresh.write(current);
                }
                fresh.close();
                assertArrayEquals(
                        TestBytes.of(4, size), other.readBytesFromObj(id), "a handle on the newest version writes");

                ObjectWriter last = other.writeToObj(id);
                guarded.writeBytesToObj(id, TestBytes.of(5, size));
                ByteBuffer wins = ByteBuffer.wrap(TestBytes.of(6, size));
                while (wins.hasRemaining()) {
                    last.write(wins);
                }
                last.close();
                assertArrayEquals(
                        TestBytes.of(6, size), guarded.readBytesFromObj(id), "without it, the last writer wins");
            }
        }
    }
}
