package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.SplittableRandom;
import org.bobbob.store.io.CombiningStoreFile;
import org.junit.jupiter.api.Test;

/** The write-combining cache reads back exactly what a plain file would, whatever the mix of calls. */
class CombiningStoreFileTest {

    @Test
    void agreesWithAPlainFileUnderRandomWritesReadsTruncatesAndForces() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            SimulatedDisk plain = new SimulatedDisk();
            SimulatedDisk under = new SimulatedDisk();
            CombiningStoreFile cached = new CombiningStoreFile(under);
            long span = 3L << 20; // several chunks, and more than the cache holds
            for (int op = 0; op < 8_000; op++) {
                int kind = r.nextInt(100);
                if (kind < 60) {
                    int len = r.nextInt(10) == 0 ? r.nextInt(100_000) : r.nextInt(3000);
                    long pos = r.nextInt(10) < 7 ? Math.max(0, plain.size() - r.nextInt(200)) : r.nextLong(span);
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    plain.writeFully(ByteBuffer.wrap(data), pos);
                    cached.writeFully(ByteBuffer.wrap(data), pos);
                } else if (kind < 95) {
                    long pos = r.nextLong(span + 1000);
                    int len = 1 + r.nextInt(r.nextBoolean() ? 200 : 150_000);
                    ByteBuffer a = ByteBuffer.allocate(len);
                    ByteBuffer b = ByteBuffer.allocate(len);
                    plain.readFullyZeroPadded(a, pos);
                    cached.readFullyZeroPadded(b, pos);
                    assertArrayEquals(a.array(), b.array(), "seed " + seed + " op " + op + ": read at " + pos);
                } else if (kind < 97) {
                    long to = r.nextLong(Math.max(1, plain.size()));
                    plain.truncate(to);
                    cached.truncate(to);
                } else {
                    cached.force();
                    assertArrayEquals(plain.image(), under.image(), "after force the file holds everything");
                }
                assertEquals(plain.size(), cached.size(), "seed " + seed + " op " + op + ": size");
            }
            cached.close();
            assertArrayEquals(plain.image(), under.image(), "close writes the cache out");
            assertThrows(ClosedChannelException.class, () -> cached.write(ByteBuffer.allocate(1), 0));
            assertTrue(under.mutations() < plain.mutations(), "fewer writes reached the file");
        }
    }
}
