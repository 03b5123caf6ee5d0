package org.bobbob.bench.peers;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import org.lmdbjava.CopyFlags;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: one {@code MDB_INTEGERKEY} database, keys from a counter, values written
 * with {@code MDB_RESERVE} (one copy). The environment runs with {@code MDB_NOSYNC}, so a commit
 * does not fsync; durable = {@code env.sync(true)}. New objects and deletes go in batches of
 * {@code batch} per write transaction; reads and overwrites take a transaction each (W4).
 * Compaction = {@code mdb_env_copy} with {@code MDB_CP_COMPACT} into a fresh file that replaces
 * the old one. A transaction of W6 is one write transaction, committed, then {@code env.sync(true)}
 * (outside the write lock, so the next writer need not wait for the sync). Needs {@code --add-opens java.base/java.nio=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED} on Java 17.
 */
public final class LmdbAdapter extends DirectoryAdapter {
    private static final long MAP_SIZE = 64L << 30;
    private final int batch;
    private Env<ByteBuffer> env;
    private Dbi<ByteBuffer> db;
    private final AtomicLong next = new AtomicLong(1);
    private Txn<ByteBuffer> open;
    private int inOpen;
    private final ThreadLocal<ByteBuffer> keyBuf =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()));

    public LmdbAdapter(Path dir, int batch) {
        super(dir);
        this.batch = Math.max(1, batch);
        open();
    }

    @Override
    void open() {
        env = Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(126).open(dir.toFile(), EnvFlags.MDB_NOSYNC);
        db = env.openDbi("blobs", DbiFlags.MDB_CREATE, DbiFlags.MDB_INTEGERKEY);
        try (Txn<ByteBuffer> txn = env.txnRead();
                Cursor<ByteBuffer> c = db.openCursor(txn)) {
            next.set(c.last() ? c.key().order(ByteOrder.nativeOrder()).getLong(0) + 1 : 1);
        }
    }

    private ByteBuffer key(long key) {
        ByteBuffer k = keyBuf.get();
        k.clear();
        k.putLong(0, key);
        return k;
    }

    /** The batch's write transaction (single-threaded phases only). */
    private Txn<ByteBuffer> batchTxn() {
        if (open == null) {
            open = env.txnWrite();
            inOpen = 0;
        }
        return open;
    }

    private void endOp() {
        if (++inOpen >= batch) {
            flushBatch();
        }
    }

    private void flushBatch() {
        if (open != null) {
            open.commit();
            open.close();
            open = null;
        }
    }

    /** With a batch of 1, each put is its own write transaction in the calling thread: safe from any thread. */
    @Override
    public long put(byte[] data) {
        long k = next.getAndIncrement();
        if (batch == 1) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                db.reserve(txn, key(k), data.length).put(data);
                txn.commit();
            }
            return k;
        }
        db.reserve(batchTxn(), key(k), data.length).put(data);
        endOp();
        return k;
    }

    @Override
    public byte[] get(long key) {
        flushBatch();
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer v = db.get(txn, key(key));
            if (v == null) {
                throw new IllegalStateException("lmdb: no key " + key);
            }
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        }
    }

    @Override
    public void overwrite(long key, byte[] data) {
        flushBatch();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            db.reserve(txn, key(key), data.length).put(data);
            txn.commit();
        }
    }

    @Override
    public void delete(long key) {
        if (!db.delete(batchTxn(), key(key))) {
            throw new IllegalStateException("lmdb: no key " + key);
        }
        endOp();
    }

    @Override
    public void durable() {
        flushBatch();
        env.sync(true);
    }

    @Override
    public void close() {
        flushBatch();
        env.sync(true);
        env.close();
    }

    @Override
    public boolean transactional() {
        return true;
    }

    @Override
    public DurableTransaction begin() {
        return new LmdbTransaction(env.txnWrite());
    }

    /** One write transaction; LMDB has one writer at a time, so {@link #begin()} waits for the others. */
    private final class LmdbTransaction implements DurableTransaction {
        private final Txn<ByteBuffer> txn;

        LmdbTransaction(Txn<ByteBuffer> txn) {
            this.txn = txn;
        }

        @Override
        public long put(byte[] data) {
            long k = next.getAndIncrement();
            db.reserve(txn, key(k), data.length).put(data);
            return k;
        }

        @Override
        public byte[] get(long key) {
            ByteBuffer v = db.get(txn, key(key));
            if (v == null) {
                throw new IllegalStateException("lmdb: no key " + key);
            }
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        }

        @Override
        public void overwrite(long key, byte[] data) {
            db.reserve(txn, key(key), data.length).put(data);
        }

        @Override
        public void delete(long key) {
            if (!db.delete(txn, key(key))) {
                throw new IllegalStateException("lmdb: no key " + key);
            }
        }

        @Override
        public void commit() {
            txn.commit();
            txn.close();
            env.sync(true);
        }
    }

    @Override
    public boolean canCompact() {
        return true;
    }

    @Override
    public void compact() throws Exception {
        flushBatch();
        Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-compact"));
        File target = copy.toFile();
        env.copy(target, CopyFlags.MDB_CP_COMPACT);
        env.close();
        Files.move(copy.resolve("data.mdb"), dir.resolve("data.mdb"), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(copy.resolve("lock.mdb"));
        Files.delete(copy);
        open();
    }
}
