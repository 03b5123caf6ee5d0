package org.bobbob.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
