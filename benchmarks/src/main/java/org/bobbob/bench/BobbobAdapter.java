package org.bobbob.bench;

import java.nio.file.Path;
import org.bobbob.store.BasicStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;

/** bobbob basic, multi and concurrent multi, through the public {@link Storer} API. */
final class BobbobAdapter implements StoreAdapter {
    private final Kind kind;
    private final Path dir;
    private final Path file;
    private Storer store;

    BobbobAdapter(Kind kind, Path dir, boolean create) throws Exception {
        this.kind = kind;
        this.dir = dir;
        this.file = dir.resolve("store.bob");
        if (create) {
            this.store = switch (kind) {
                case BASIC -> BasicStore.create(file);
                case MULTI -> MultiStore.create(file, 0);
                default -> MultiStore.createConcurrent(file, 0);
            };
        } else {
            reopen();
        }
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
        store = switch (kind) {
            case BASIC -> BasicStore.open(file);
            case MULTI -> MultiStore.open(file, 0);
            default -> MultiStore.openConcurrent(file, 0);
        };
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
