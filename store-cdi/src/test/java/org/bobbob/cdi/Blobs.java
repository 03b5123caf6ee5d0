package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.util.Random;
import org.bobbob.store.Storer;

/** Seeded test content: the bytes of object {@code i} of a run are a function of (seed, i). */
final class Blobs {
    private Blobs() {}

    static byte[] blob(long seed, int i) {
        Random random = new Random(seed * 1_000_003L + i);
        byte[] b = new byte[1 + random.nextInt(3000)];
        random.nextBytes(b);
        return b;
    }

    /** Writes objects 0 to {@code n - 1} of run {@code seed}, then reads each back and checks it; their ids. */
    static long[] writeAndVerify(Storer storer, long seed, int n) throws IOException {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = storer.writeNewObjFromBytes(blob(seed, i));
        }
        for (int i = 0; i < n; i++) {
            assertArrayEquals(blob(seed, i), storer.readBytesFromObj(ids[i]));
        }
        return ids;
    }
}
