package org.bobbob.store.internal.io;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.IntFunction;

/**
 * The buffers of {@link CombiningStoreFile}'s chunks, in native memory.
 *
 * <h2>Why native</h2>
 * A channel reads into and writes from a heap buffer through a temporary native buffer of the
 * JDK's, one more copy of every byte: a churn that refills freed space loads and writes out
 * hundreds of MiB of chunks between two syncs, and that copy was an eighth of its time. From a
 * native buffer the kernel copies directly.
 *
 * <h2>How</h2>
 * Buffers are slices of <em>slabs</em>, each made (zeroed, by the JDK) when no spare buffer is
 * left: the first of {@value #KEPT_CHUNKS} chunks, the others of {@value #SLAB_CHUNKS}, since
 * making native memory costs far more per call than a heap array (tens of microseconds). The
 * first slab is kept for the cache's life, so a store that syncs after every few writes (a
 * transaction each) makes none per sync; the others are dropped by {@link #releaseAll} (the
 * cache calls it when a sync has written every chunk out), so that between syncs the cache holds
 * up to its 16 MiB and after one {@value #KEPT_CHUNKS} chunks. A dropped slab's memory goes back
 * when the collector finds it unreachable, as a heap array's does. Where the JVM's limit on
 * native buffers ({@code -XX:MaxDirectMemorySize}) refuses a slab, it is made on the heap
 * instead: the cache then works as it would with heap arrays, at the cost of that copy.
 *
 * <p>Not thread-safe: the cache's lock guards it.
 */
final class ChunkBuffers {
    /** Chunks in the first slab, kept across syncs. */
    static final int KEPT_CHUNKS = 4;
    /** Chunks in each later slab. */
    static final int SLAB_CHUNKS = 16;

    private final int chunkSize;
    private final IntFunction<ByteBuffer> allocateNative;
    private final ArrayDeque<ByteBuffer> spare = new ArrayDeque<>();
    private ByteBuffer kept;

    ChunkBuffers(int chunkSize) {
        this(chunkSize, ByteBuffer::allocateDirect);
    }

    /** With {@code allocateNative} making the slabs (tests: one that refuses). */
    ChunkBuffers(int chunkSize, IntFunction<ByteBuffer> allocateNative) {
        this.chunkSize = chunkSize;
        this.allocateNative = allocateNative;
    }

    /** A buffer of {@code chunkSize} bytes, at position 0; its contents are whatever it last held. */
    ByteBuffer take() {
        if (spare.isEmpty()) {
            if (kept == null) {
                kept = slab(KEPT_CHUNKS);
                addSlices(kept);
            } else {
                addSlices(slab(SLAB_CHUNKS));
            }
        }
        return spare.pop();
    }

    /** Takes back a buffer that {@link #take} gave and no chunk uses any more. */
    void give(ByteBuffer buf) {
        spare.push(buf);
    }

    /** Drops every slab but the first; every buffer taken must have been given back. */
    void releaseAll() {
        spare.clear();
        if (kept != null) {
            addSlices(kept);
        }
    }

    /** Drops every slab (the cache is closed). */
    void dropAll() {
        spare.clear();
        kept = null;
    }

    private ByteBuffer slab(int chunks) {
        try {
            return allocateNative.apply(chunks * chunkSize);
        } catch (OutOfMemoryError e) { // the limit on native buffers: the heap has its own
            return ByteBuffer.allocate(chunks * chunkSize);
        }
    }

    private void addSlices(ByteBuffer slab) {
        for (int at = 0; at < slab.capacity(); at += chunkSize) {
            spare.push(slab.slice(at, chunkSize));
        }
    }
}
