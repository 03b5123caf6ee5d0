package org.bobbob.rar;

import jakarta.resource.ResourceException;
import java.nio.file.Path;

/** Builds started adapters and configured factories for tests. */
final class Adapters {
    private Adapters() {}

    static StoreResourceAdapter started() {
        return started(StoreOpener.PROVIDERS);
    }

    static StoreResourceAdapter started(StoreOpener opener) {
        StoreResourceAdapter adapter = new StoreResourceAdapter(opener);
        adapter.start(null);
        return adapter;
    }

    /** A factory for {@code file} (absolute), associated with {@code adapter} as a server would. */
    static StoreManagedConnectionFactory factory(StoreResourceAdapter adapter, Path file, String kind)
            throws ResourceException {
        StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();
        mcf.setPath(file.toString());
        mcf.setKind(kind);
        mcf.setResourceAdapter(adapter);
        return mcf;
    }

    static StoreConnectionFactory pooled(StoreManagedConnectionFactory mcf, FakePool pool) {
        return (StoreConnectionFactory) mcf.createConnectionFactory(pool);
    }
}
