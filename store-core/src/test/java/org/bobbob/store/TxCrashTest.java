package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    /** 20 in the default run; {@code -Dbobbob.txcrash.rounds=100} in the {@code stress} profile. */
    private static final int ROUNDS = Integer.getInteger("bobbob.txcrash.rounds", 20);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "CONCURRENT_MULTI"})
    void everyTransactionIsAllOrNothingAfterKillNine(TestStores stores) throws Exception {
        SplittableRandom random = new SplittableRandom(stores.ordinal() * 104729L + 3);
        int inFlightApplied = 0;
        int inFlightDropped = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path file = dir.resolve(stores + "-" + round + ".bob");
            // Odd rounds start from a store whose record is large: their commits write journal entries.
            int filler = round % 2 == 1 ? 6000 : 0;
            List<String> lines =
                    runAndKill(stores, file, random.nextLong(), 1 + random.nextInt(12), random.nextInt(12), filler);
            Boolean applied = check(stores, file, lines, "round " + round);
            if (applied != null) {
                if (applied) {
                    inFlightApplied++;
                } else {
                    inFlightDropped++;
                }
            }
        }
        System.out.println(stores + ": " + ROUNDS + " kills, the transaction in flight applied " + inFlightApplied
                + " times, dropped " + inFlightDropped + " times");
    }

    private static List<String> runAndKill(
            TestStores stores, Path file, long seed, int commits, int extraLines, int filler)
            throws IOException, InterruptedException {
        int[] seen = new int[2]; // commits, lines after the last one wanted
        List<String> lines = ChildJvm.run(
                        TxCrashWorker.class,
                        List.of(stores.name(), file.toString(), Long.toString(seed), Integer.toString(filler)),
                        "128m",
                        null,
                        line -> {
                            if (line.equals("C")) {
                                seen[0]++;
                            }
                            return seen[0] >= commits && seen[1]++ >= extraLines;
                        },
                        600)
                .lines();
        assertTrue(lines.contains("C"), "the child died before its first commit: " + lines);
        return lines;
    }

    /** One transaction's reported changes. */
    private static final class Tx {
        final Map<Long, long[]> created = new HashMap<>(); // id → {seed, size}
        final Map<Long, Long> overwritten = new HashMap<>(); // id → seed
        final Set<Long> deleted = new HashSet<>();
    }

    /**
     * Checks the reopened store against the transactions the child reported; returns whether the
     * transaction in flight was applied (null if none was in flight).
     */
    private static Boolean check(TestStores stores, Path file, List<String> lines, String round) throws IOException {
        Map<Long, long[]> committed = new HashMap<>(); // id → {seed, size}
        Set<Long> issued = new HashSet<>();
        Tx current = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "B" -> current = new Tx();
                case "N" -> {
                    long id = Long.parseLong(f[1]);
                    current.created.put(id, new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                    issued.add(id);
                }
                case "W" -> current.overwritten.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
                case "D" -> current.deleted.add(Long.parseLong(f[1]));
                case "C" -> {
                    apply(committed, current);
                    current = null;
                }
                case "R" -> current = null;
                default -> throw new AssertionError("unexpected line from the child: " + line);
            }
        }
        try (Storer s = stores.open(file)) {
            Boolean applied = null;
            Map<Long, long[]> expected = committed;
            if (current != null) {
                applied = appliedInStore(s, committed, current);
                if (applied) {
                    expected = new HashMap<>(committed);
                    apply(expected, current);
                }
            }
            for (Map.Entry<Long, long[]> e : expected.entrySet()) {
                long[] v = e.getValue();
                assertArrayEquals(
                        TestBytes.of(v[0], (int) v[1]),
                        s.readBytesFromObj(e.getKey()),
                        round + ": object " + e.getKey() + " (in flight applied: " + applied + ")");
            }
            for (long id : issued) {
                if (!expected.containsKey(id)) {
                    assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), round + ": id " + id);
                }
            }
            long fresh = s.writeNewObjFromBytes(TestBytes.of(-1, 1234)); // still writable
            assertFalse(issued.contains(fresh), round + ": a new object got an id given before the crash");
            s.sync();
            return applied;
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
