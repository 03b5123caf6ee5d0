package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
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
 * {@link #mapped}: objects are copied into and out of a memory map of the log ({@link MappedLog};
 * RAW-mapped), as a store that writes through its map does; durable forces the map first. It
 * has no transactions (W6); its file grows in steps of {@value MappedLog#SEGMENT} bytes and ends
 * where its data does only while it is closed.
 *
 * <p>{@link #mapRead}: appends through the buffer as RAW-buffered, reads by one copy out of a
 * read-only memory map of what the buffer has written (RAW-mapread), as a store that writes with
 * system calls and reads through its map does (bobbob's): the map is made, or made again over
 * the grown file, by the first read past its end, so the first read of each page pays for
 * mapping it. Reads past 2 GiB, which one map cannot reach, go to the channel.
 *
 * <p>{@link #checked} (RAW-checked): RAW-mapread that also keeps each object's CRC32C in memory,
 * computed when it is written, and compares every read's bytes with it, as bobbob's design has
 * every read check its object: the practical limit of a store that writes with system calls,
 * reads through its map and checks what it reads. Its checksums live in this object only, not
 * in its snapshot: it reopens within the process that wrote it, but no other process opens it,
 * so it runs only W1, W2 and W8.
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
 * <p>{@link #inPlace} (RAW-inplace, W6 only): the same redo log, but an overwrite keeps its
 * object where it is, as a store whose ids name places does (bobbob's): once the commit's force
 * returns, the overwrite's bytes are written over the object in place (not forced; the next force
 * of the file carries them). New objects still live in the log record: what a store that keeps
 * objects in place must write at the least.
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
    private final boolean mappedMode;
    /** RAW-inplace: W6's overwrites go back in place after their commit (see the class comment). */
    private final boolean overwriteInPlace;
    /** RAW-mapped's map of {@link #ch}; null for the others. */
    private MappedLog mapped;
    /** RAW-mapread: whether reads go through {@link #readMap}. */
    private final boolean mapReads;
    /** RAW-mapread's read-only map of the log's first bytes; replaced whole by a read past its end. */
    private volatile MappedByteBuffer readMap;
    /** RAW-checked: each key's CRC32C (see the class comment); null for the others. */
    private int[] crcs;

    private FileChannel ch;
    private final KeyIndex keys = new KeyIndex("raw");
    /** Logical end of the log: file bytes plus what is in the buffer. */
    private long end;
    /** Everything below this is in the file. */
    private volatile long flushedEnd;

    /** A new, empty log in {@code dir}. */
    public RawAdapter(Path dir, int bufferBytes) throws IOException {
        this(dir, bufferBytes, false, false, false, true);
    }

    private RawAdapter(
            Path dir, int bufferBytes, boolean mappedMode, boolean overwriteInPlace, boolean mapReads, boolean create)
            throws IOException {
        this.dir = dir;
        this.mapReads = mapReads;
        this.overwriteInPlace = overwriteInPlace;
        this.log = dir.resolve("data.log");
        this.index = dir.resolve("index.snap");
        this.buffer = bufferBytes > 0 ? ByteBuffer.allocateDirect(bufferBytes) : null;
        this.mappedMode = mappedMode;
        if (create) {
            ch = FileChannel.open(
                    log, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            mapped = mappedMode ? new MappedLog(ch) : null;
        } else {
            reopen();
        }
    }

    /** The log already in {@code dir}. */
    public static RawAdapter open(Path dir, int bufferBytes) throws IOException {
        return new RawAdapter(dir, bufferBytes, false, false, false, false);
    }

    /** RAW-mapped: a new, empty log in {@code dir} ({@code create}) or the one already there. */
    public static RawAdapter mapped(Path dir, boolean create) throws IOException {
        return new RawAdapter(dir, 0, true, false, false, create);
    }

    /** RAW-inplace: a new, empty log in {@code dir} ({@code create}) or the one already there. */
    public static RawAdapter inPlace(Path dir, boolean create) throws IOException {
        return new RawAdapter(dir, 0, false, true, false, create);
    }

    /** RAW-mapread: a new, empty log in {@code dir} ({@code create}) or the one already there. */
    public static RawAdapter mapRead(Path dir, int bufferBytes, boolean create) throws IOException {
        return new RawAdapter(dir, bufferBytes, false, false, true, create);
    }

    /** RAW-checked: a new, empty log in {@code dir}; no other adapter can open it (see the class comment). */
    public static RawAdapter checked(Path dir, int bufferBytes) throws IOException {
        RawAdapter raw = new RawAdapter(dir, bufferBytes, false, false, true, true);
        raw.crcs = new int[1024];
        return raw;
    }

    private static int crcOf(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length);
        return (int) crc.getValue();
    }

    /** RAW-checked: records the CRC32C of key's bytes. */
    private void noteCrc(int key, byte[] data) {
        if (key >= crcs.length) {
            crcs = Arrays.copyOf(crcs, Math.max(key + 1, crcs.length + (crcs.length >> 1)));
        }
        crcs[key] = crcOf(data);
    }

    /** RAW-checked: compares what a read of key got with its CRC32C; the others: returns it. */
    private byte[] verified(long key, byte[] out) {
        if (crcs != null && crcOf(out) != crcs[(int) key]) {
            throw new IllegalStateException("raw-checked: key " + key + " does not match its checksum");
        }
        return out;
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
        int key = keys.add(end, data.length);
        if (crcs != null) {
            noteCrc(key, data);
        }
        if (mapped != null) {
            long at = mapped.place(end, data.length);
            mapped.put(at, data);
            keys.off[key] = at;
            end = at + data.length;
            flushedEnd = end;
            return key;
        }
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
        return keys.size(key);
    }

    @Override
    public byte[] get(long key) throws IOException {
        int n = size(key);
        long o = keys.off[(int) key];
        byte[] out = new byte[n];
        if (mapped != null) {
            mapped.get(o, out);
            return out;
        }
        if (o + n > flushedEnd) {
            synchronized (this) {
                if (o + n > flushedEnd) {
                    buffer.get((int) (o - flushedEnd), out);
                    return verified(key, out);
                }
            }
        }
        if (mapReads && o + n <= Integer.MAX_VALUE) {
            MappedByteBuffer m = readMap;
            if (m == null || o + n > m.capacity()) {
                m = mapTo(o + n);
            }
            m.get((int) o, out);
            return verified(key, out);
        }
        readFully(ch, ByteBuffer.wrap(out), o);
        return verified(key, out);
    }

    /** RAW-mapread: maps everything written (at least {@code needed} bytes) unless a map already reaches it. */
    private synchronized MappedByteBuffer mapTo(long needed) throws IOException {
        MappedByteBuffer m = readMap;
        if (m == null || needed > m.capacity()) {
            m = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(Integer.MAX_VALUE, flushedEnd));
            readMap = m;
        }
        return m;
    }

    @Override
    public void overwrite(long key, byte[] data) throws IOException {
        int n = size(key);
        if (n != data.length) {
            throw new IllegalArgumentException("raw: overwrite must keep the size");
        }
        long o = keys.off[(int) key];
        if (crcs != null) {
            synchronized (this) {
                noteCrc((int) key, data);
            }
        }
        if (mapped != null) {
            mapped.put(o, data);
            return;
        }
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
        keys.len[(int) key] = -1;
    }

    @Override
    public synchronized void durable() throws IOException {
        flush();
        if (mapped != null) {
            mapped.force();
        }
        keys.writeSnapshot(index, end, ch);
    }

    @Override
    public boolean transactional() {
        return !mappedMode;
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

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    /** Writes zeros over [from, to); returns {@code to}. */
    private long writeZerosAhead(long from, long to) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        for (long pos = from; pos < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - pos));
            writeFully(ch, zeros, pos);
            pos += zeros.limit();
        }
        return to;
    }

    /** Reserves a key for a transaction's new object: absent (as if deleted) until its commit. */
    private synchronized int reserveKey() {
        return keys.add(0, -1);
    }

    /** {@link #size} under the lock, for a transaction's checks while commits update the index. */
    private synchronized int sizeLocked(long key) {
        return size(key);
    }

    /** A new object or an overwrite of a transaction, kept until its commit. */
    private record Pending(long key, byte[] data, boolean overwrite) {}

    /**
     * One transaction: new objects and overwrites kept in memory until {@link #commit()}, which
     * writes them as one log record and waits for a force that covers it.
     */
    private final class RawTransaction implements DurableTransaction {
        /** New objects and overwrites in call order; the last one of a key is its content. */
        private final List<Pending> writes = new ArrayList<>();

        private final List<Long> deletes = new ArrayList<>();

        @Override
        public long put(byte[] data) {
            long key = reserveKey();
            writes.add(new Pending(key, data, false));
            return key;
        }

        @Override
        public byte[] get(long key) throws IOException {
            for (int i = writes.size() - 1; i >= 0; i--) {
                if (writes.get(i).key() == key) {
                    return writes.get(i).data().clone();
                }
            }
            return RawAdapter.this.get(key);
        }

        @Override
        public void overwrite(long key, byte[] data) {
            if (sizeLocked(key) != data.length) {
                throw new IllegalArgumentException("raw: overwrite must keep the size");
            }
            writes.add(new Pending(key, data, true));
        }

        @Override
        public void delete(long key) {
            sizeLocked(key);
            deletes.add(key);
        }

        @Override
        public void commit() throws IOException {
            long bytes = 0;
            for (Pending w : writes) {
                bytes += 12 + w.data().length;
            }
            ByteBuffer record = ByteBuffer.allocate((int) bytes);
            for (Pending w : writes) {
                record.putLong(w.key()).putInt(w.data().length).put(w.data());
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
                for (Pending w : writes) {
                    if (!(overwriteInPlace && w.overwrite())) {
                        keys.off[(int) w.key()] = pos + 12;
                        keys.len[(int) w.key()] = w.data().length; // an overwrite keeps its size
                    }
                    pos += 12 + w.data().length;
                }
                for (long d : deletes) {
                    keys.len[(int) d] = -1;
                }
            }
            groupForce.forceAfterWrite();
            if (overwriteInPlace) {
                // durable in the log: now over the object itself (a later force carries it)
                for (Pending w : writes) {
                    if (w.overwrite()) {
                        writeFully(ch, ByteBuffer.wrap(w.data()), keys.off[(int) w.key()]);
                    }
                }
            }
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
        if (mapped != null) {
            mapped.cut(end);
        }
        ch.close();
    }

    @Override
    public synchronized void reopen() throws IOException {
        ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
        readMap = null;
        end = keys.readSnapshot(index);
        flushedEnd = end;
        if (mappedMode) {
            mapped = new MappedLog(ch);
            mapped.mapExisting(ch.size());
        }
    }

    @Override
    public Path dir() {
        return dir;
    }
}
