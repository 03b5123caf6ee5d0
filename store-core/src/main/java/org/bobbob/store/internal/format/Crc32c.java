package org.bobbob.store.internal.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C arithmetic beyond {@link CRC32C}: the checksum of a run of zeros and of a concatenation,
 * without the bytes, so that a new object's checksum covers the zeros it was never written with,
 * and a partial overwrite combines the new prefix with the old rest.
 *
 * <h2>How</h2>
 * A CRC register moves through a zero byte by a linear map over GF(2) (a 32×32 bit matrix).
 * {@code ZeroShifts.MAPS[k]} is that map for 2^k zero bytes, made once by squaring. Then:
 * <pre>
 *   crc(A ‖ B)   = shift(crc(A), |B|) ^ crc(B)               (the pre/post conditioning cancels)
 *   crc(0^n)     = ~shift(~0, n)                           (the register starts at ~0)
 * </pre>
 * as zlib's {@code crc32_combine} does, with the CRC32C polynomial (reflected {@code 0x82F63B78}).
 * Each shift costs one matrix product per set bit of the length.
 *
 * <p>Stateless and thread-safe.
 */
public final class Crc32c {
    private static final int POLY = 0x82F63B78;

    /** The matrices, made on first use of {@link #combine} or {@link #ofZeros} (not of {@link #of}). */
    private static final class ZeroShifts {
        /** {@code MAPS[k]}: the register map for 2^k zero bytes, as 32 column vectors. */
        static final int[][] MAPS = new int[63][];

        static {
            int[] oneBit = new int[32]; // the map for one zero bit
            oneBit[0] = POLY;
            for (int i = 1; i < 32; i++) {
                oneBit[i] = 1 << (i - 1);
            }
            int[] m = square(square(square(oneBit))); // 8 bits: one zero byte
            for (int k = 0; k < MAPS.length; k++) {
                MAPS[k] = m;
                m = square(m);
            }
        }
    }

    private Crc32c() {}

    private static int times(int[] matrix, int vector) {
        int sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static int[] square(int[] m) {
        int[] out = new int[32];
        for (int i = 0; i < 32; i++) {
            out[i] = times(m, m[i]);
        }
        return out;
    }

    /** The register {@code crc} moved through {@code length >= 0} zero bytes. */
    private static int shift(int crc, long length) {
        int r = crc;
        for (int k = 0; length != 0; k++, length >>>= 1) {
            if ((length & 1) != 0) {
                r = times(ZeroShifts.MAPS[k], r);
            }
        }
        return r;
    }

    /** The CRC32C of {@code a ‖ b}, from {@code crcA}, {@code crcB} and the length of {@code b}. */
    public static int combine(int crcA, int crcB, long lengthB) {
        return shift(crcA, lengthB) ^ crcB;
    }

    /** The CRC32C of {@code length} zero bytes. */
    public static int ofZeros(long length) {
        return ~shift(~0, length);
    }

    /**
     * What a store records for an object of {@code size} bytes whose CRC32C is {@code crc}: the CRC
     * mixed with the size, so that a record whose size was changed does not match its bytes (and
     * an empty object, whose CRC32C is 0, does not look like "none recorded"). 0 stands for "none
     * recorded"; a real object gets it once in 2^32, and then goes unchecked.
     */
    public static int sealed(int crc, int size) {
        return crc ^ ((size + 1) * 0x9E3779B9);
    }

    /** {@link #sealed} of {@code size} zero bytes. */
    public static int sealedZeros(int size) {
        return sealed(ofZeros(size), size);
    }

    /** {@link #sealed} of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static int sealedOf(byte[] bytes, int offset, int length) {
        return sealed(of(bytes, offset, length), length);
    }

    /** The CRC32C of {@code buf}'s bytes {@code [offset, offset + length)} (absolute; its position is not used or moved). */
    public static int of(ByteBuffer buf, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf.slice(offset, length));
        return (int) crc.getValue();
    }

    /** The CRC32C of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static int of(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
