package org.bobbob.rar;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.rar.testprovider.WatchedStorer;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreUrl;
import org.bobbob.store.support.ForwardingHandle;
import org.bobbob.store.support.ForwardingObjectReader;
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
    private final class Faulty extends WatchedStorer {
        private final HandleHooks faultyReads = new HandleHooks() {
            @Override
            public void beforeCall(ForwardingHandle<?> handle) throws IOException {
                check();
            }
        };

        Faulty(Storer inner) {
            super(inner);
        }

        @Override
        protected void beforeCall() throws IOException {
            check();
        }

        @Override
        public ObjectReader lateReadObj(long id) throws IOException {
            return new ForwardingObjectReader(super.lateReadObj(id), faultyReads);
        }
    }
}
