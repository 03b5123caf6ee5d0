package org.bobbob.store.internal.io;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The native memory of the write caches' chunk buffers that no store is using, kept for the next
 * store or the next burst of writes: at most {@value #LIMIT_BYTES} bytes in the whole JVM.
 *
 * <h2>Why</h2>
 * New native memory costs its zeroing and a page fault per 4 KiB at its first touch. On most
 * machines that is about 1 ms for one store's 16 MiB cache; on a virtual machine whose page tables
 * the hypervisor shadows, 30 µs or more a page, 100–150 ms for the same memory: as long as writing
 * 100 000 objects takes (docs/BENCHMARKS.md, *Costs of this machine*). A store's cache releases
 * its buffers when it closes, and at a sync when nothing was gathered in the second before it; a
 * program that opens a new store after closing one, or writes in bursts more than a second apart,
 * would pay that again each time. The pool keeps one cache's worth, so it does not.
 *
 * <h2>How</h2>
 * Blocks are kept by capacity (each store asks for blocks of one size, its chunk size and a page):
 * {@link #take} returns a kept block of the capacity asked for, else new memory; {@link #give}
 * keeps a block while the kept ones stay within the limit, else releases it at once
 * ({@link Unmapper#free}). A kept block holds whatever its last user wrote; the cache never relies
 * on a new chunk's bytes (it zeroes what it needs zeroed).
 *
 * <p>Thread-safe: one lock, held only to take or keep a block (never for a system call nor for
 * zeroing memory), and only by a store that needs a buffer it does not have or releases one.
 */
final class ChunkMemoryPool {
    /**
     * The most native memory kept for reuse, in all: one store's write cache of chunks of 256 KiB or
     * more, with the page each block has to spare (16.25 MiB).
     */
    static final long LIMIT_BYTES = CombiningStoreFile.CACHE_BYTES + (CombiningStoreFile.CACHE_BYTES >> 6);

    private static final Map<Integer, ArrayDeque<ByteBuffer>> KEPT = new HashMap<>();
    private static long keptBytes;

    private ChunkMemoryPool() {}

    /**
     * A direct buffer of exactly {@code capacity} bytes, position 0 and limit its capacity: a kept
     * one if there is one (its bytes are what its last user left), else new memory. The caller owns
     * it until it passes it to {@link #give}.
     */
    static ByteBuffer take(int capacity) {
        synchronized (KEPT) {
            ArrayDeque<ByteBuffer> same = KEPT.get(capacity);
            if (same != null && !same.isEmpty()) {
                keptBytes -= capacity;
                return same.pop().clear();
            }
        }
        return ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Hands back a buffer from {@link #take}: kept while the pool holds no more than
     * {@value #LIMIT_BYTES} bytes, else released at once. Nobody may touch it, nor any slice of it,
     * afterwards.
     */
    static void give(ByteBuffer memory) {
        int capacity = memory.capacity();
        synchronized (KEPT) {
            if (keptBytes + capacity <= LIMIT_BYTES) {
                KEPT.computeIfAbsent(capacity, c -> new ArrayDeque<>()).push(memory);
                keptBytes += capacity;
                return;
            }
        }
        Unmapper.free(memory);
    }

    /** Releases every kept block at once (for tests, which need a known pool). */
    static void releaseAll() {
        synchronized (KEPT) {
            for (ArrayDeque<ByteBuffer> same : KEPT.values()) {
                while (!same.isEmpty()) {
                    Unmapper.free(same.pop());
                }
            }
            keptBytes = 0;
        }
    }

    /** The bytes kept now (for tests). */
    static long keptBytes() {
        synchronized (KEPT) {
            return keptBytes;
        }
    }
}
