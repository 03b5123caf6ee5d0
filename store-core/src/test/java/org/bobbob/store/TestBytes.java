package org.bobbob.store;

import java.util.SplittableRandom;

/** Deterministic test content: the same (seed, size) always gives the same bytes. */
public final class TestBytes {
    private TestBytes() {}

    public static byte[] of(long seed, int size) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + size);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** A byte array of {@code size} copies of {@code value}: what a reader must see whole. */
    public static byte[] filled(int size, byte value) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, value);
        return b;
    }
}
