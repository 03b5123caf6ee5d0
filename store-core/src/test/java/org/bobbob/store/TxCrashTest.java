package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 in the middle of transactions: a child JVM ({@link TxCrashWorker}) runs transactions of
 * creates, whole overwrites and deletes, some rolled back, some with a sync from outside in their
 * middle; the test kills it with {@code destroyForcibly} at a random moment, reopens the store and
 * checks atomicity: every committed transaction is there, every rolled-back one is not, the one in
 * flight is there entirely or not at all, and no object is torn (each reads whole, without a
 * checksum error). Every other round starts from a store of 6 000 objects, whose commits write
 * journal entries (format 5) rather than whole records.
 */
class TxCrashTest {
    /** Per case: 20 in the default run; {@code -Dbobbob.txcrash.rounds=100} in the {@code stress} profile. */
    private static final int ROUNDS = Integer.getInteger("bobbob.txcrash.rounds", 20);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "CONCURRENT_MULTI"})
    void everyTransactionIsAllOrNothingAfterKillNine(TestStores stores) throws Exception {
        killRounds(stores, new SplittableRandom(stores.ordinal() * 104729L + 3), ROUNDS, 1, 1, 12, 12);
    }

    /**
     * Four threads of the concurrent stores commit at once, so their commits meet in group commits
     * (a journal entry for several transactions, its threads woken together): after kill -9 every
     * transaction a thread saw commit is there, every one in flight is all or nothing, and none is
     * torn. Half the rounds start from a store whose commits write journal entries.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"CONCURRENT_BASIC", "CONCURRENT_MULTI"})
    void concurrentTransactionsAreAllOrNothingAfterKillNine(TestStores stores) throws Exception {
        killRounds(stores, new SplittableRandom(stores.ordinal() * 7919L + 5), ROUNDS, 4, 4, 40, 24);
    }

    /**
     * {@code rounds} kills of a child running transactions on {@code threads} threads, each after
     * {@code minCommits} and up to {@code spread} more commits and up to {@code extraLines} more
     * lines; odd rounds start from a store whose record is large, so that their commits write
     * journal entries.
     */
    private void killRounds(
            TestStores stores,
            SplittableRandom random,
            int rounds,
            int threads,
            int minCommits,
            int spread,
            int extraLines)
            throws Exception {
        int inFlightApplied = 0;
        int inFlightDropped = 0;
        for (int round = 0; round < rounds; round++) {
            Path file = dir.resolve(stores + "-" + threads + "-" + round + ".bob");
            int filler = round % 2 == 1 ? 6000 : 0;
            long seed = random.nextLong();
            int commits = minCommits + random.nextInt(spread);
            List<String> lines = ChildJvm.killAfterMarks(
                    TxCrashWorker.class, "C", commits, random.nextInt(extraLines), stores, file, seed, filler, threads);
            int[] inFlight = check(stores, file, lines, "round " + round);
            inFlightApplied += inFlight[0];
            inFlightDropped += inFlight[1];
        }
        System.out.println(
                stores + ": " + rounds + " kills of " + threads + " thread(s), transactions in flight applied "
                        + inFlightApplied + " times, dropped " + inFlightDropped + " times");
    }

    /** One transaction's reported changes. */
    private static final class Tx {
        final Map<Long, long[]> created = new HashMap<>(); // id → {seed, size}
        final Map<Long, Long> overwritten = new HashMap<>(); // id → seed
        final Set<Long> deleted = new HashSet<>();
    }

    /**
     * Checks the reopened store against the transactions the child reported, each thread's in
     * turn (their objects are their own); returns how many transactions in flight were applied and
     * how many dropped.
     */
    private static int[] check(TestStores stores, Path file, List<String> lines, String round) throws IOException {
        Map<Long, long[]> committed = new HashMap<>(); // id → {seed, size}
        Set<Long> issued = new HashSet<>();
        Map<Integer, Tx> current = new HashMap<>(); // by thread: the transaction in flight
        for (String line : lines) {
            String[] f = line.split(" ");
            int thread = Integer.parseInt(f[0]);
            Tx tx = current.get(thread);
            switch (f[1]) {
                case "B" -> current.put(thread, new Tx());
                case "N" -> {
                    long id = Long.parseLong(f[2]);
                    tx.created.put(id, new long[] {Long.parseLong(f[3]), Long.parseLong(f[4])});
                    issued.add(id);
                }
                case "W" -> tx.overwritten.put(Long.parseLong(f[2]), Long.parseLong(f[3]));
                case "D" -> tx.deleted.add(Long.parseLong(f[2]));
                case "C" -> apply(committed, current.remove(thread));
                case "R" -> current.remove(thread);
                default -> throw new AssertionError("unexpected line from the child: " + line);
            }
        }
        try (Storer s = stores.open(file)) {
            int[] inFlight = new int[2];
            Map<Long, long[]> expected = new HashMap<>(committed);
            for (Tx tx : current.values()) {
                if (appliedInStore(s, committed, tx)) {
                    apply(expected, tx);
                    inFlight[0]++;
                } else {
                    inFlight[1]++;
                }
            }
            for (Map.Entry<Long, long[]> e : expected.entrySet()) {
                long[] v = e.getValue();
                assertArrayEquals(
                        TestBytes.of(v[0], (int) v[1]),
                        s.readBytesFromObj(e.getKey()),
                        round + ": object " + e.getKey() + " (in flight: " + current.size() + ")");
            }
            for (long id : issued) {
                if (!expected.containsKey(id)) {
                    assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), round + ": id " + id);
                }
            }
            long fresh = s.writeNewObjFromBytes(TestBytes.of(-1, 1234)); // still writable
            assertFalse(issued.contains(fresh), round + ": a new object got an id given before the crash");
            s.sync();
            return inFlight;
        }
    }

    private static void apply(Map<Long, long[]> state, Tx tx) {
        state.putAll(tx.created);
        for (Map.Entry<Long, Long> w : tx.overwritten.entrySet()) {
            long[] old = state.get(w.getKey());
            state.put(w.getKey(), new long[] {w.getValue(), old[1]});
        }
        for (long id : tx.deleted) {
            state.remove(id);
        }
    }

    /** Whether the store holds {@code tx}'s first reported change (the rest must then agree). */
    private static boolean appliedInStore(Storer s, Map<Long, long[]> committed, Tx tx) throws IOException {
        if (!tx.created.isEmpty()) {
            long id = tx.created.keySet().iterator().next();
            try {
                s.readBytesFromObj(id);
                return true;
            } catch (ObjectNotFoundException e) {
                return false;
            }
        }
        return false; // the child reports a create first: a transaction without one had not begun to change
    }
}
