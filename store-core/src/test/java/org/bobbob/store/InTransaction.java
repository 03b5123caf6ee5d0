package org.bobbob.store;

import java.io.IOException;
import java.util.Objects;
import org.bobbob.store.support.ForwardingStorer;

/**
 * A store whose calls all run inside transactions, so that a suite written for {@link Storer} runs
 * inside a transaction that commits: {@link #sync()} commits the current transaction and begins
 * the next, {@link #close()} commits and closes the store; after that, calls go to the closed
 * store (and fail as its calls do). Capabilities are the store's.
 */
final class InTransaction extends ForwardingStorer {
    private final Storer store;
    private final TransactionalStore transactions;
    private StoreTransaction current;
    private boolean closed;

    InTransaction(Storer store) throws IOException {
        this.store = store;
        this.transactions = store.unwrap(TransactionalStore.class);
        this.current = transactions.begin();
    }

    private Storer tx() {
        return closed ? store : current;
    }

    @Override
    protected <T> T call(StoreCall<T> call) throws IOException {
        return call.apply(tx());
    }

    @Override
    public void sync() throws IOException {
        if (closed) {
            store.sync();
            return;
        }
        current.commit();
        current = transactions.begin();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            current.commit();
        } finally {
            store.close();
        }
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        return tx().lateWriteNewObj(size);
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        return tx().lateReadObj(id);
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        return tx().writeToObj(id);
    }

    /** Its own type; the current transaction's view for {@link ObjectInfoProvider}; else the store's. */
    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        if (capability == ObjectInfoProvider.class && !closed) {
            ObjectInfoProvider view = id -> {
                try {
                    return current.unwrap(ObjectInfoProvider.class).objectInfo(id);
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            };
            return capability.cast(view);
        }
        return store.unwrap(capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        return capability != null && (capability.isInstance(this) || store.isWrapperFor(capability));
    }

    @Override
    public String toString() {
        return "InTransaction[" + store + "]";
    }
}
