package org.bobbob.store.internal.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicLong;
import org.bobbob.store.support.Failures;

/**
 * Keeps zeros written ahead of the file's data, so that a force after writes at the end of the
 * data does not also commit the file system's metadata: a {@link StoreFile} decorator.
 *
 * <h2>Why</h2>
 * A force ({@code fdatasync}) of writes into blocks the file already has writes the data and
 * flushes the disk's cache. A force after the file grew must also commit the file system's
 * journal (the new length, the new blocks), which on this project's ext4 machine doubles it: an
 * 8 KiB write and a force take about 165 µs inside the file, 330 µs at its end. A store that
 * commits every few objects while it grows (a transaction per commit, each adding objects at the
 * end) would pay that on nearly every commit. Making the file longer without writing (a sparse
 * extension) does not help: the blocks are allocated, and journaled, at the write.
 *
 * <h2>How</h2>
 * <ol>
 *   <li>Two ends: the data's end, which {@link #size()} reports (the end of every byte written, as
 *       the file below would have it without this class), and the file's own end, at or past it.
 *       Between them lie zeros.
 *   <li>{@link #force()} first writes zeros ahead when the data grew since the last force and
 *       fewer than half of the zeros it would want are left: up to the data's end plus 16 times
 *       what the data grew by, at least {@value #AHEAD_MIN} bytes, at most {@value #AHEAD_MAX} and
 *       a sixty-fourth of the data (the zeros count as the file's bytes until close). A store that commits every few kilobytes then grows the file once
 *       every several commits; one that writes much between forces (a bulk load) writes at most
 *       4 MiB of zeros per force. They are forced with the rest.
 *   <li>Zeros are never written over data: only past the file's own end, under {@link #lock},
 *       which every write that ends past the file's end takes too. A write inside the file's end
 *       goes straight through.
 *   <li>Reads stop at the data's end ({@code -1} at or past it), as they would without the zeros.
 *   <li>{@link #truncate} cuts the file and both ends. {@link #close()} cuts the zeros off first,
 *       so a closed store's file ends where its data does. A crash may leave them; opening cuts
 *       bytes past the allocator end (docs/FORMAT.md, <i>Opening</i>), and they read as zeros
 *       either way, as space at the end must.
 *   <li>Writing zeros ahead is an optimisation: when it fails (a full disk), the file is cut back
 *       to where it ended and the force goes on without them.
 * </ol>
 * Thread-safe as the file below it is; the lock is held only by writes past the file's end,
 * zero-filling, cuts and close.
 */
public final class PreallocatingStoreFile extends ForwardingStoreFile {
    /** The fewest zeros a force writes ahead (when the data grew since the last force). */
    static final int AHEAD_MIN = 64 << 10;
    /** The most zeros a force writes ahead. */
    static final int AHEAD_MAX = 4 << 20;
    /** How many times what the data grew by since the last force a force wants ahead. */
    static final int AHEAD_FACTOR = 16;

    private static final int ZEROS = 64 << 10;

    private final Object lock = new Object();
    /** The data's end: the end of every byte written (or the file's length at open), lowered only by a cut. */
    private final AtomicLong dataEnd;
    /** The file's own end, at or past {@link #dataEnd}; changed under {@link #lock}. */
    private volatile long fileEnd;
    /** The data's end at the last force; under {@link #lock}. */
    private long forcedEnd;
    /**
     * Zeros every instance writes from, each through its own view: opening a store should not
     * allocate and clear 64 KiB of native memory it may never use.
     */
    private static final ByteBuffer ZERO_SOURCE =
            ByteBuffer.allocateDirect(ZEROS).asReadOnlyBuffer();
    /** Set by {@link #close()}; under {@link #lock}. */
    private boolean closed;

    PreallocatingStoreFile(StoreFile inner, long size) {
        super(inner);
        this.dataEnd = new AtomicLong(size);
        this.fileEnd = size;
        this.forcedEnd = size;
    }

    /** {@code file} with zeros kept ahead of its data from its next force on; closes it if its size cannot be read. */
    public static PreallocatingStoreFile over(StoreFile file) throws IOException {
        long size;
        try {
            size = file.size();
        } catch (IOException | RuntimeException e) {
            Failures.closeAfter(e, file);
            throw e;
        }
        return new PreallocatingStoreFile(file, size);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return readToDataEnd(dst, position, false);
    }

    @Override
    public int readOnce(ByteBuffer dst, long position) throws IOException {
        return readToDataEnd(dst, position, true);
    }

    /** Reads from the file below ({@link #readOnce} if {@code once}), stopping at the data's end. */
    private int readToDataEnd(ByteBuffer dst, long position, boolean once) throws IOException {
        long end = dataEnd.get();
        int n = dst.remaining();
        if (position + n <= end) {
            return once ? inner.readOnce(dst, position) : inner.read(dst, position);
        }
        if (position >= end) {
            return n == 0 ? 0 : -1;
        }
        int limit = dst.limit();
        dst.limit(dst.position() + (int) (end - position));
        try {
            return once ? inner.readOnce(dst, position) : inner.read(dst, position);
        } finally {
            dst.limit(limit);
        }
    }

    /** The file's view where the range lies below the data's end; past it, null (reads there end the data). */
    @Override
    public ByteBuffer mappedView(long position, int length) throws IOException {
        return position + length <= dataEnd.get() ? inner.mappedView(position, length) : null;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        long end = position + src.remaining();
        int written;
        if (end <= fileEnd) {
            written = inner.write(src, position);
        } else {
            synchronized (lock) {
                written = inner.write(src, position);
                if (position + written > fileEnd) {
                    fileEnd = position + written;
                }
            }
        }
        raiseDataEnd(position + written);
        return written;
    }

    @Override
    public void writeDurably(ByteBuffer src, long position) throws IOException {
        long end = position + src.remaining();
        if (end <= fileEnd) {
            inner.writeDurably(src, position);
        } else {
            synchronized (lock) {
                inner.writeDurably(src, position);
                fileEnd = Math.max(fileEnd, end);
            }
        }
        raiseDataEnd(end);
    }

    private void raiseDataEnd(long end) {
        long now = dataEnd.get();
        while (end > now && !dataEnd.compareAndSet(now, end)) {
            now = dataEnd.get();
        }
    }

    @Override
    public long size() {
        return dataEnd.get();
    }

    @Override
    public void truncate(long size) throws IOException {
        synchronized (lock) {
            inner.truncate(size);
            fileEnd = Math.min(fileEnd, size);
            forcedEnd = Math.min(forcedEnd, size);
            long now = dataEnd.get();
            while (now > size && !dataEnd.compareAndSet(now, size)) {
                now = dataEnd.get();
            }
        }
    }

    @Override
    public void force() throws IOException {
        synchronized (lock) {
            long data = dataEnd.get();
            long grown = data - forcedEnd;
            forcedEnd = data;
            if (grown > 0) {
                long ahead = Math.min(Math.min(AHEAD_FACTOR * grown, AHEAD_MAX), Math.max(AHEAD_MIN, data >>> 6));
                ahead = Math.max(ahead, AHEAD_MIN);
                if (fileEnd - data < ahead / 2) {
                    writeZerosTo(data + ahead);
                }
            }
        }
        inner.force();
    }

    /** Writes zeros from the file's end to {@code target}; on failure cuts them off again. Under {@link #lock}. */
    private void writeZerosTo(long target) throws IOException {
        long from = fileEnd;
        ByteBuffer zeros = ZERO_SOURCE.duplicate();
        try {
            for (long pos = from; pos < target; ) {
                zeros.clear().limit((int) Math.min(ZEROS, target - pos));
                pos += inner.write(zeros, pos);
            }
            fileEnd = target;
        } catch (InterruptedIOException | ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            try {
                inner.truncate(from); // a full disk: the force goes on without zeros ahead
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
                throw e;
            }
        }
    }

    /** Cuts the zeros ahead off, then closes the file below; it is closed even if the cut fails. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            long data = dataEnd.get();
            if (fileEnd > data) {
                try {
                    inner.truncate(data);
                    fileEnd = data;
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        try {
            inner.close();
        } catch (IOException e) {
            failure = Failures.keepFirst(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "PreallocatingStoreFile[" + inner + "]";
    }
}
