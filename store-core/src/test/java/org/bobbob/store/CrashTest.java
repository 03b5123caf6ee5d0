package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
        SplittableRandom random = new SplittableRandom(stores.ordinal() * 7919L + 1);
        int checked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path file = dir.resolve(stores + "-" + round + ".bob");
            List<String> lines = runAndKill(stores, file, random.nextLong(), 1 + random.nextInt(8), random.nextInt(40));
            checked += checkAfterCrash(stores, file, lines, "round " + round);
        }
        assertTrue(checked > ROUNDS * 5, "only " + checked + " synced objects were checked in " + ROUNDS + " rounds");
    }

    private static List<String> runAndKill(TestStores stores, Path file, long seed, int syncs, int extraLines)
            throws IOException, InterruptedException {
        int[] seen = new int[2]; // syncs, lines after the last one wanted
        List<String> lines = ChildJvm.run(
                        CrashWorker.class,
                        List.of(stores.name(), file.toString(), Long.toString(seed)),
                        "128m",
                        null,
                        line -> {
                            if (line.equals("S")) {
                                seen[0]++;
                            }
                            return seen[0] >= syncs && seen[1]++ >= extraLines;
                        },
                        600)
                .lines();
        assertTrue(lines.contains("S"), "the child died before its first sync: " + lines);
        return lines;
    }

    private static int checkAfterCrash(TestStores stores, Path file, List<String> lines, String round)
            throws IOException {
        DurabilityModel model = new DurabilityModel();
        Set<Long> issued = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            switch (f[0]) {
                case "N" -> {
                    model.created(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]));
                    issued.add(Long.parseLong(f[1]));
                }
                // Unsynced writes may still sit in the store's write-combining cache when the process
                // dies, partly written out: an overwrite since the last sync may be torn (STORE.md).
                case "W" -> model.overwriting(Long.parseLong(f[1]), Long.parseLong(f[2]), true);
                case "D" -> model.deleting(Long.parseLong(f[1]));
                case "S" -> model.synced();
                default -> throw new AssertionError("unexpected line from the child: " + lines.get(i));
            }
        }
        try (Storer s = stores.open(file)) {
            int checked = model.verify(s, round);
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
