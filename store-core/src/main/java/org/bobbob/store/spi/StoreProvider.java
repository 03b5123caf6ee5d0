package org.bobbob.store.spi;

import java.io.IOException;
import java.util.Set;
import org.bobbob.store.Storer;

/**
 * Opens stores of one kind for {@link org.bobbob.store.StoreManager}: the {@code <kind>} of
 * {@code bobbob:<kind>:<location>}. Providers are found with {@link java.util.ServiceLoader}: list
 * the class in {@code META-INF/services/org.bobbob.store.spi.StoreProvider}. The built-in
 * {@code basic} and {@code multi} kinds are registered exactly that way.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe: one instance
 * may serve every open in the process.
 */
public interface StoreProvider {

    /** The kind this provider opens, e.g. {@code "multi"}: lower case letters, digits and '-'. */
    String kind();

    /**
     * URL keys this provider accepts beyond the common {@code diskTokens}, {@code concurrent}
     * and {@code create}. Any other key is rejected before {@link #open} is called.
     */
    default Set<String> extraKeys() {
        return Set.of();
    }

    /**
     * Opens the store {@code url} names, unwrapped: when {@link StoreUrl#concurrent()} is true
     * the manager wraps the result in a {@link org.bobbob.store.ConcurrentStore} that applies
     * {@link StoreUrl#diskTokens()}, so the provider must not apply them too.
     *
     * @throws org.bobbob.store.StoreException for a value the provider cannot use, naming the URL
     */
    Storer open(StoreUrl url) throws IOException;
}
