package org.bobbob.cdi.it;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.bobbob.store.Storer;

/** What each request does with its injected Storer: write {@code n} seeded blobs, then verify them. */
final class Workload {
    private Workload() {}

    /**
     * Writes {@code n} blobs, reads each back and compares.
     *
     * @return the number of Storer operations done ({@code 2n})
     * @throws IllegalStateException if a blob reads back different
     */
    static int writeAndVerify(Storer storer, long seed, int n) throws IOException {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = storer.writeNewObjFromBytes(blob(seed, i));
        }
        for (int i = 0; i < n; i++) {
            if (!Arrays.equals(blob(seed, i), storer.readBytesFromObj(ids[i]))) {
                throw new IllegalStateException(
                        "object " + ids[i] + " (seed " + seed + ", #" + i + ") reads back wrong");
            }
        }
        return 2 * n;
    }

    static byte[] blob(long seed, int i) {
        Random random = new Random(seed * 1_000_003L + i);
        byte[] b = new byte[1 + random.nextInt(2000)];
        random.nextBytes(b);
        return b;
    }
}
