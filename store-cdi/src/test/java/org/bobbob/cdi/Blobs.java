package org.bobbob.cdi;

import java.util.Random;

/** Seeded test content: the bytes of object {@code i} of a run are a function of (seed, i). */
final class Blobs {
    private Blobs() {}

    static byte[] blob(long seed, int i) {
        Random random = new Random(seed * 1_000_003L + i);
        byte[] b = new byte[1 + random.nextInt(3000)];
        random.nextBytes(b);
        return b;
    }
}
