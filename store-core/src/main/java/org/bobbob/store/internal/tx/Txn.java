package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.Storer;
import org.bobbob.store.support.BatchArguments;
import org.bobbob.store.support.Errors;

/**
 * A branch's {@link Storer}: the {@link StoreTransaction} of a local transaction, and what an XA
 * connection's Storer forwards to while a branch is associated with it. Where each call goes:
 * <ul>
 *   <li>an object the branch created, or the shadow of one it overwrites: straight to the engine
 *       ({@link TxEngine#readOwn} and friends: nobody else knows those ids);
 *   <li>an object it deletes: not found;
 *   <li>any other object: reads to the store's front (the committed bytes); a first write takes
 *       the object ({@link TxManager#take}) and makes its shadow.
 * </ul>
 * As an {@link ObjectInfoProvider} it describes what the transaction sees: its new objects, the
 * shadows of what it overwrote (under the target's id), nothing for what it deleted.
 *
 * <p>Not thread-safe (one thread at a time), see {@link StoreTransaction}.
 */
final class Txn implements StoreTransaction, ObjectInfoProvider {
    private final TxManager manager;
    private final TxEngine engine;
    final Branch branch;
    /** Whether {@link #commit}/{@link #rollback} are this object's to call (false for an XA view). */
    private final boolean local;
    /** Handles opened in the transaction, closed at its end if still open. */
    private final List<AutoCloseable> handles = new ArrayList<>();

    Txn(TxManager manager, Branch branch) {
        this(manager, branch, true);
    }

    Txn(TxManager manager, Branch branch, boolean local) {
        this.manager = manager;
        this.engine = manager.engine();
        this.branch = branch;
        this.local = local;
    }

    /** Throws unless the branch can take calls; rolls it back if it is past its timeout. */
    private void checkActive() throws IOException {
        if (branch.ended || branch.state != Branch.State.ACTIVE) {
            throw Errors.transactionEnded(this);
        }
        if (branch.deadline != Long.MAX_VALUE && System.nanoTime() - branch.deadline > 0) {
            branch.timedOut = true;
            branch.rollbackOnly = true;
            manager.rollback(branch);
            throw Errors.transactionEnded(this);
        }
    }

    private static void checkId(long id) throws StoreException {
        if (id <= 0) {
            throw Errors.notFound(id);
        }
    }

    private <H extends AutoCloseable> H track(H handle) {
        handles.add(handle);
        return handle;
    }

    // ---------------------------------------------------------------- new objects

    @Override
    public long newObj(int size) throws IOException {
        checkSize(size);
        checkActive();
        ObjectWriter w = engine.lateWriteNew(size, id -> manager.created(branch, id));
        w.close();
        return w.id();
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        checkSize(size);
        checkActive();
        return track(engine.lateWriteNew(size, id -> manager.created(branch, id)));
    }

    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        checkActive();
        return engine.writeNew(data, id -> manager.created(branch, id));
    }

    private static void checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("object size must be >= 0, got " + size);
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * The id to use for {@code id} in this branch: itself (new), its shadow, or 0 for a committed
     * object.
     *
     * @throws org.bobbob.store.ObjectNotFoundException if the branch deleted it, or another hides it
     */
    private long own(long id) throws IOException {
        checkId(id);
        if (branch.deletes.contains(id)) {
            throw Errors.notFound(id);
        }
        Long shadow = branch.shadows.get(id);
        if (shadow != null) {
            return shadow;
        }
        if (branch.creates.contains(id)) {
            return id;
        }
        if (manager.locks().hidden(id)) {
            throw Errors.notFound(id);
        }
        return 0;
    }

    @Override
    public Optional<ObjectInfo> objectInfo(long id) {
        try {
            long own = own(id);
            return engine.objectInfo(own != 0 ? own : id);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        checkActive();
        long own = own(id);
        return own != 0 ? engine.readOwnBytes(own) : engine.front().readBytesFromObj(id);
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        checkActive();
        long own = own(id);
        return track(own != 0 ? engine.readOwn(own) : engine.front().lateReadObj(id));
    }

    // ---------------------------------------------------------------- writes

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        checkActive();
        long own = own(id);
        if (own == 0) {
            own = shadow(id, null);
        }
        return track(engine.writeOwn(own));
    }

    /** As the default; a write of the whole object makes its shadow from {@code data}, without a copy. */
    @Override
    public void writeBytesToObj(long id, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        checkActive();
        long own = own(id);
        if (own == 0) {
            own = shadow(id, data);
            if (own < 0) {
                return; // the shadow is data itself
            }
        }
        try (ObjectWriter w = engine.writeOwn(own)) {
            HandleCopy.writeFully(w, ByteBuffer.wrap(data));
        }
    }

    /**
     * Takes committed object {@code id} and makes its shadow: a copy of it, or {@code whole} when
     * that is as long as the object (then returns -1: nothing left to write).
     */
    private long shadow(long id, byte[] whole) throws IOException {
        manager.take(branch, id);
        try {
            int size = engine.sizeOf(id);
            if (whole != null && whole.length == size) {
                engine.writeNew(whole, s -> manager.shadowed(branch, id, s));
                return -1;
            }
            long[] made = new long[1];
            try (ObjectReader r = engine.front().lateReadObj(id);
                    ObjectWriter w = engine.lateWriteNew(size, s -> {
                        manager.shadowed(branch, id, s);
                        made[0] = s;
                    })) {
                HandleCopy.copy(r, w);
            }
            return made[0];
        } catch (IOException | RuntimeException e) {
            manager.untake(branch, id);
            throw e;
        }
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        BatchArguments.check(ids, data, sizes);
        checkActive();
        for (int i = 0; i < ids.length; i++) { // every id and size first: a bad one changes nothing
            long own = own(ids[i]);
            int size = engine.sizeOf(own != 0 ? own : ids[i]);
            if (sizes[i] > size) {
                throw new IllegalArgumentException(
                        "size " + sizes[i] + " is larger than object " + ids[i] + " (" + size + " bytes)");
            }
        }
        int pos = 0;
        for (int i = 0; i < ids.length; i++) {
            try (ObjectWriter w = writeToObj(ids[i])) {
                HandleCopy.writeFully(w, ByteBuffer.wrap(data, pos, sizes[i]));
            }
            pos += sizes[i];
        }
    }

    @Override
    public void deleteObj(long id) throws IOException {
        checkActive();
        checkId(id);
        if (branch.deletes.contains(id)) {
            throw Errors.notFound(id);
        }
        if (branch.creates.contains(id)) {
            manager.dropCreated(branch, id);
            return;
        }
        if (branch.shadows.containsKey(id)) {
            manager.dropShadow(branch, id);
            branch.deletes.add(id);
            return;
        }
        manager.take(branch, id);
        try {
            engine.sizeOf(id); // it exists
        } catch (IOException | RuntimeException e) {
            manager.untake(branch, id);
            throw e;
        }
        branch.deletes.add(id);
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public long primeObject(int size) throws IOException {
        checkActive();
        return engine.front().primeObject(size);
    }

    @Override
    public void sync() {
        throw new IllegalStateException("sync() inside a transaction: commit() is its durability point");
    }

    @Override
    public void commit() throws IOException {
        checkLocal();
        if (branch.ended) {
            throw Errors.transactionEnded(this);
        }
        if (branch.commitTicket == 0) {
            checkActive();
            closeHandles();
        }
        manager.commit(branch);
    }

    @Override
    public void rollback() throws IOException {
        checkLocal();
        if (branch.ended || branch.commitTicket != 0) {
            throw Errors.transactionEnded(this);
        }
        closeHandles();
        manager.rollback(branch);
    }

    private void checkLocal() {
        if (!local) {
            throw new IllegalStateException("an XA branch ends through its XAResource");
        }
    }

    /** Closes the handles still open; the first failure is thrown after all were tried. */
    void closeHandles() throws IOException {
        IOException failure = null;
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            } catch (Exception e) {
                failure = failure == null ? new IOException(e) : failure;
            }
        }
        handles.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isActive() {
        return !branch.ended && branch.commitTicket == 0;
    }

    @Override
    public void close() throws IOException {
        if (local && isActive()) {
            rollback();
        }
    }

    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        throw Errors.unsupported(this, capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        return capability != null && capability.isInstance(this);
    }

    @Override
    public String toString() {
        return branch + " of " + manager.name();
    }
}
