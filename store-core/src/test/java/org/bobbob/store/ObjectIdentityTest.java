package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an id guarantees (Storer's class comment): it names its object or nothing. Objects of
 * every size class are deleted and their space reused, round after round, with and without a
 * sync in between, and across reopens: every stale id is not found by every call that takes an
 * id, every live id reads its own bytes, and no id is ever handed out twice.
 */
class ObjectIdentityTest {
    private static final int ROUNDS = 24;
    private static final int PER_ROUND = 300;

    @TempDir
    Path dir;

    /** Sizes from every slot class (0 to 4096 bytes) and extents past them. */
    private static int size(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 4097 + r.nextInt(30_000);
            default -> r.nextInt(4097);
        };
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aStaleIdIsNotFoundEvenWhenItsSpaceHoldsAnotherObject(TestStores stores) throws Exception {
        Path file = dir.resolve("ids.bob");
        SplittableRandom r = new SplittableRandom(stores.ordinal() + 11);
        Map<Long, byte[]> live = new LinkedHashMap<>();
        Set<Long> stale = new HashSet<>();
        Set<Long> everIssued = new HashSet<>();
        Map<Long, Long> staleOffsets = new HashMap<>(); // offset -> a stale id that lived there
        int reusedPlaces = 0;
        long seed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (Storer s = round == 0 ? stores.create(file) : stores.open(file)) {
                ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
                for (int i = 0; i < PER_ROUND; i++) {
                    byte[] b = TestBytes.of(++seed, size(r));
                    long id = s.writeNewObjFromBytes(b);
                    assertTrue(everIssued.add(id), "id " + id + " handed out twice");
                    live.put(id, b);
                    if (staleOffsets.containsKey(
                            info.objectInfo(id).orElseThrow().offset())) {
                        reusedPlaces++;
                    }
                }
                List<Long> ids = new ArrayList<>(live.keySet());
                for (int i = 0; i < ids.size(); i++) {
                    if (r.nextBoolean()) {
                        long id = ids.get(i);
                        staleOffsets.put(info.objectInfo(id).orElseThrow().offset(), id);
                        s.deleteObj(id);
                        live.remove(id);
                        stale.add(id);
                    }
                }
                if (round % 2 == 0) {
                    s.sync(); // what was deleted becomes reusable for the next round
                }
                checkIds(s, live, stale, "round " + round);
            }
        }
        assertTrue(reusedPlaces > 100, "only " + reusedPlaces + " new objects took a deleted object's place");
    }

    private static void checkIds(Storer s, Map<Long, byte[]> live, Set<Long> stale, String where) throws IOException {
        for (Map.Entry<Long, byte[]> e : live.entrySet()) {
            assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), where + ": id " + e.getKey());
        }
        ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
        for (long id : stale) {
            String msg = where + ": stale id " + id;
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), msg);
            assertThrows(ObjectNotFoundException.class, () -> s.lateReadObj(id), msg);
            assertThrows(ObjectNotFoundException.class, () -> s.writeToObj(id), msg);
            assertThrows(ObjectNotFoundException.class, () -> s.deleteObj(id), msg);
            assertTrue(info.objectInfo(id).isEmpty(), msg);
        }
    }
}
