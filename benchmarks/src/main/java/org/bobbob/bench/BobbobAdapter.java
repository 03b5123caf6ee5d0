package org.bobbob.bench;

import java.nio.file.Path;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreManager;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;

/**
 * bobbob basic, multi and concurrent multi, through the public {@link Storer} API, opened by
 * {@link StoreManager} from {@code bobbob:<kind>:<file>?concurrent=..&create=..}: the bare store
 * for the single-threaded contenders, a {@code ConcurrentStore} for {@link Contender#CONC_MULTI}.
 * Transactions (W6) are the store's own: {@code unwrap(TransactionalStore.class).begin()}.
 */
final class BobbobAdapter implements StoreAdapter {
    private final Contender contender;
    private final Path dir;
    private final Path file;
    private Storer store;

    BobbobAdapter(Contender contender, Path dir, boolean create) throws Exception {
        this.contender = contender;
        this.dir = dir;
        this.file = dir.resolve("store.bob");
        this.store = StoreManager.open(url(contender, file, create));
    }

    /** The URL of {@code contender}'s store in {@code file}; {@code create=false}: it must exist. */
    static String url(Contender contender, Path file, boolean create) {
        return StoreManager.SCHEME + contender.storeKind() + ":" + file + "?concurrent=" + contender.threadSafe()
                + "&create=" + create;
    }

    @Override
    public long put(byte[] data) throws Exception {
        return store.writeNewObjFromBytes(data);
    }

    @Override
    public byte[] get(long key) throws Exception {
        return store.readBytesFromObj(key);
    }

    @Override
    public void overwrite(long key, byte[] data) throws Exception {
        store.writeBytesToObj(key, data);
    }

    @Override
    public void delete(long key) throws Exception {
        store.deleteObj(key);
    }

    @Override
    public void durable() throws Exception {
        store.sync();
    }

    @Override
    public void close() throws Exception {
        store.close();
    }

    @Override
    public void reopen() throws Exception {
        store = StoreManager.open(url(contender, file, false));
    }

    @Override
    public boolean transactional() {
        return store.isWrapperFor(TransactionalStore.class);
    }

    @Override
    public DurableTransaction begin() throws Exception {
        return new BobbobTransaction(store.unwrap(TransactionalStore.class).begin());
    }

    /** A {@link StoreTransaction}: a Storer whose commit returns once the transaction is durable. */
    private record BobbobTransaction(StoreTransaction tx) implements DurableTransaction {
        @Override
        public long put(byte[] data) throws Exception {
            return tx.writeNewObjFromBytes(data);
        }

        @Override
        public byte[] get(long key) throws Exception {
            return tx.readBytesFromObj(key);
        }

        @Override
        public void overwrite(long key, byte[] data) throws Exception {
            tx.writeBytesToObj(key, data);
        }

        @Override
        public void delete(long key) throws Exception {
            tx.deleteObj(key);
        }

        @Override
        public void commit() throws Exception {
            tx.commit();
        }
    }

    @Override
    public long bookkeepingEstimate() {
        try {
            return store.unwrap(StatisticsProvider.class).stats().bookkeepingBytes();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public Path dir() {
        return dir;
    }
}
