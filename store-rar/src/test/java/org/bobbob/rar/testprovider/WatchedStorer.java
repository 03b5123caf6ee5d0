package org.bobbob.rar.testprovider;

import java.io.IOException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.support.ForwardingStorer;

/**
 * A test store in front of one other store, {@code inner}, that watches what goes through it:
 * every plain call and every Late-handle open runs {@link #beforeCall} first, then runs on
 * {@code inner}. Closing and capabilities are {@code inner}'s own. The base of
 * {@link CountingTestProvider}'s stores and of {@code FaultyOpener}'s.
 */
public abstract class WatchedStorer extends ForwardingStorer {
    private final Storer inner;

    protected WatchedStorer(Storer inner) {
        this.inner = inner;
    }

    /** Runs before each plain call and each Late-handle open. */
    protected abstract void beforeCall() throws IOException;

    @Override
    protected final <T> T call(StoreCall<T> call) throws IOException {
        beforeCall();
        return call.apply(inner);
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        return call(s -> s.lateWriteNewObj(size));
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        return call(s -> s.lateReadObj(id));
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        return call(s -> s.writeToObj(id));
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        return inner.unwrap(capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        return inner.isWrapperFor(capability);
    }
}
