package org.bobbob.store.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntHashMapTest {
    @Test
    void agreesWithHashMapUnderRandomPutsAndRemoves() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            LongIntHashMap map = new LongIntHashMap(4);
            Map<Long, Integer> reference = new HashMap<>();
            for (int i = 0; i < 200_000; i++) {
                // a small key range forces long probe runs, collisions and back-shifts
                long key = 1 + r.nextInt(5000) * (seed == 1 ? 1L : 4096L);
                if (r.nextInt(3) == 0) {
                    Integer old = reference.remove(key);
                    assertEquals(old == null ? -1 : old, map.remove(key));
                } else {
                    int value = r.nextInt(Integer.MAX_VALUE);
                    Integer old = reference.put(key, value);
                    assertEquals(old == null ? -1 : old, map.put(key, value));
                }
                if (i % 10_000 == 0) {
                    for (Map.Entry<Long, Integer> e : reference.entrySet()) {
                        assertEquals(e.getValue(), map.get(e.getKey()));
                    }
                }
            }
            assertEquals(reference.size(), map.size());
            assertArrayEquals(reference.keySet().stream().mapToLong(Long::longValue).sorted().toArray(), map.sortedKeys());
            assertEquals(-1, map.get(Long.MAX_VALUE));
        }
    }
}
