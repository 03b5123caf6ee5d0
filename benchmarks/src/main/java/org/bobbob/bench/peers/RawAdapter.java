package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>Transactions (W6) are a redo log with group commit, the practical limit of a log-structured
 * store: a transaction keeps its new objects and overwrites in memory; its commit appends them as
 * one record ({@code key, length, bytes} each) with one positional write at log space it reserves
 * under the lock, points the index at the record (an overwrite moves the object: nothing is
 * written in place), and returns after a force that began after its write: one thread forces
 * while the others whose writes are done wait for it, and the next force covers everyone who
 * arrived meanwhile (see {@link GroupForce}). Space is never reused, nothing is written twice and
 * each force writes one contiguous run per transaction, into blocks the file already has (zeros
 * are written ahead of the log, 4 MiB at a time).
 *
 * <p>Threads: appends, deletes, commits' index updates and access to bytes still in the buffer
 * are serialised; reads and overwrites of flushed objects are lock-free positional I/O. Puts
 * outside transactions must not run concurrently with other calls (the index arrays grow), which
 * the workloads respect.
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
    public boolean transactional() {
        return true;
    }

    @Override
    public DurableTransaction begin() {
        return new RawTransaction();
    }

    private final GroupForce groupForce = new GroupForce();

    /**
     * Where the zeros that commits write ahead of the log end (guarded by this): a force after a
     * write into blocks the file already has costs about half one that also grows the file (see
     * bobbob's {@code PreallocatingStoreFile}), and a log that commits every few kilobytes would
     * otherwise grow the file at every commit.
     */
    private long zerosEnd;

    private static final int ZEROS_AHEAD = 4 << 20;

    /** Writes zeros over [from, to); returns {@code to}. */
    private long writeZerosAhead(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long pos = from; pos < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
            writeFully(ch, zeros, pos);
            pos += zeros.limit();
        }
        return to;
    }

    /** Reserves a key for a transaction's new object: absent (as if deleted) until its commit. */
    private synchronized int reserveKey() {
        if (count == off.length) {
            int cap = count + (count >> 1);
            off = Arrays.copyOf(off, cap);
            len = Arrays.copyOf(len, cap);
        }
        len[count] = -1;
        return count++;
    }

    /**
     * One transaction: new objects and overwrites kept in memory until {@link #commit()}, which
     * writes them as one log record and waits for a force that covers it.
     */
    private final class RawTransaction implements DurableTransaction {
        private final List<Long> newKeys = new ArrayList<>();
        private final List<byte[]> news = new ArrayList<>();
        private final List<Long> overwriteKeys = new ArrayList<>();
        private final List<byte[]> overwrites = new ArrayList<>();
        private final List<Long> deletes = new ArrayList<>();

        @Override
        public long put(byte[] data) {
            long key = reserveKey();
            newKeys.add(key);
            news.add(data);
            return key;
        }

        @Override
        public byte[] get(long key) throws IOException {
            for (int i = overwriteKeys.size() - 1; i >= 0; i--) {
                if (overwriteKeys.get(i) == key) {
                    return overwrites.get(i).clone();
                }
            }
            int i = newKeys.indexOf(key);
            if (i >= 0) {
                return news.get(i).clone();
            }
            return RawAdapter.this.get(key);
        }

        @Override
        public void overwrite(long key, byte[] data) {
            int n;
            synchronized (RawAdapter.this) {
                n = size(key);
            }
            if (n != data.length) {
                throw new IllegalArgumentException("raw: overwrite must keep the size");
            }
            overwriteKeys.add(key);
            overwrites.add(data);
        }

        @Override
        public void delete(long key) {
            synchronized (RawAdapter.this) {
                size(key);
            }
            deletes.add(key);
        }

        @Override
        public void commit() throws IOException {
            int n = news.size() + overwrites.size();
            long bytes = 0;
            for (byte[] b : news) {
                bytes += 12 + b.length;
            }
            for (byte[] b : overwrites) {
                bytes += 12 + b.length;
            }
            ByteBuffer record = ByteBuffer.allocate((int) bytes);
            long[] keys = new long[n];
            int k = 0;
            for (int i = 0; i < news.size(); i++) {
                keys[k++] = newKeys.get(i);
                record.putLong(newKeys.get(i)).putInt(news.get(i).length).put(news.get(i));
            }
            for (int i = 0; i < overwrites.size(); i++) {
                keys[k++] = overwriteKeys.get(i);
                record.putLong(overwriteKeys.get(i))
                        .putInt(overwrites.get(i).length)
                        .put(overwrites.get(i));
            }
            record.flip();
            long at;
            synchronized (RawAdapter.this) {
                flush(); // bytes still in a RAW-buffered buffer go first: the record's space follows them
                at = end;
                end += bytes;
                flushedEnd = end;
                if (end > zerosEnd) {
                    zerosEnd = writeZerosAhead(Math.max(at, zerosEnd), end + ZEROS_AHEAD);
                }
            }
            writeFully(ch, record, at);
            synchronized (RawAdapter.this) {
                long pos = at;
                k = 0;
                for (byte[] b : news) {
                    off[(int) keys[k]] = pos + 12;
                    len[(int) keys[k++]] = b.length;
                    pos += 12 + b.length;
                }
                for (byte[] b : overwrites) {
                    off[(int) keys[k++]] = pos + 12;
                    pos += 12 + b.length;
                }
                for (long d : deletes) {
                    len[(int) d] = -1;
                }
            }
            groupForce.forceAfterWrite();
        }
    }

    /**
     * Group commit: a commit whose write is done takes a ticket; one thread at a time forces, and
     * a force covers every ticket taken before it began, so a thread whose ticket a force covered
     * returns without forcing.
     */
    private final class GroupForce {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition forced = lock.newCondition();
        private long written;
        private long durable;
        private boolean forcing;

        void forceAfterWrite() throws IOException {
            lock.lock();
            try {
                long ticket = ++written;
                while (durable < ticket) {
                    if (forcing) {
                        forced.awaitUninterruptibly();
                        continue;
                    }
                    forcing = true;
                    long upTo = written;
                    lock.unlock(); // others take tickets while the force runs
                    try {
                        ch.force(false);
                    } finally {
                        lock.lock();
                        forcing = false;
                        forced.signalAll();
                    }
                    durable = Math.max(durable, upTo);
                }
            } finally {
                lock.unlock();
            }
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
