package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Twenty threads each write fifty new objects, streamed in 64 KiB pieces through a Late writer,
 * each in a transaction of its own (what the sample app's POST does), then every object reads back
 * whole: concurrent transactions, group commit and journal entries never tear an object.
 */
class ConcurrentTxWritesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"multi", "basic"})
    void twentyThreadsOfTransactionsWriteObjectsThatAllReadBackWhole(String kind) throws Exception {
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        String url = "bobbob:" + kind + ":" + dir.resolve("tx.bob") + "?concurrent=true";
        try (Storer s = StoreManager.open(url)) { // a store the threads find lazily reopened
            SplittableRandom r = new SplittableRandom(99);
            for (int i = 0; i < 3000; i++) {
                byte[] data = TestBytes.of(-i, r.nextInt(20_000));
                written.put(s.writeNewObjFromBytes(data), data);
            }
        }
        try (Storer s = StoreManager.open(url)) {
            TransactionalStore tx = s.unwrap(TransactionalStore.class);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                CyclicBarrier start = new CyclicBarrier(20);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 20; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        start.await();
                        SplittableRandom r = new SplittableRandom(client);
                        for (int i = 0; i < 50; i++) {
                            byte[] data = TestBytes.of(client * 100L + i, r.nextInt(20_000));
                            long id;
                            try (StoreTransaction t = tx.begin()) {
                                try (ObjectWriter w = t.lateWriteNewObj(data.length)) {
                                    for (int at = 0; at < data.length; at += 4096) {
                                        ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(4096, data.length - at));
                                        while (piece.hasRemaining()) {
                                            w.write(piece);
                                        }
                                    }
                                    id = w.id();
                                }
                                t.commit();
                            }
                            written.put(id, data);
                            assertArrayEquals(data, s.readBytesFromObj(id), "object " + id + " right after its commit");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(4000, written.size());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            }
        }
    }

    /**
     * As above, through XA branches (start, end, prepare, commit: two-phase, as the sample's
     * POSTs under JTA with a database), while another thread syncs the store again and again (the
     * adapter's periodic sync).
     */
    @ParameterizedTest
    @ValueSource(strings = {"multi", "basic"})
    void xaBranchesWhileSyncsRunReadBackWhole(String kind) throws Exception {
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        String url = "bobbob:" + kind + ":" + dir.resolve("xa.bob") + "?concurrent=true";
        try (Storer s = StoreManager.open(url)) {
            SplittableRandom r = new SplittableRandom(98);
            for (int i = 0; i < 3000; i++) {
                byte[] data = TestBytes.of(-i, r.nextInt(20_000));
                written.put(s.writeNewObjFromBytes(data), data);
            }
        }
        try (Storer s = StoreManager.open(url)) {
            TransactionalStore tx = s.unwrap(TransactionalStore.class);
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(21);
            try {
                Future<Integer> syncs = pool.submit(() -> {
                    int n = 0;
                    while (writing.get()) {
                        s.sync();
                        n++;
                    }
                    return n;
                });
                CyclicBarrier start = new CyclicBarrier(20);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 20; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        start.await();
                        SplittableRandom r = new SplittableRandom(client);
                        for (int i = 0; i < 50; i++) {
                            byte[] data = TestBytes.of(client * 1000L + i, r.nextInt(20_000));
                            long id;
                            javax.transaction.xa.Xid xid = XaTest.TestXid.of("g" + client + "-" + i, "b");
                            try (XAStoreConnection x = tx.openXAConnection()) {
                                javax.transaction.xa.XAResource res = x.getXAResource();
                                res.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
                                try (ObjectWriter w = x.getStorer().lateWriteNewObj(data.length)) {
                                    for (int at = 0; at < data.length; at += 4096) {
                                        ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(4096, data.length - at));
                                        while (piece.hasRemaining()) {
                                            w.write(piece);
                                        }
                                    }
                                    id = w.id();
                                }
                                res.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
                                assertEquals(javax.transaction.xa.XAResource.XA_OK, res.prepare(xid));
                                res.commit(xid, false);
                            }
                            written.put(id, data);
                            assertArrayEquals(data, s.readBytesFromObj(id), "object " + id + " right after its commit");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
                writing.set(false);
                syncs.get(1, TimeUnit.MINUTES);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
            assertEquals(4000, written.size());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            }
        }
    }
}
