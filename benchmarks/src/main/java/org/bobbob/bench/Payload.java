package org.bobbob.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Object sizes and contents, the same for every store. A content is a slice of a fixed random
 * pool chosen by (object index, version), with the index and version stamped in its first 8
 * bytes, so that any byte returned wrongly is caught by {@link #verify} at the cost of a compare.
 */
final class Payload {
    static final int MIN = 16;
    static final int MAX = 16 * 1024;
    private static final int POOL_SPAN = 1 << 16;
    private static final byte[] POOL = new byte[POOL_SPAN + MAX];

    static {
        new SplittableRandom(0xB0BB0BL).nextBytes(POOL);
    }

    private Payload() {}

    /** {@code n} sizes log-uniform in [min, max], from {@code seed}. */
    static int[] logUniform(long seed, int n, int min, int max) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sizes = new int[n];
        double lo = Math.log(min);
        double span = Math.log(max) - lo;
        for (int i = 0; i < n; i++) {
            sizes[i] = (int) Math.min(max, Math.max(min, Math.round(Math.exp(lo + r.nextDouble() * span))));
        }
        return sizes;
    }

    /** A random permutation of 0..n-1. */
    static int[] shuffled(long seed, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int poolOffset(int index, int version) {
        long h = index * 0x9E3779B97F4A7C15L + (version + 1) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) (h & (POOL_SPAN - 1));
    }

    /** The content of object {@code index} at {@code version}: {@code size} bytes (size >= 8). */
    static byte[] content(int index, int version, int size) {
        int off = poolOffset(index, version);
        byte[] b = Arrays.copyOfRange(POOL, off, off + size);
        putInt(b, 0, index);
        putInt(b, 4, version);
        return b;
    }

    /** Throws unless {@code got} is exactly the content of {@code index} at {@code version}. */
    static void verify(String store, long key, byte[] got, int index, int version, int size) {
        if (got == null || got.length != size || getInt(got, 0) != index || getInt(got, 4) != version) {
            throw mismatch(store, key, got, index, version, size);
        }
        int off = poolOffset(index, version);
        if (!Arrays.equals(got, 8, size, POOL, off + 8, off + size)) {
            throw mismatch(store, key, got, index, version, size);
        }
    }

    /** The check that survives concurrent overwrites: size and index stamp (any version). */
    static void verifyIndex(String store, long key, byte[] got, int index, int size) {
        if (got == null || got.length != size || getInt(got, 0) != index) {
            throw mismatch(store, key, got, index, -1, size);
        }
    }

    private static IllegalStateException mismatch(
            String store, long key, byte[] got, int index, int version, int size) {
        String what = got == null
                ? "null"
                : got.length + " bytes stamped index " + (got.length >= 8 ? getInt(got, 0) : -1) + " version "
                        + (got.length >= 8 ? getInt(got, 4) : -1);
        return new IllegalStateException("CONTENT VERIFICATION FAILED on " + store + ": key " + key + " should hold "
                + size + " bytes of object " + index + (version >= 0 ? " version " + version : "") + ", got " + what);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
