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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.FileReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Backup}: the copy holds exactly the state of one sync point while writers go on, and
 * {@link ObjectLister} lists what a store holds.
 */
class BackupTest {
    @TempDir
    Path dir;

    private static final int THREADS = 8;
    private static final int OWNED = 300;
    private static final int OPS_BEFORE = 300;
    private static final int OPS_AFTER = 200;

    /** An object's bytes: its writer and the number of the operation that wrote it, then noise from both. */
    private static byte[] content(int thread, int op, int size) {
        byte[] b = TestBytes.of(thread * 1_000_003L + op, size);
        ByteBuffer.wrap(b).putInt(thread).putInt(op);
        return b;
    }

    /** One writer's operations, in order: op number → id written (create/overwrite) or deleted. */
    private static final class Log {
        final List<long[]> ops = new ArrayList<>(); // {op, id, kind: 0 write, 1 delete}
        final AtomicInteger done = new AtomicInteger();
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"CONCURRENT_BASIC", "CONCURRENT_MULTI"})
    void aBackupUnderEightWritersHoldsExactlyOneSyncPointAndPassesVerify(TestStores stores) throws Exception {
        Path copy = dir.resolve("copy.bob");
        Log[] logs = new Log[THREADS];
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch warmedUp = new CountDownLatch(THREADS);
        BackupReport report;
        int[] doneBefore = new int[THREADS];
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Storer s = stores.create(dir.resolve("store.bob"))) {
            List<Future<?>> writers = new ArrayList<>();
            CountDownLatch cooledDown = new CountDownLatch(THREADS);
            AtomicBoolean backedUp = new AtomicBoolean();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                logs[t] = new Log();
                writers.add(pool.submit(() -> {
                    write(s, thread, logs[thread], stop, warmedUp, backedUp, cooledDown);
                    return null;
                }));
            }
            assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "writers warmed up");
            for (int t = 0; t < THREADS; t++) {
                doneBefore[t] = logs[t].done.get();
            }
            report = s.unwrap(Backup.class).backupTo(copy);
            backedUp.set(true);
            assertTrue(cooledDown.await(60, TimeUnit.SECONDS), "writers went on after the backup");
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Files.size(copy), report.bytes());
        assertFalse(report.longestWriterPause().isNegative());
        assertTrue(report.longestWriterPause().compareTo(report.duration()) <= 0, report.toString());
        System.out.printf(
                "backup of %s: %d bytes, %d objects, writers paused %.3f ms, whole backup %.1f ms%n",
                stores,
                report.bytes(),
                report.objects(),
                report.longestWriterPause().toNanos() / 1e6,
                report.duration().toNanos() / 1e6);

        FileReport check = Engines.check(copy, true, done -> {});
        assertTrue(check.verify().ok(), check.verify().problems().toString());
        assertEquals(report.objects(), check.objects());
        try (Storer b = stores.open(copy)) {
            Map<Integer, Map<Long, Integer>> seen = new HashMap<>();
            for (long id : b.unwrap(ObjectLister.class).objectIds()) {
                byte[] bytes = b.readBytesFromObj(id);
                ByteBuffer head = ByteBuffer.wrap(bytes);
                int thread = head.getInt();
                int op = head.getInt();
                assertArrayEquals(content(thread, op, bytes.length), bytes, "object " + id + " is whole");
                seen.computeIfAbsent(thread, k -> new HashMap<>()).put(id, op);
            }
            for (int t = 0; t < THREADS; t++) {
                int k = prefixMatching(logs[t], seen.getOrDefault(t, Map.of()));
                assertTrue(k >= 0, "writer " + t + ": the copy holds no prefix of its operations");
                assertTrue(
                        k >= doneBefore[t],
                        "writer " + t + ": operations done before the backup began are missing: " + k + " < "
                                + doneBefore[t]);
            }
        }
    }

    /** Creates its own objects, then overwrites, creates and deletes them at random until stopped. */
    private static void write(
            Storer s,
            int thread,
            Log log,
            AtomicBoolean stop,
            CountDownLatch warmedUp,
            AtomicBoolean backedUp,
            CountDownLatch cooledDown)
            throws IOException {
        SplittableRandom r = new SplittableRandom(thread);
        List<Long> owned = new ArrayList<>();
        Map<Long, Integer> sizes = new HashMap<>();
        int op = 0;
        int afterBackup = 0;
        boolean cooled = false;
        while (!stop.get()) {
            op++;
            int choice = owned.size() < OWNED ? 0 : r.nextInt(4);
            if (choice == 0) {
                int size = 16 + r.nextInt(16 * 1024);
                long id = s.writeNewObjFromBytes(content(thread, op, size));
                owned.add(id);
                sizes.put(id, size);
                log.ops.add(new long[] {op, id, 0});
            } else if (choice == 1) {
                long id = owned.remove(r.nextInt(owned.size()));
                s.deleteObj(id);
                log.ops.add(new long[] {op, id, 1});
            } else {
                long id = owned.get(r.nextInt(owned.size()));
                s.writeBytesToObj(id, content(thread, op, sizes.get(id)));
                log.ops.add(new long[] {op, id, 0});
            }
            if (op == OWNED) {
                s.sync();
            }
            int done = log.done.incrementAndGet();
            if (done == OWNED + OPS_BEFORE) {
                warmedUp.countDown();
            }
            if (backedUp.get() && ++afterBackup == OPS_AFTER && !cooled) {
                cooled = true;
                cooledDown.countDown();
            }
        }
    }

    /**
     * The number of leading operations of {@code log} whose result is exactly {@code copy} (id →
     * op that wrote it), or -1 if none is.
     */
    private static int prefixMatching(Log log, Map<Long, Integer> copy) {
        Map<Long, Integer> state = new HashMap<>();
        if (state.equals(copy)) {
            return 0;
        }
        for (long[] o : log.ops) { // every operation changes the state: at most one prefix matches
            apply(state, o);
            if (state.equals(copy)) {
                return (int) o[0];
            }
        }
        return -1;
    }

    private static void apply(Map<Long, Integer> state, long[] o) {
        if (o[2] == 0) {
            state.put(o[1], (int) o[0]);
        } else {
            state.remove(o[1]);
        }
    }

    @Test
    void aBackupRefusesATargetThatExistsOrWhoseDirectoryDoesNotAndKeepsBoth() throws Exception {
        Path taken = dir.resolve("taken.bob");
        Files.write(taken, new byte[] {1, 2, 3});
        try (Storer s = MultiStore.create(dir.resolve("store.bob"), 0)) {
            long id = s.writeNewObjFromBytes(TestBytes.of(1, 100));
            StoreException exists = assertThrows(
                    StoreException.class, () -> s.unwrap(Backup.class).backupTo(taken));
            assertEquals(ErrorCode.FILE_EXISTS, exists.code());
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(taken), "an existing file is left alone");
            StoreException missing = assertThrows(
                    StoreException.class, () -> s.unwrap(Backup.class).backupTo(dir.resolve("no/such/dir.bob")));
            assertEquals(ErrorCode.FILE_MISSING, missing.code());
            assertArrayEquals(TestBytes.of(1, 100), s.readBytesFromObj(id), "the store goes on");
            BackupReport report = s.unwrap(Backup.class).backupTo(dir.resolve("copy.bob"));
            assertEquals(1, report.objects());
        }
        try (Storer copy = MultiStore.open(dir.resolve("copy.bob"), 0)) {
            assertEquals(1, copy.unwrap(ObjectLister.class).objectIds().length);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "CONCURRENT_MULTI"})
    void aBackupTellsItsProgressPartByPartUpToTheBytesItCopied(TestStores stores) throws Exception {
        try (Storer s = stores.create(dir.resolve("store.bob"))) {
            for (int i = 0; i < 40; i++) {
                s.writeNewObjFromBytes(TestBytes.of(i, 50_000)); // about 2 MB: eight parts of 256 KiB
            }
            List<Long> told = new ArrayList<>();
            Thread caller = Thread.currentThread();
            BackupReport report = s.unwrap(Backup.class).backupTo(dir.resolve("copy.bob"), done -> {
                assertEquals(caller, Thread.currentThread(), "told on the calling thread");
                told.add(done);
            });
            long copied = told.get(told.size() - 1); // the file's length at the sync point
            assertEquals((copied + (256 << 10) - 1) / (256 << 10), told.size(), "once a part");
            for (int i = 1; i < told.size(); i++) {
                assertTrue(told.get(i) > told.get(i - 1), "growing: " + told);
                assertTrue(told.get(i) - told.get(i - 1) <= 256 << 10, "a part at a time: " + told);
            }
            assertTrue(copied > 40 * 50_000 && copied <= report.bytes(), copied + " of " + report.bytes());
            assertEquals(Files.size(dir.resolve("copy.bob")), report.bytes(), "the copy, with its own metadata");
        }
    }

    /**
     * Objects a transaction holds hidden — its new objects and the shadows of what it overwrites,
     * small and large ones in any order — are never listed, however many.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI", "CONCURRENT_MULTI"})
    void theListerLeavesOutEveryObjectATransactionHides(TestStores stores) throws Exception {
        try (Storer s = stores.create(dir.resolve("store.bob"))) {
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                live.add(s.writeNewObjFromBytes(TestBytes.of(i, 16 + i * 53 % 6000)));
            }
            long[] expected = live.stream().mapToLong(Long::longValue).sorted().toArray();
            TransactionalStore tx = s.unwrap(TransactionalStore.class);
            for (int round = 0; round < 12; round++) {
                try (StoreTransaction t = tx.begin()) {
                    for (int i = 0; i <= round; i++) {
                        t.writeNewObjFromBytes(TestBytes.of(1000 + i, i % 2 == 0 ? 40 + i : 9000 + i));
                        long old = live.get((round * 37 + i * 11) % live.size());
                        t.writeBytesToObj(old, TestBytes.of(2000 + i, s.readBytesFromObj(old).length));
                    }
                    assertArrayEquals(expected, s.unwrap(ObjectLister.class).objectIds(), "round " + round);
                    t.rollback();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI", "CONCURRENT_MULTI"})
    void theListerListsLiveCommittedObjectsInAscendingOrder(TestStores stores) throws Exception {
        try (Storer s = stores.create(dir.resolve("store.bob"))) {
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                live.add(s.writeNewObjFromBytes(TestBytes.of(i, i * 37 % 9000)));
            }
            for (int i = 0; i < 200; i += 3) {
                s.deleteObj(live.get(i));
            }
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                if (i % 3 != 0) {
                    expected.add(live.get(i));
                }
            }
            expected.sort(null);
            try (StoreTransaction tx = s.unwrap(TransactionalStore.class).begin()) {
                tx.writeNewObjFromBytes(TestBytes.of(7, 70)); // not committed: not listed
                long[] listed = s.unwrap(ObjectLister.class).objectIds();
                assertEquals(expected, java.util.Arrays.stream(listed).boxed().toList());
            }
        }
    }
}
