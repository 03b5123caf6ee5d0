package org.bobbob.store.spi;

import java.io.IOException;
import org.bobbob.store.MultiStore;
import org.bobbob.store.Storer;

/** The {@code bobbob:multi:<path>} kind: a {@link MultiStore}. */
public final class MultiStoreProvider implements StoreProvider {
    /** Made by {@link java.util.ServiceLoader}, or by hand; holds no state. */
    public MultiStoreProvider() {}

    @Override
    public String kind() {
        return "multi";
    }

    @Override
    public Storer open(StoreUrl url) throws IOException {
        // With concurrent=true the manager's wrapper applies diskTokens. With concurrent=false and
        // diskTokens > 0, MultiStore itself returns the store wrapped, as the cap lives only there.
        int tokens = url.concurrent() ? 0 : url.diskTokens();
        return url.create() ? MultiStore.openOrCreate(url.path(), tokens) : MultiStore.open(url.path(), tokens);
    }
}
