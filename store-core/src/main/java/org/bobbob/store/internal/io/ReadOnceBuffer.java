package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One native buffer through which a range of a file is read once, piece by piece, with
 * {@link StoreFile#readOnce}: bytes to check and then forget, such as a metadata record that a
 * store checks at open and later reads in place through the file's map.
 *
 * <h2>Why a native buffer of its own</h2>
 * A read into a heap buffer copies twice: the JDK reads into a native buffer it keeps for the
 * thread, then copies into the heap. Into a native buffer the file's bytes are copied once. The
 * buffer is freed at {@link #close()}, not when the collector finds it, so that the next one
 * reuses the same memory: on a virtual machine the first touch of a new page of memory is a page
 * fault (about 13 µs per 4 KiB page on this project's, against 4 µs to copy the page).
 *
 * <p>Not thread-safe: one caller reads through it, then closes it.
 */
public final class ReadOnceBuffer implements AutoCloseable {
    private final StoreFile file;
    private final ByteBuffer buffer;

    /**
     * A buffer of {@code capacity} bytes over {@code file}.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public ReadOnceBuffer(StoreFile file, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.file = file;
        this.buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes the buffer holds at most. */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * Reads {@code n} bytes from {@code position} into the buffer and returns it, little-endian,
     * from index 0 to {@code n}; valid until the next read or {@link #close()}.
     *
     * @return the buffer, or null if the file ends before {@code position + n}
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #capacity()}
     */
    public ByteBuffer read(long position, int n) throws IOException {
        if (n < 0 || n > buffer.capacity()) {
            throw new IllegalArgumentException(n + " bytes do not fit a buffer of " + buffer.capacity());
        }
        buffer.clear().limit(n);
        while (buffer.hasRemaining()) {
            if (file.readOnce(buffer, position + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.flip();
    }

    /** Frees the buffer; nothing it returned may be touched afterwards. */
    @Override
    public void close() {
        Unmapper.free(buffer);
    }
}
