package org.bobbob.rar;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreUrl;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
import org.bobbob.store.support.ForwardingStorer;
import org.bobbob.store.support.HandleHooks;

/**
 * Opens real stores whose calls, and whose readers' reads, throw {@link #failWith} once it is
 * set: the file system failing under a running store. Counts opens. The engine is opened bare
 * ({@code concurrent=false}) so that the registry's {@code ConcurrentStore} goes around the
 * faults, as it goes around a file system's.
 */
final class FaultyOpener implements StoreOpener {
    final AtomicReference<IOException> failWith = new AtomicReference<>();
    final AtomicInteger opens = new AtomicInteger();

    @Override
    public Storer open(StoreUrl url) throws IOException {
        opens.incrementAndGet();
        StoreUrl bare = new StoreUrl(url.url(), url.kind(), url.location(), url.options(), 0, false, url.create());
        return new Faulty(PROVIDERS.open(bare));
    }

    private void check() throws IOException {
        IOException e = failWith.get();
        if (e != null) {
            throw e;
        }
    }

    /** The plain calls and Late-handle opens check first; so do the readers' reads. */
    private final class Faulty extends ForwardingStorer {
        private final Storer inner;
        private final HandleHooks faultyReads = new HandleHooks() {
            @Override
            public void beforeCall(ForwardingHandle<?> handle) throws IOException {
                check();
            }
        };

        Faulty(Storer inner) {
            this.inner = inner;
        }

        @Override
        protected <T> T call(StoreCall<T> call) throws IOException {
            check();
            return call.apply(inner);
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }

        @Override
        public ObjectWriter lateWriteNewObj(int size) throws IOException {
            return call(s -> s.lateWriteNewObj(size));
        }

        @Override
        public ObjectReader lateReadObj(long id) throws IOException {
            return new ForwardingObjectReader(call(s -> s.lateReadObj(id)), faultyReads);
        }

        @Override
        public ObjectWriter writeToObj(long id) throws IOException {
            return call(s -> s.writeToObj(id));
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
}
