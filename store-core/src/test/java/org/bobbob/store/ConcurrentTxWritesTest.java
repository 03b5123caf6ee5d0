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
import java.util.concurrent.atomic.AtomicBoolean;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Twenty threads each write fifty new objects, streamed in 4 KiB pieces through a Late writer,
 * each in a transaction of its own (what the sample app's POST does), into a store they find
 * lazily reopened; each object reads back whole right after its commit, and all of them at the
 * end: concurrent transactions, group commit and journal entries never tear an object.
 */
class ConcurrentTxWritesTest {
    private static final int CLIENTS = 20;
    private static final int OBJECTS = 50;

    @TempDir
    Path dir;

    /** Writes {@code data} as a new object in one transaction of {@code tx}; returns its id once committed. */
    @FunctionalInterface
    private interface TransactionalWrite {
        long write(TransactionalStore tx, String name, byte[] data) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi", "basic"})
    void localTransactionsWriteObjectsThatAllReadBackWhole(String kind) throws Exception {
        run(kind, false, (tx, name, data) -> {
            try (StoreTransaction t = tx.begin()) {
                long id;
                try (ObjectWriter w = t.lateWriteNewObj(data.length)) {
                    stream(w, data);
                    id = w.id();
                }
                t.commit();
                return id;
            }
        });
    }

    /**
     * Through XA branches (start, end, prepare, commit: two-phase, as the sample's POSTs under JTA
     * with a database), while another thread syncs the store again and again (the adapter's
     * periodic sync).
     */
    @ParameterizedTest
    @ValueSource(strings = {"multi", "basic"})
    void xaBranchesWhileSyncsRunWriteObjectsThatAllReadBackWhole(String kind) throws Exception {
        run(kind, true, (tx, name, data) -> {
            Xid xid = XaTest.TestXid.of(name, "b");
            try (XAStoreConnection x = tx.openXAConnection()) {
                XAResource res = x.getXAResource();
                res.start(xid, XAResource.TMNOFLAGS);
                long id;
                try (ObjectWriter w = x.getStorer().lateWriteNewObj(data.length)) {
                    stream(w, data);
                    id = w.id();
                }
                res.end(xid, XAResource.TMSUCCESS);
                assertEquals(XAResource.XA_OK, res.prepare(xid));
                res.commit(xid, false);
                return id;
            }
        });
    }

    private void run(String kind, boolean syncing, TransactionalWrite write) throws Exception {
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
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            try {
                Future<?> syncs = pool.submit(() -> {
                    while (syncing && writing.get()) {
                        s.sync();
                    }
                    return null;
                });
                CyclicBarrier start = new CyclicBarrier(CLIENTS);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    done.add(pool.submit(() -> {
                        start.await();
                        SplittableRandom r = new SplittableRandom(client);
                        for (int i = 0; i < OBJECTS; i++) {
                            byte[] data = TestBytes.of(client * 100L + i, r.nextInt(20_000));
                            long id = write.write(tx, "client " + client + " object " + i, data);
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
            assertEquals(3000 + CLIENTS * OBJECTS, written.size());
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            }
        }
    }

    /** Writes {@code data} in 4 KiB pieces. */
    private static void stream(ObjectWriter w, byte[] data) throws Exception {
        for (int at = 0; at < data.length; at += 4096) {
            ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(4096, data.length - at));
            while (piece.hasRemaining()) {
                w.write(piece);
            }
        }
    }
}
