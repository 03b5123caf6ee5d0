package org.bobbob.bench.peers;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;

/**
 * H2 MVStore with an {@code MVMap<Long, byte[]>}, default settings (auto-commit in the background,
 * 16 MB page cache). Keys are handed out from a counter. Durable = {@code commit()} + {@code sync()};
 * compaction = {@code MVStoreTool.compact} (offline, into a new file).
 */
public final class MvStoreAdapter extends DirectoryAdapter {
    private final String file;
    private MVStore store;
    private MVMap<Long, byte[]> map;
    private final AtomicLong next = new AtomicLong(1);

    public MvStoreAdapter(Path dir) {
        super(dir);
        this.file = dir.resolve("store.mv.db").toString();
        open();
    }

    @Override
    void open() {
        store = new MVStore.Builder().fileName(file).open();
        map = store.openMap("blobs");
        Long last = map.lastKey();
        next.set(last == null ? 1 : last + 1);
    }

    @Override
    public long put(byte[] data) {
        long key = next.getAndIncrement();
        map.put(key, data);
        return key;
    }

    @Override
    public byte[] get(long key) {
        byte[] v = map.get(key);
        if (v == null) {
            throw new IllegalStateException("mvstore: no key " + key);
        }
        return v;
    }

    @Override
    public void overwrite(long key, byte[] data) {
        map.put(key, data);
    }

    @Override
    public void delete(long key) {
        if (map.remove(key) == null) {
            throw new IllegalStateException("mvstore: no key " + key);
        }
    }

    @Override
    public void durable() {
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public boolean canCompact() {
        return true;
    }

    /**
     * {@code MVStoreTool.compact}: the offline compaction that copies the live data into a new
     * file. (The online {@code compactFile} frees nothing here: the space lost to churn is free
     * space the store keeps for its 45 s retention time, and its chunks report a 100% fill rate.)
     */
    @Override
    public void compact() {
        store.close();
        MVStoreTool.compact(file, false);
        open();
    }
}
