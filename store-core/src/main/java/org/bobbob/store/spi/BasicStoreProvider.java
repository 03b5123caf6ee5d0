package org.bobbob.store.spi;

import java.io.IOException;
import java.util.Set;
import org.bobbob.store.BasicStore;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.engine.Engines;
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
        return Engines.basic(
                url.path(),
                FileStoreKeys.mode(url),
                FileStoreKeys.verifyChecksums(url),
                FileStoreKeys.lockTimeoutMillis(url));
    }

    /** {@value FileStoreKeys#VERIFY_CHECKSUMS} and {@value FileStoreKeys#LOCK_TIMEOUT_MILLIS}. */
    @Override
    public Set<String> extraKeys() {
        return FileStoreKeys.KEYS;
    }
}
