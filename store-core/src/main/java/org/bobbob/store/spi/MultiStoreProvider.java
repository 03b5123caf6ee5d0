package org.bobbob.store.spi;

import java.io.IOException;
import java.util.Set;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.engine.Engines;

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
        int tokens = url.concurrent() ? 0 : Engines.checkDiskTokens(url.diskTokens());
        Storer bare = Engines.multi(
                url.path(),
                FileStoreKeys.mode(url),
                FileStoreKeys.verifyChecksums(url),
                FileStoreKeys.lockTimeoutMillis(url));
        return tokens > 0 ? ConcurrentStore.wrap(bare, tokens) : bare;
    }

    /** {@value FileStoreKeys#VERIFY_CHECKSUMS} and {@value FileStoreKeys#LOCK_TIMEOUT_MILLIS}. */
    @Override
    public Set<String> extraKeys() {
        return FileStoreKeys.KEYS;
    }
}
