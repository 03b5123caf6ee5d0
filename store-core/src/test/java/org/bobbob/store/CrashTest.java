package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * kill -9 at a random moment: a child JVM ({@link CrashWorker}) writes, overwrites, deletes and
 * syncs in a loop; the test kills it with {@code destroyForcibly}, reopens the store and checks
 * the promise of STORE.md: every object as of the last reported sync reads back exactly, and
 * every delete reported as synced stays deleted. Changes after the last reported sync may or
 * may not have survived (a sync may have been in progress), so the test only checks that what
 * survived of them is whole where the promise says it must be.
 *
 * <p>Ids too: every id the child was given and that is not live after the reopen (deleted, or
 * created after the last sync and lost) stays not found while the reopened store writes as many
 * new objects again, and no new object is given any id the child was ever given.
 *
 * <p>Every other round starts from a store of 6 000 objects, whose syncs append journal entries
 * (format 5 on) rather than rewrite the record. With several threads (the concurrent stores),
 * each writes objects of its own and syncs; a thread's sync makes everything that thread did
 * before it durable, so each thread's lines are checked against a model of their own.
 */
class CrashTest {
    /** 20 in the default run; {@code -Dbobbob.crash.rounds=200} in the {@code stress} profile. */
    private static final int ROUNDS = Integer.getInteger("bobbob.crash.rounds", 20);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "CONCURRENT_MULTI"})
    void everySyncedObjectSurvivesKillNine(TestStores stores) throws Exception {
        killRounds(stores, new SplittableRandom(stores.ordinal() * 7919L + 1), 1, 1);
    }

    /**
     * Four threads of a concurrent store write, overwrite, delete and sync at once, so that
     * commits run while other threads allocate and write: after kill -9 every thread's synced
     * objects read back exactly.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"CONCURRENT_BASIC", "CONCURRENT_MULTI"})
    void everySyncedObjectOfFourWritersSurvivesKillNine(TestStores stores) throws Exception {
        killRounds(stores, new SplittableRandom(stores.ordinal() * 104729L + 11), 4, 4);
    }

    /**
     * {@link #ROUNDS} kills of a child writing on {@code threads} threads, each after
     * {@code minSyncs} and up to 8 more syncs (of any thread) and up to 40 more lines; odd rounds
     * start from a store whose syncs append journal entries.
     */
    private void killRounds(TestStores stores, SplittableRandom random, int threads, int minSyncs) throws Exception {
        int checked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path file = dir.resolve(stores + "-" + threads + "-" + round + ".bob");
            int filler = round % 2 == 1 ? 6000 : 0;
            long seed = random.nextLong();
            int syncs = minSyncs + random.nextInt(8);
            List<String> lines = ChildJvm.killAfterMarks(
                    CrashWorker.class, "S", syncs, random.nextInt(40), stores, file, seed, filler, threads);
            checked += checkAfterCrash(stores, file, lines, "round " + round);
        }
        assertTrue(checked > ROUNDS * 5, "only " + checked + " synced objects were checked in " + ROUNDS + " rounds");
    }

    /** Checks the reopened store against each thread's lines; returns how many synced objects read back exactly. */
    private static int checkAfterCrash(TestStores stores, Path file, List<String> lines, String round)
            throws IOException {
        Map<Integer, DurabilityModel> models = new HashMap<>(); // by thread: its objects are its own
        Set<Long> issued = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            DurabilityModel model = models.computeIfAbsent(Integer.parseInt(f[0]), t -> new DurabilityModel());
            switch (f[1]) {
                case "N" -> {
                    model.created(Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]));
                    issued.add(Long.parseLong(f[2]));
                }
                // Unsynced writes may still sit in the store's write-combining cache when the process
                // dies, partly written out: an overwrite since the last sync may be torn (STORE.md).
                case "Z" -> {
                    model.created(Long.parseLong(f[2]), DurabilityModel.ZEROS, Integer.parseInt(f[3]));
                    issued.add(Long.parseLong(f[2]));
                }
                case "W" -> model.overwriting(Long.parseLong(f[2]), Long.parseLong(f[3]), true);
                case "D" -> model.deleting(Long.parseLong(f[2]));
                case "S" -> model.synced();
                default -> throw new AssertionError("unexpected line from the child: " + line);
            }
        }
        try (Storer s = stores.open(file)) {
            int checked = 0;
            for (Map.Entry<Integer, DurabilityModel> m : models.entrySet()) {
                checked += m.getValue().verify(s, round + ", thread " + m.getKey());
            }
            long fresh = s.writeNewObjFromBytes(TestBytes.of(-1, 1234)); // still writable
            s.sync();
            assertArrayEquals(TestBytes.of(-1, 1234), s.readBytesFromObj(fresh));
            checkIdsAfterCrash(s, issued, round);
            return checked;
        }
    }

    /** Ids of objects gone (deleted or lost) stay gone, and new objects never get an id given before. */
    private static void checkIdsAfterCrash(Storer s, Set<Long> issued, String round) throws IOException {
        Set<Long> gone = new HashSet<>();
        for (long id : issued) {
            try {
                s.readBytesFromObj(id);
            } catch (ObjectNotFoundException e) {
                gone.add(id);
            } catch (StoreCorruptedException e) {
                assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code(), round + ": " + e.getMessage()); // torn overwrite
            }
        }
        SplittableRandom r = new SplittableRandom(issued.size());
        for (int i = 0; i < issued.size() + 200; i++) {
            int size = CrashWorker.size(r);
            long id = s.writeNewObjFromBytes(TestBytes.of(i, size));
            assertFalse(issued.contains(id), round + ": new object got id " + id + ", given before the crash");
            if (i % 50 == 0) {
                s.sync(); // reuse what was freed, in later generations too
            }
        }
        for (long id : gone) {
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), round + ": id " + id);
        }
    }
}
