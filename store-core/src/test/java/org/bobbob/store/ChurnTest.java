package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Churn within one sync window: delete a random half, write as many new objects, then one sync.
 * Freed space becomes reusable only after a sync, so without more the new objects would all grow
 * the file; the store commits by itself once enough freed space waits, and the file stays near
 * its live size: at most 1.15× for multi, 1.25× for basic (whose exact sizes fragment more).
 */
class ChurnTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    // Not IN_TRANSACTION: a transaction's deletes free their space only at its commit, so churn
    // inside one transaction grows the file by design.
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI", "CONCURRENT_BASIC", "CONCURRENT_MULTI"})
    void churnWithinOneSyncWindowKeepsTheFileNearItsLiveSize(TestStores stores) throws Exception {
        Path file = dir.resolve("churn.bob");
        SplittableRandom r = new SplittableRandom(stores.ordinal() + 3);
        List<long[]> objects = new ArrayList<>(); // {id, seed, size}
        try (Storer s = stores.create(file)) {
            for (int i = 0; i < 20_000; i++) {
                int size = (int) Math.exp(Math.log(16) + r.nextDouble() * Math.log(1024)); // 16 B-16 KiB
                objects.add(new long[] {s.writeNewObjFromBytes(TestBytes.of(i, size)), i, size});
            }
            s.sync();
            List<long[]> kept = new ArrayList<>();
            int deleted = 0;
            for (long[] o : objects) {
                if (r.nextBoolean()) {
                    s.deleteObj(o[0]);
                    deleted++;
                } else {
                    kept.add(o);
                }
            }
            for (int i = 0; i < deleted; i++) {
                int size = (int) Math.exp(Math.log(16) + r.nextDouble() * Math.log(1024));
                kept.add(new long[] {s.writeNewObjFromBytes(TestBytes.of(100_000 + i, size)), 100_000 + i, size});
            }
            s.sync();
            long live = kept.stream().mapToLong(o -> o[2]).sum();
            double amplification = (double) Files.size(file) / live;
            double limit = stores == TestStores.BASIC || stores == TestStores.CONCURRENT_BASIC ? 1.25 : 1.15;
            assertTrue(amplification <= limit, stores + ": file / live bytes " + amplification + " > " + limit);
            objects = kept;
        }
        try (Storer s = stores.open(file)) {
            for (long[] o : objects) {
                assertArrayEquals(TestBytes.of(o[1], (int) o[2]), s.readBytesFromObj(o[0]));
            }
        }
    }
}
