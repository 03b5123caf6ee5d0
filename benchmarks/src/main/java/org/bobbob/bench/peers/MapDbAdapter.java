package org.bobbob.bench.peers;

import java.nio.file.Path;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;
import org.mapdb.Store;

/**
 * MapDB 3 file DB with transactions (a write-ahead log), used through its record store: a record
 * id per object, like bobbob's ids ({@code Store.put/get/update/delete}), no map on top.
 * Memory-mapped files unless told otherwise. Durable = {@code DB.commit()}. No compaction:
 * {@code StoreWAL.compact()} does nothing in 3.1.0.
 */
public final class MapDbAdapter extends DirectoryAdapter {
    private static final Serializer<byte[]> BYTES = Serializer.BYTE_ARRAY_NOSIZE;
    private final boolean mmap;
    private DB db;
    private Store store;

    public MapDbAdapter(Path dir, boolean mmap) {
        super(dir);
        this.mmap = mmap;
        open();
    }

    @Override
    void open() {
        DBMaker.Maker maker =
                DBMaker.fileDB(dir.resolve("store.mapdb").toFile()).transactionEnable();
        if (mmap) {
            maker = maker.fileMmapEnableIfSupported().cleanerHackEnable();
        }
        db = maker.make();
        store = db.getStore();
    }

    @Override
    public long put(byte[] data) {
        return store.put(data, BYTES);
    }

    @Override
    public byte[] get(long key) {
        byte[] v = store.get(key, BYTES);
        if (v == null) {
            throw new IllegalStateException("mapdb: no record " + key);
        }
        return v;
    }

    @Override
    public void overwrite(long key, byte[] data) {
        store.update(key, data, BYTES);
    }

    @Override
    public void delete(long key) {
        store.delete(key, BYTES);
    }

    @Override
    public void durable() {
        db.commit();
    }

    @Override
    public void close() {
        db.close();
    }

    /**
     * No: {@code StoreWAL.compact()} (the transactional store) is an empty method in MapDB 3.1.0,
     * so there is no compaction to measure.
     */
    @Override
    public boolean canCompact() {
        return false;
    }
}
