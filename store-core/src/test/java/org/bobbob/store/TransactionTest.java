package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Local transactions: atomicity, isolation, locks, durability and space, on the stores that offer them. */
class TransactionTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    }

    private Path file() {
        return dir.resolve("store.bob");
    }

    private Storer open(String kind, long lockTimeoutMillis) throws IOException {
        return StoreManager.open("bobbob:" + kind + ":" + file() + "?lockTimeoutMillis=" + lockTimeoutMillis);
    }

    private static TransactionalStore tx(Storer s) throws StoreException {
        return s.unwrap(TransactionalStore.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void aCommitMakesCreatesOverwritesAndDeletesVisibleAndDurableTogether(String kind) throws Exception {
        long kept;
        long overwritten;
        long deleted;
        long created;
        byte[] newBytes = TestBytes.of(3, 5000);
        byte[] created2 = TestBytes.of(4, 100);
        try (Storer s = open(kind, 10_000)) {
            kept = s.writeNewObjFromBytes(TestBytes.of(1, 300));
            overwritten = s.writeNewObjFromBytes(TestBytes.of(2, 5000));
            deleted = s.writeNewObjFromBytes(TestBytes.of(5, 70));
            s.sync();
            try (StoreTransaction t = tx(s).begin()) {
                assertEquals(new TransactionCounts(1, 0, 0, 0, 0, 0), tx(s).transactionCounts());
                created = t.writeNewObjFromBytes(created2);
                t.writeBytesToObj(overwritten, newBytes);
                t.deleteObj(deleted);
                // inside: its own changes
                assertArrayEquals(created2, t.readBytesFromObj(created));
                assertArrayEquals(newBytes, t.readBytesFromObj(overwritten));
                assertThrows(ObjectNotFoundException.class, () -> t.readBytesFromObj(deleted));
                // outside: the committed state
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(created));
                assertArrayEquals(TestBytes.of(2, 5000), s.readBytesFromObj(overwritten));
                assertArrayEquals(TestBytes.of(5, 70), s.readBytesFromObj(deleted));
                t.commit();
                assertFalse(t.isActive());
                assertEquals(new TransactionCounts(0, 0, 0, 1, 0, 0), tx(s).transactionCounts(), "one committed");
            }
            assertArrayEquals(created2, s.readBytesFromObj(created));
            assertArrayEquals(newBytes, s.readBytesFromObj(overwritten));
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(deleted));
        }
        try (Storer s = open(kind, 10_000)) {
            assertArrayEquals(TestBytes.of(1, 300), s.readBytesFromObj(kept));
            assertArrayEquals(created2, s.readBytesFromObj(created));
            assertArrayEquals(newBytes, s.readBytesFromObj(overwritten));
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(deleted));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void aRollbackUndoesEverythingAndItsIdsAreNeverFound(String kind) throws Exception {
        try (Storer s = open(kind, 10_000)) {
            long a = s.writeNewObjFromBytes(TestBytes.of(1, 4000));
            long b = s.writeNewObjFromBytes(TestBytes.of(2, 40));
            s.sync();
            long created;
            try (StoreTransaction t = tx(s).begin()) {
                created = t.writeNewObjFromBytes(TestBytes.of(3, 900));
                try (ObjectWriter w = t.writeToObj(a)) { // a partial write: the shadow is a copy
                    w.write(ByteBuffer.wrap(new byte[] {9, 9, 9}));
                }
                t.deleteObj(b);
                t.rollback();
                assertThrows(StoreException.class, t::commit);
                StoreException ended = assertThrows(StoreException.class, () -> t.readBytesFromObj(a));
                assertEquals(ErrorCode.TRANSACTION_ENDED, ended.code());
            }
            assertArrayEquals(TestBytes.of(1, 4000), s.readBytesFromObj(a));
            assertArrayEquals(TestBytes.of(2, 40), s.readBytesFromObj(b));
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(created));
            // close without commit rolls back too
            long dropped;
            try (StoreTransaction t = tx(s).begin()) {
                dropped = t.writeNewObjFromBytes(TestBytes.of(4, 10));
                t.writeBytesToObj(b, TestBytes.of(5, 40));
            }
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(dropped));
            assertArrayEquals(TestBytes.of(2, 40), s.readBytesFromObj(b));
            s.sync();
            for (int i = 0; i < 50; i++) { // their ids stay unknown whatever takes their space
                long id = s.writeNewObjFromBytes(TestBytes.of(100 + i, 900));
                assertTrue(id != created && id != dropped);
            }
        }
    }

    @Test
    void aPartialOverwriteKeepsTheRestAndStreamsWork() throws Exception {
        try (Storer s = open("multi", 10_000)) {
            byte[] old = TestBytes.of(1, 100_000);
            long id = s.writeNewObjFromBytes(old);
            try (StoreTransaction t = tx(s).begin()) {
                try (ObjectWriter w = t.writeToObj(id)) {
                    w.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
                }
                byte[] expected = old.clone();
                System.arraycopy(new byte[] {1, 2, 3, 4}, 0, expected, 0, 4);
                try (ObjectReader r = t.lateReadObj(id)) {
                    byte[] back = r.asInputStream().readAllBytes();
                    assertArrayEquals(expected, back);
                }
                long streamed;
                try (ObjectWriter w = t.lateWriteNewObj(70_000)) {
                    w.asOutputStream().write(TestBytes.of(7, 70_000));
                    streamed = w.id();
                }
                t.commit();
                assertArrayEquals(expected, s.readBytesFromObj(id));
                assertArrayEquals(TestBytes.of(7, 70_000), s.readBytesFromObj(streamed));
            }
        }
    }

    @Test
    void syncInsideAndCallsAfterTheEndAreRefused() throws Exception {
        try (Storer s = open("multi", 10_000)) {
            StoreTransaction t = tx(s).begin();
            assertThrows(IllegalStateException.class, t::sync);
            t.commit();
            assertEquals(
                    ErrorCode.TRANSACTION_ENDED,
                    assertThrows(StoreException.class, t::commit).code());
            assertEquals(
                    ErrorCode.TRANSACTION_ENDED,
                    assertThrows(StoreException.class, t::rollback).code());
            assertEquals(
                    ErrorCode.TRANSACTION_ENDED,
                    assertThrows(StoreException.class, () -> t.writeNewObjFromBytes(new byte[1]))
                            .code());
            t.close(); // nothing to do
        }
    }

    /** A writer outside waits for the transaction that holds the object, then writes after its commit. */
    @Test
    void aWriteOutsideWaitsForTheTransactionThatHoldsTheObject() throws Exception {
        try (Storer s = open("multi", 20_000)) {
            long id = s.writeNewObjFromBytes(TestBytes.of(1, 64));
            StoreTransaction t = tx(s).begin();
            t.writeBytesToObj(id, TestBytes.of(2, 64));
            Thread[] writer = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<?> outside = pool.submit(() -> {
                writer[0] = Thread.currentThread();
                started.countDown();
                s.writeBytesToObj(id, TestBytes.of(3, 64));
                return null;
            });
            started.await();
            awaitWaiting(writer[0]);
            assertFalse(outside.isDone(), "the outside write waits");
            assertArrayEquals(TestBytes.of(1, 64), s.readBytesFromObj(id), "readers are not held up");
            t.commit();
            outside.get(30, TimeUnit.SECONDS);
            assertArrayEquals(TestBytes.of(3, 64), s.readBytesFromObj(id), "the outside write came after the commit");
        }
    }

    /** Waits until {@code t} blocks (no sleep: polls the thread's state). */
    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the thread never waited: " + t.getState());
            Thread.onSpinWait();
        }
    }

    @Test
    void aLockTimeoutFailsTheCallAndLeavesBothTransactionsUsable() throws Exception {
        try (Storer s = open("multi", 150)) {
            long x = s.writeNewObjFromBytes(TestBytes.of(1, 64));
            long y = s.writeNewObjFromBytes(TestBytes.of(2, 64));
            StoreTransaction a = tx(s).begin();
            a.writeBytesToObj(x, TestBytes.of(3, 64));
            try (StoreTransaction b = tx(s).begin()) {
                LockTimeoutException e =
                        assertThrows(LockTimeoutException.class, () -> b.writeBytesToObj(x, TestBytes.of(4, 64)));
                assertEquals(ErrorCode.LOCK_TIMEOUT, e.code());
                assertThrows(LockTimeoutException.class, () -> b.deleteObj(x));
                assertThrows(LockTimeoutException.class, () -> s.writeBytesToObj(x, TestBytes.of(5, 64)));
                assertThrows(LockTimeoutException.class, () -> s.deleteObj(x));
                b.writeBytesToObj(y, TestBytes.of(6, 64)); // b carries on with another object
                b.commit();
            }
            a.commit();
            assertArrayEquals(TestBytes.of(3, 64), s.readBytesFromObj(x));
            assertArrayEquals(TestBytes.of(6, 64), s.readBytesFromObj(y));
        }
    }

    /** Two transactions that wait for each other: one fails at once (deadlock), the other commits. */
    @Test
    void aDeadlockEndsWithOneFailureAndOneSuccess() throws Exception {
        try (Storer s = open("multi", 60_000)) {
            long x = s.writeNewObjFromBytes(TestBytes.of(1, 64));
            long y = s.writeNewObjFromBytes(TestBytes.of(2, 64));
            StoreTransaction a = tx(s).begin();
            StoreTransaction b = tx(s).begin();
            a.writeBytesToObj(x, TestBytes.of(3, 64));
            b.writeBytesToObj(y, TestBytes.of(4, 64));
            Thread[] aThread = new Thread[1];
            CountDownLatch started = new CountDownLatch(1);
            Future<?> aWaits = pool.submit(() -> {
                aThread[0] = Thread.currentThread();
                started.countDown();
                a.writeBytesToObj(y, TestBytes.of(5, 64)); // waits for b
                a.commit();
                return null;
            });
            started.await();
            awaitWaiting(aThread[0]);
            LockTimeoutException deadlock =
                    assertThrows(LockTimeoutException.class, () -> b.writeBytesToObj(x, TestBytes.of(6, 64)));
            assertTrue(deadlock.getMessage().contains("deadlock"), deadlock.getMessage());
            b.rollback();
            aWaits.get(30, TimeUnit.SECONDS);
            assertArrayEquals(TestBytes.of(3, 64), s.readBytesFromObj(x));
            assertArrayEquals(TestBytes.of(5, 64), s.readBytesFromObj(y));
        }
    }

    /**
     * Concurrent transactions on shared and distinct objects: every read sees committed or its own
     * data (each object's content names the transaction that wrote it, and is whole), and the final
     * state is the last committed write of each object.
     */
    @Test
    void concurrentTransactionsReadCommittedOrOwnData() throws Exception {
        try (Storer s = open("multi", 60_000)) {
            int objects = 6;
            long[] ids = new long[objects];
            for (int i = 0; i < objects; i++) {
                ids[i] = s.writeNewObjFromBytes(content(0, i));
            }
            int threads = 4;
            int rounds = 60;
            List<Future<?>> all = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int me = th;
                all.add(pool.submit(() -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(me);
                    for (int round = 0; round < rounds; round++) {
                        int writer = (me + 1) * 1000 + round;
                        int[] mine = {r.nextInt(objects), r.nextInt(objects)};
                        java.util.Arrays.sort(mine); // one order: no deadlock in this test
                        try (StoreTransaction t = tx(s).begin()) {
                            for (int o : mine) {
                                checkWhole(t.readBytesFromObj(ids[o]), o);
                                t.writeBytesToObj(ids[o], content(writer, o));
                                assertArrayEquals(content(writer, o), t.readBytesFromObj(ids[o]), "own write");
                            }
                            if (r.nextBoolean()) {
                                t.commit();
                            } else {
                                t.rollback();
                            }
                        }
                        checkWhole(s.readBytesFromObj(ids[r.nextInt(objects)]), -1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (int o = 0; o < objects; o++) {
                checkWhole(s.readBytesFromObj(ids[o]), o);
            }
        }
    }

    /** An object's content: the writer's number repeated, and the object's index. */
    private static byte[] content(int writer, int object) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (b.remaining() >= 8) {
            b.putInt(writer).putInt(object);
        }
        return b.array();
    }

    /** Checks {@code bytes} were written whole by one writer (for object {@code object}, unless -1). */
    private static void checkWhole(byte[] bytes, int object) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int writer = b.getInt();
        int obj = b.getInt();
        if (object >= 0) {
            assertEquals(object, obj);
        }
        while (b.remaining() >= 8) {
            assertEquals(writer, b.getInt(), "a torn or mixed read");
            assertEquals(obj, b.getInt(), "a torn or mixed read");
        }
    }

    /**
     * A long run of rolled-back transactions leaves no space behind: after each one's sync the file
     * is at most its size before the run plus one transaction's objects and a record (freed space
     * is reusable only after the sync that frees it, so that much may sit at the tail until the
     * next), and the objects it overwrote are unchanged. 300 rounds that leaked would grow it by
     * 7 MB.
     */
    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void rolledBackTransactionsLeaveNoSpaceBehind(String kind) throws Exception {
        try (Storer s = open(kind, 10_000)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(s.writeNewObjFromBytes(TestBytes.of(i, 3000 + i * 100)));
            }
            s.sync();
            long before = Files.size(file());
            long oneTransaction = 20_000 + 100 + 4_900 + 2 * 4096 + 65_536; // objects, records, a block
            for (int round = 0; round < 300; round++) {
                try (StoreTransaction t = tx(s).begin()) {
                    t.writeNewObjFromBytes(TestBytes.of(round, 20_000));
                    t.writeNewObjFromBytes(TestBytes.of(round, 100));
                    t.writeBytesToObj(ids.get(round % ids.size()), TestBytes.of(round, 50));
                    t.rollback();
                }
                s.sync();
                long size = Files.size(file());
                assertTrue(
                        size <= before + oneTransaction,
                        "round " + round + ": " + size + " bytes, " + before + " before");
            }
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(TestBytes.of(i, 3000 + i * 100), s.readBytesFromObj(ids.get(i)));
            }
            assertEquals(20, s.unwrap(StatisticsProvider.class).stats().objects());
        }
    }

    /**
     * Commits from many threads at once all land, and share syncs (group commit): 8 threads that
     * commit together, round after round, make far fewer syncs than commits.
     */
    @Test
    void concurrentCommitsAllLand() throws Exception {
        Map<Long, byte[]> committed = new java.util.concurrent.ConcurrentHashMap<>();
        try (Storer s = open("multi", 10_000)) {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
            long syncsBefore = s.unwrap(StatisticsProvider.class).stats().syncs();
            List<Future<?>> all = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                int me = th;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        try (StoreTransaction t = tx(s).begin()) {
                            byte[] b = TestBytes.of(me * 1000 + i, 1000 + i);
                            long id = t.writeNewObjFromBytes(b);
                            together.await(60, TimeUnit.SECONDS);
                            t.commit();
                            committed.put(id, b);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
            long syncs = s.unwrap(StatisticsProvider.class).stats().syncs() - syncsBefore;
            assertTrue(syncs <= 320 * 3 / 4, syncs + " syncs for 320 commits made 8 at a time");
        }
        assertEquals(320, committed.size());
        try (Storer s = open("multi", 10_000)) {
            for (Map.Entry<Long, byte[]> e : committed.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
    }

    /** Closing the store rolls back the transactions still active; their calls then fail, coded. */
    @Test
    void closingTheStoreRollsBackActiveTransactions() throws Exception {
        long kept;
        long lost;
        StoreTransaction t;
        try (Storer s = open("multi", 10_000)) {
            kept = s.writeNewObjFromBytes(TestBytes.of(1, 100));
            t = tx(s).begin();
            lost = t.writeNewObjFromBytes(TestBytes.of(2, 100));
            t.writeBytesToObj(kept, TestBytes.of(3, 100));
        }
        assertFalse(t.isActive());
        StoreException e = assertThrows(StoreException.class, () -> t.readBytesFromObj(kept));
        assertTrue(e.code() == ErrorCode.TRANSACTION_ENDED || e.code() == ErrorCode.CLOSED, e.getMessage());
        assertThrows(StoreException.class, t::commit);
        try (Storer s = open("multi", 10_000)) {
            assertArrayEquals(TestBytes.of(1, 100), s.readBytesFromObj(kept));
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(lost));
            assertThrows(StoreClosedException.class, () -> {
                Storer closed = StoreManager.open("bobbob:multi:" + dir.resolve("other.bob"));
                closed.close();
                tx(closed).begin();
            });
        }
    }

    /** Bare file stores offer transactions too. */
    @Test
    void bareStoresOfferTransactions() throws Exception {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        try (Storer s = BasicStore.create(file())) {
            assertTrue(s.isWrapperFor(TransactionalStore.class));
            long a = s.writeNewObjFromBytes(TestBytes.of(1, 10));
            try (StoreTransaction t = tx(s).begin()) {
                objects.put(t.writeNewObjFromBytes(TestBytes.of(2, 20)), TestBytes.of(2, 20));
                t.writeBytesToObj(a, TestBytes.of(3, 10));
                t.commit();
            }
            objects.put(a, TestBytes.of(3, 10));
        }
        try (Storer s = BasicStore.open(file())) {
            for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void aReaderOutsideKeepsReadingAnObjectATransactionDeletedAndNewObjectsDoNotTakeItsSpace(String kind)
            throws Exception {
        int size = 64 << 10;
        try (Storer s = StoreManager.open("bobbob:" + kind + ":" + dir.resolve("kept.bob") + "?concurrent=true")) {
            long before = s.writeNewObjFromBytes(TestBytes.of(1, size));
            long doomed = s.writeNewObjFromBytes(TestBytes.of(2, size));
            long after = s.writeNewObjFromBytes(TestBytes.of(3, size));
            s.sync();
            byte[] read = new byte[size];
            try (ObjectReader r = s.lateReadObj(doomed)) {
                ByteBuffer half = ByteBuffer.wrap(read, 0, size / 2);
                while (half.hasRemaining()) {
                    r.read(half);
                }
                try (StoreTransaction tx = s.unwrap(TransactionalStore.class).begin()) {
                    tx.deleteObj(doomed);
                    tx.commit(); // durable: freed space would be reusable from here
                }
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(doomed));
                List<Long> fresh = new ArrayList<>();
                for (int i = 0; i < 8; i++) { // the same size: a freed hole of it would be taken first
                    fresh.add(s.writeNewObjFromBytes(TestBytes.of(10 + i, size)));
                    s.sync();
                }
                ByteBuffer rest = ByteBuffer.wrap(read, size / 2, size - size / 2);
                while (rest.hasRemaining()) {
                    r.read(rest); // the reader's checksum check at the end: no BOB-305
                }
                assertArrayEquals(TestBytes.of(2, size), read, "the reader kept the bytes it opened");
                for (int i = 0; i < fresh.size(); i++) {
                    assertArrayEquals(TestBytes.of(10 + i, size), s.readBytesFromObj(fresh.get(i)));
                }
            }
            s.sync(); // the reader closed: its space is reusable after this
            assertArrayEquals(TestBytes.of(1, size), s.readBytesFromObj(before));
            assertArrayEquals(TestBytes.of(3, size), s.readBytesFromObj(after));
        }
    }
}
