package org.bobbob.store.spi;

import java.io.IOException;
import org.bobbob.store.BasicStore;
import org.bobbob.store.Storer;
import org.bobbob.store.support.Errors;

/** The {@code bobbob:basic:<path>} kind: a {@link BasicStore}. */
public final class BasicStoreProvider implements StoreProvider {
    /** Made by {@link java.util.ServiceLoader}, or by hand; holds no state. */
    public BasicStoreProvider() {}

    @Override
    public String kind() {
        return "basic";
    }

    @Override
    public Storer open(StoreUrl url) throws IOException {
        if (!url.concurrent() && url.diskTokens() > 0) {
            throw Errors.badUrl(
                    url.url(),
                    "a basic store caps disk I/O only through the concurrent wrapper;"
                            + " use concurrent=true with diskTokens");
        }
        return url.create() ? BasicStore.openOrCreate(url.path()) : BasicStore.open(url.path());
    }
}
