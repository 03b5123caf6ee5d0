package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.bobbob.bench.StoreAdapter;

/**
 * RAW: the practical limit. Objects are appended to a log file ({@code FileChannel}); an
 * in-memory index (offset {@code long[]} and size {@code int[]} by key) finds them; a delete only
 * marks the index (space is never reused); an overwrite of the same size writes in place.
 * Durable = flush, write the index as one snapshot file, fsync both ({@code force(false)}, as
 * bobbob does); reopen reads that snapshot in one go.
 *
 * <p>{@code bufferBytes == 0}: one positional write per object (RAW-pwrite). Otherwise appends
 * collect in a direct buffer of that size written with one call when full (RAW-buffered).
 *
 * <p>Threads: appends, deletes and access to bytes still in the buffer are serialised; reads and
 * overwrites of flushed objects are lock-free positional I/O. Puts must not run concurrently with
 * other calls (the index arrays grow), which the workloads respect.
 */
public final class RawAdapter implements StoreAdapter {
    private final Path dir;
    private final Path log;
    private final Path index;
    private final ByteBuffer buffer;
    private FileChannel ch;
    private long[] off = new long[1024];
    private int[] len = new int[1024];
    private int count;
    /** Logical end of the log: file bytes plus what is in the buffer. */
    private long end;
    /** Everything below this is in the file. */
    private volatile long flushedEnd;

    /** A new, empty log in {@code dir}. */
    public RawAdapter(Path dir, int bufferBytes) throws IOException {
        this(dir, bufferBytes, true);
    }

    private RawAdapter(Path dir, int bufferBytes, boolean create) throws IOException {
        this.dir = dir;
        this.log = dir.resolve("data.log");
        this.index = dir.resolve("index.snap");
        this.buffer = bufferBytes > 0 ? ByteBuffer.allocateDirect(bufferBytes) : null;
        if (create) {
            ch = FileChannel.open(
                    log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            reopen();
        }
    }

    /** The log already in {@code dir}. */
    public static RawAdapter open(Path dir, int bufferBytes) throws IOException {
        return new RawAdapter(dir, bufferBytes, false);
    }

    private static void writeFully(FileChannel c, ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            pos += c.write(src, pos);
        }
    }

    private static void readFully(FileChannel c, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = c.read(dst, pos);
            if (n < 0) {
                throw new IOException("raw: short read at " + pos);
            }
            pos += n;
        }
    }

    @Override
    public synchronized long put(byte[] data) throws IOException {
        if (count == off.length) {
            int cap = count + (count >> 1);
            off = Arrays.copyOf(off, cap);
            len = Arrays.copyOf(len, cap);
        }
        int key = count++;
        off[key] = end;
        len[key] = data.length;
        if (buffer == null) {
            writeFully(ch, ByteBuffer.wrap(data), end);
            end += data.length;
            flushedEnd = end;
        } else {
            if (data.length > buffer.remaining()) {
                flush();
            }
            if (data.length > buffer.capacity()) {
                writeFully(ch, ByteBuffer.wrap(data), end);
                end += data.length;
                flushedEnd = end;
            } else {
                buffer.put(data);
                end += data.length;
            }
        }
        return key;
    }

    private void flush() throws IOException {
        if (buffer != null && buffer.position() > 0) {
            buffer.flip();
            writeFully(ch, buffer, flushedEnd);
            buffer.clear();
            flushedEnd = end;
        }
    }

    private int size(long key) {
        int n = key >= 0 && key < count ? len[(int) key] : -1;
        if (n < 0) {
            throw new IllegalStateException("raw: no key " + key);
        }
        return n;
    }

    @Override
    public byte[] get(long key) throws IOException {
        int n = size(key);
        long o = off[(int) key];
        byte[] out = new byte[n];
        if (o + n > flushedEnd) {
            synchronized (this) {
                if (o + n > flushedEnd) {
                    buffer.get((int) (o - flushedEnd), out);
                    return out;
                }
            }
        }
        readFully(ch, ByteBuffer.wrap(out), o);
        return out;
    }

    @Override
    public void overwrite(long key, byte[] data) throws IOException {
        int n = size(key);
        if (n != data.length) {
            throw new IllegalArgumentException("raw: overwrite must keep the size");
        }
        long o = off[(int) key];
        if (o + n > flushedEnd) {
            synchronized (this) {
                if (o + n > flushedEnd) {
                    buffer.put((int) (o - flushedEnd), data);
                    return;
                }
            }
        }
        writeFully(ch, ByteBuffer.wrap(data), o);
    }

    @Override
    public synchronized void delete(long key) {
        size(key);
        len[(int) key] = -1;
    }

    @Override
    public synchronized void durable() throws IOException {
        flush();
        ByteBuffer snap = ByteBuffer.allocate(12 + count * 12);
        snap.putInt(count).putLong(end);
        for (int i = 0; i < count; i++) {
            snap.putLong(off[i]).putInt(len[i]);
        }
        snap.flip();
        try (FileChannel ic = FileChannel.open(
                index, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ic, snap, 0);
            ch.force(false);
            ic.force(false);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        durable();
        ch.close();
    }

    @Override
    public synchronized void reopen() throws IOException {
        ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try (FileChannel ic = FileChannel.open(index, StandardOpenOption.READ)) {
            ByteBuffer all = ByteBuffer.allocate((int) ic.size());
            readFully(ic, all, 0);
            all.flip();
            count = all.getInt();
            end = all.getLong();
            off = new long[Math.max(1024, count + (count >> 1))];
            len = new int[off.length];
            for (int i = 0; i < count; i++) {
                off[i] = all.getLong();
                len[i] = all.getInt();
            }
        }
        flushedEnd = end;
    }

    @Override
    public Path dir() {
        return dir;
    }
}
