package org.bobbob.store.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Crc32c}'s arithmetic agrees with computing the CRC32C over the bytes. */
class Crc32cTest {

    @Test
    void zerosAndCombinationsAgreeWithTheBytes() {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 300; round++) {
            int a = round < 20 ? round : r.nextInt(200_000);
            int b = round < 20 ? 19 - round : r.nextInt(200_000);
            byte[] bytes = new byte[a + b];
            r.nextBytes(bytes);
            assertEquals(
                    Crc32c.of(bytes, 0, a + b),
                    Crc32c.combine(Crc32c.of(bytes, 0, a), Crc32c.of(bytes, a, b), b),
                    "combine " + a + " + " + b);
            byte[] zeros = new byte[b];
            assertEquals(Crc32c.of(zeros, 0, b), Crc32c.ofZeros(b), "zeros " + b);
        }
        assertEquals(0, Crc32c.ofZeros(0));
    }
}
