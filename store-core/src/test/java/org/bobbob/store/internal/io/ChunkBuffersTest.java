package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The write cache's native buffers: reused while the cache runs, all but the first slab dropped at a sync. */
class ChunkBuffersTest {
    private static final int CHUNK = 4096;

    @Test
    void buffersAreNativeChunkSizedAndDisjoint() {
        ChunkBuffers buffers = new ChunkBuffers(CHUNK);
        List<ByteBuffer> taken = take(buffers, ChunkBuffers.KEPT_CHUNKS + ChunkBuffers.SLAB_CHUNKS + 1);
        for (int i = 0; i < taken.size(); i++) {
            ByteBuffer b = taken.get(i);
            assertTrue(b.isDirect(), "buffer " + i + " is native");
            assertEquals(CHUNK, b.capacity());
            assertEquals(0, b.position());
            b.putInt(0, i);
            b.putInt(CHUNK - 4, i);
        }
        for (int i = 0; i < taken.size(); i++) { // no buffer shares bytes with another
            assertEquals(i, taken.get(i).getInt(0));
            assertEquals(i, taken.get(i).getInt(CHUNK - 4));
        }
    }

    @Test
    void aBufferGivenBackIsTakenAgainBeforeAnyNewMemory() {
        ChunkBuffers buffers = new ChunkBuffers(CHUNK);
        ByteBuffer first = buffers.take();
        first.putLong(0, 42);
        buffers.give(first);
        ByteBuffer again = buffers.take();
        assertEquals(42, again.getLong(0), "the same memory, as it was left");
    }

    @Test
    void releaseAllKeepsOnlyTheFirstSlab() {
        ChunkBuffers buffers = new ChunkBuffers(CHUNK);
        int n = ChunkBuffers.KEPT_CHUNKS + 3;
        List<ByteBuffer> taken = take(buffers, n);
        for (int i = 0; i < n; i++) {
            taken.get(i).putInt(0, i + 1);
        }
        taken.forEach(buffers::give);
        buffers.releaseAll();

        List<ByteBuffer> after = take(buffers, n);
        Set<Integer> kept = new HashSet<>();
        for (int i = 0; i < ChunkBuffers.KEPT_CHUNKS; i++) {
            kept.add(after.get(i).getInt(0));
        }
        Set<Integer> firstSlab = new HashSet<>();
        for (int i = 1; i <= ChunkBuffers.KEPT_CHUNKS; i++) {
            firstSlab.add(i);
        }
        assertEquals(firstSlab, kept, "the first slab's buffers come back first");
        for (int i = ChunkBuffers.KEPT_CHUNKS; i < n; i++) {
            assertEquals(0, after.get(i).getInt(0), "later buffers are new, zeroed memory");
        }
    }

    @Test
    void aSlabTheNativeLimitRefusesIsMadeOnTheHeap() {
        ChunkBuffers buffers = new ChunkBuffers(CHUNK, bytes -> {
            throw new OutOfMemoryError("Cannot reserve " + bytes + " bytes of direct buffer memory");
        });
        List<ByteBuffer> taken = take(buffers, ChunkBuffers.KEPT_CHUNKS + 1);
        for (int i = 0; i < taken.size(); i++) {
            ByteBuffer b = taken.get(i);
            assertFalse(b.isDirect(), "buffer " + i + " on the heap");
            assertEquals(CHUNK, b.capacity());
            b.putInt(CHUNK - 4, i);
        }
        for (int i = 0; i < taken.size(); i++) {
            assertEquals(i, taken.get(i).getInt(CHUNK - 4));
        }
    }

    private static List<ByteBuffer> take(ChunkBuffers buffers, int n) {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            taken.add(buffers.take());
        }
        return taken;
    }
}
