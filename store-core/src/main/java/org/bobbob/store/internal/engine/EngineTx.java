package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.tx.Branch;
import org.bobbob.store.internal.tx.HandleCopy;
import org.bobbob.store.internal.tx.TxEngine;
import org.bobbob.store.internal.tx.TxTable;
import org.bobbob.store.support.Errors;

/**
 * The file engine as transactions see it ({@link TxEngine}): a {@link FileStore} for a branch's own
 * objects, the metadata lock and the commit protocol; the store's front (the {@link LockingStore},
 * or the bare store itself) for committed objects.
 */
final class EngineTx implements TxEngine {
    private final FileStore store;
    private final Storer front;
    /** The locking front, whose object lock a shadow's copy takes; null over a bare store. */
    private final LockingStore locking;

    EngineTx(FileStore store, Storer front, LockingStore locking) {
        this.store = store;
        this.front = front;
        this.locking = locking;
    }

    @Override
    public TxTable table() {
        return store.state().transactions();
    }

    @Override
    public Storer front() {
        return front;
    }

    @Override
    public long writeNew(byte[] data, LongConsumer owner) throws IOException {
        return store.writeNewObjFromBytes(data, owner);
    }

    @Override
    public ObjectWriter lateWriteNew(int size, LongConsumer owner) throws IOException {
        return store.lateWriteNewObj(size, owner);
    }

    @Override
    public ObjectReader readOwn(long id) throws IOException {
        return store.lateReadObj(id);
    }

    @Override
    public byte[] readOwnBytes(long id) throws IOException {
        return store.readBytesFromObj(id);
    }

    @Override
    public ObjectWriter writeOwn(long id) throws IOException {
        return store.writeToObj(id);
    }

    @Override
    public java.util.Optional<ObjectInfo> objectInfo(long id) {
        return store.objectInfo(id);
    }

    @Override
    public int sizeOf(long id) throws IOException {
        ObjectInfo info = store.objectInfo(id).orElseThrow(() -> Errors.notFound(id));
        return info.size();
    }

    @Override
    public void copyOver(long shadow, long target) throws IOException {
        if (locking != null) {
            locking.underWriteLock(target, () -> {
                copy(store, shadow, target);
                return null;
            });
        } else {
            copy(store, shadow, target);
        }
    }

    /** Copies object {@code from} over object {@code to} (the same size) in {@code store}. */
    static void copy(Storer store, long from, long to) throws IOException {
        try (ObjectReader r = store.lateReadObj(from);
                ObjectWriter w = store.writeToObj(to)) {
            HandleCopy.copy(r, w);
        }
    }

    @Override
    public List<Branch> branches() throws IOException {
        return store.txBranches();
    }

    @Override
    public long change(long[] frees, Runnable change) throws IOException {
        return store.txChange(frees, change);
    }

    /**
     * Over a {@link LockingStore}: each deleted object nobody holds is freed under its exclusive
     * object lock; one a reader holds is freed keeping its space, which its last holder releases
     * ({@link ObjectLocks#deleteAll}), as a delete outside a transaction is.
     */
    @Override
    public long changeDeleting(long[] deletes, Runnable change) throws IOException {
        if (locking == null || deletes.length == 0) {
            return change(deletes, change);
        }
        long[] ticket = {0};
        locking.objectLocks().deleteAll(deletes, keep -> ticket[0] = store.txChange(deletes, keep, change));
        return ticket[0];
    }

    @Override
    public void durable(long ticket) throws IOException {
        store.commits.durable(ticket);
    }

    @Override
    public long lockTimeoutMillis() {
        return store.lockTimeoutMillis();
    }

    @Override
    public String name() {
        return front.toString();
    }
}
