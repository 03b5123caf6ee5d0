package org.bobbob.bench.peers;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreTool;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;

/**
 * H2 MVStore with an {@code MVMap<Long, byte[]>}, default settings (auto-commit in the background,
 * 16 MB page cache). Keys are handed out from a counter. Durable = {@code commit()} + {@code sync()};
 * compaction = {@code MVStoreTool.compact} (offline, into a new file).
 *
 * <p>Transactions (W6) go through a {@link TransactionStore} over the same {@code MVStore}, into a
 * {@link TransactionMap} of their own ({@code tx-blobs}: its values are versioned, so the plain map
 * cannot hold them). A transaction's commit is {@code Transaction.commit()}, then the store's
 * {@code commit()} and {@code sync()}: what H2's own database does to make a commit durable
 * ({@code org.h2.mvstore.db.Store.sync()}).
 */
public final class MvStoreAdapter extends DirectoryAdapter {
    /** The map of the transactions' objects. */
    private static final String TX_MAP = "tx-blobs";

    private final String file;
    private MVStore store;
    private MVMap<Long, byte[]> map;
    /** The transactions over {@link #store}, made at the first {@link #begin()} after an open. */
    private TransactionStore transactions;

    private final AtomicLong next = new AtomicLong(1);

    public MvStoreAdapter(Path dir) {
        super(dir);
        this.file = dir.resolve("store.mv.db").toString();
        open();
    }

    @Override
    void open() {
        store = new MVStore.Builder().fileName(file).open();
        transactions = null;
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
        TransactionStore tx;
        synchronized (this) {
            tx = transactions;
        }
        if (tx != null) {
            tx.close();
        }
        store.close();
    }

    @Override
    public boolean transactional() {
        return true;
    }

    @Override
    public DurableTransaction begin() {
        TransactionStore tx;
        synchronized (this) {
            if (transactions == null) {
                transactions = new TransactionStore(store);
                transactions.init();
            }
            tx = transactions;
        }
        Transaction t = tx.begin();
        return new MvStoreTransaction(t, t.openMap(TX_MAP));
    }

    /** A {@link Transaction} over {@link #TX_MAP}; its commit adds the store's commit and sync. */
    private final class MvStoreTransaction implements DurableTransaction {
        private final Transaction tx;
        private final TransactionMap<Long, byte[]> txMap;

        MvStoreTransaction(Transaction tx, TransactionMap<Long, byte[]> txMap) {
            this.tx = tx;
            this.txMap = txMap;
        }

        @Override
        public long put(byte[] data) {
            long key = next.getAndIncrement();
            txMap.put(key, data);
            return key;
        }

        @Override
        public byte[] get(long key) {
            byte[] v = txMap.get(key);
            if (v == null) {
                throw new IllegalStateException("mvstore: no key " + key);
            }
            return v;
        }

        @Override
        public void overwrite(long key, byte[] data) {
            txMap.put(key, data);
        }

        @Override
        public void delete(long key) {
            if (txMap.remove(key) == null) {
                throw new IllegalStateException("mvstore: no key " + key);
            }
        }

        @Override
        public void commit() {
            tx.commit();
            store.commit();
            store.sync();
        }
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
