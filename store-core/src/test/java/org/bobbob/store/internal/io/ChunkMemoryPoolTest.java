package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChunkMemoryPoolTest {
    private static final int BLOCK = CombiningStoreFile.DEFAULT_CHUNK_SIZE + 4096;

    @BeforeEach
    @AfterEach
    void emptyPool() {
        ChunkMemoryPool.releaseAll();
    }

    /**
     * A closed store's chunk buffers go to the pool, and the next store's new chunks take them: the
     * second store's file holds only what it wrote, with zeros in the gaps between its objects,
     * never the bytes the first store left in the memory.
     */
    @Test
    void aClosedStoresBuffersServeTheNextStoreWithoutTheirOldBytes() throws Exception {
        int chunk = CombiningStoreFile.DEFAULT_CHUNK_SIZE;
        CombiningStoreFile first = new CombiningStoreFile(new SimulatedDisk(), true, Long.MAX_VALUE);
        byte[] old = new byte[1024];
        Arrays.fill(old, (byte) 0x5A);
        for (long pos = 0; pos < 3L * chunk; pos += old.length) { // three chunks full of 0x5A
            first.writeNewObject(ByteBuffer.wrap(old), pos);
        }
        first.close();
        assertEquals(3L * BLOCK, ChunkMemoryPool.keptBytes(), "the three buffers are kept");

        SimulatedDisk disk = new SimulatedDisk();
        CombiningStoreFile second = new CombiningStoreFile(disk, true, Long.MAX_VALUE);
        byte[] a = filled(100, 0x11);
        byte[] b = filled(100, 0x22);
        byte[] c = filled(300, 0x33);
        second.writeNewObject(ByteBuffer.wrap(a), 0);
        second.writeNewObject(ByteBuffer.wrap(b), 200); // a gap of 100 bytes past the file's end
        second.writeNewObject(ByteBuffer.wrap(c), chunk + 4000L); // the next chunk, 4 000 bytes in
        assertEquals(BLOCK, ChunkMemoryPool.keptBytes(), "two buffers taken from the pool");
        second.force();

        byte[] expected = new byte[chunk + 4300];
        System.arraycopy(a, 0, expected, 0, 100);
        System.arraycopy(b, 0, expected, 200, 100);
        System.arraycopy(c, 0, expected, chunk + 4000, 300);
        byte[] image = disk.image();
        assertEquals(expected.length, image.length, "the file ends where the last object does");
        for (int i = 0; i < expected.length; i++) {
            if (image[i] != expected[i]) {
                throw new AssertionError("byte " + i + " is " + image[i] + ", wrote " + expected[i]);
            }
        }
        second.close();
        assertEquals(3L * BLOCK, ChunkMemoryPool.keptBytes(), "both back again");
    }

    /** Blocks beyond the limit are released, not kept; a kept block is handed out as it was given. */
    @Test
    void thePoolKeepsAtMostItsLimit() {
        int big = (1 << 20) + 4096;
        List<ByteBuffer> given = new ArrayList<>();
        for (long total = 0; total <= 2 * ChunkMemoryPool.LIMIT_BYTES; total += big) {
            ByteBuffer memory = ChunkMemoryPool.take(big);
            assertEquals(big, memory.capacity());
            given.add(memory);
        }
        for (ByteBuffer memory : given) {
            ChunkMemoryPool.give(memory);
        }
        long kept = ChunkMemoryPool.keptBytes();
        assertTrue(kept <= ChunkMemoryPool.LIMIT_BYTES, kept + " bytes kept");
        assertTrue(kept > ChunkMemoryPool.LIMIT_BYTES - big, kept + " bytes kept");

        ByteBuffer again = ChunkMemoryPool.take(big);
        assertTrue(given.stream().anyMatch(g -> g == again), "a kept block is reused");
        assertEquals(0, again.position());
        assertEquals(big, again.limit());
        assertEquals(kept - big, ChunkMemoryPool.keptBytes());

        ByteBuffer other = ChunkMemoryPool.take(BLOCK);
        assertFalse(given.stream().anyMatch(g -> g == other), "no block of another size is handed out");
        ChunkMemoryPool.give(other);
        assertSame(other, ChunkMemoryPool.take(BLOCK), "the block of that size just kept");
        assertNotSame(other, again);
    }

    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
