package org.bobbob.cdi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.bobbob.store.support.Failures;

/**
 * The stores of one CDI container: one {@link StorerFacade} (and so one {@link ConnectionSource})
 * per store name, made on first request from the configuration and kept until the container shuts
 * down. Configuration is therefore read once per name; changing it later has no effect until
 * redeployment.
 *
 * <ul>
 *   <li>{@link #facade} never looks anything up or opens anything: sources connect on first use.
 *   <li>{@link #close} closes every embedded store (each is synced first), even if some closes
 *       fail; a facade made later for an embedded store fails with {@code StoreClosedException},
 *       so no store is opened after it.
 * </ul>
 *
 * <p>Thread-safe. Facades are read from a concurrent map without locking; making one and closing
 * happen under this object's monitor, so a facade made concurrently with {@link #close} is either
 * closed by it or made closed.
 */
final class StoreSources {
    private final Supplier<ConfigLookup> configFinder;
    /** Found on first use: in a server, the deployment's configuration is ready only then. */
    private volatile ConfigLookup config;

    private final Map<String, StorerFacade> facades = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    /** @param configFinder finds the configuration (once, on first need) */
    StoreSources(Supplier<ConfigLookup> configFinder) {
        this.configFinder = configFinder;
    }

    /**
     * The configuration of store {@code name}, read now (see {@link StoreSettings#resolve}).
     *
     * @throws StoreConfigurationException naming the key at fault
     */
    StoreSettings settings(String name) {
        return StoreSettings.resolve(name, config());
    }

    /**
     * The injected {@code Storer} for store {@code name}; the same object for every call with that
     * name.
     *
     * @throws StoreConfigurationException naming the key at fault
     */
    StorerFacade facade(String name) {
        StorerFacade facade = name == null ? null : facades.get(name);
        if (facade != null) {
            return facade;
        }
        StoreSettings settings = settings(name);
        synchronized (this) {
            facade = facades.get(name);
            if (facade == null) {
                ConnectionSource source = settings.newSource();
                if (closed) {
                    closeUnopened(source);
                }
                facade = new StorerFacade(settings, source);
                facades.put(name, facade);
            }
            return facade;
        }
    }

    /** The configuration, found on first need. */
    ConfigLookup config() {
        ConfigLookup c = config;
        if (c == null) {
            c = configFinder.get();
            config = c;
        }
        return c;
    }

    /**
     * Closes every source (see the class comment). Idempotent.
     *
     * @throws IOException the first failure, later ones attached as suppressed
     */
    synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (StorerFacade facade : new ArrayList<>(facades.values())) {
            try {
                facade.source().close();
            } catch (IOException | RuntimeException e) {
                IOException wrapped =
                        e instanceof IOException io ? io : new IOException("closing " + facade.source() + " failed", e);
                failure = Failures.keepFirst(failure, wrapped);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Marks a new source closed; it has opened nothing, so there is nothing to sync or fail. */
    private static void closeUnopened(ConnectionSource source) {
        try {
            source.close();
        } catch (IOException e) {
            throw new AssertionError("a source that opened nothing failed to close: " + source, e);
        }
    }

    @Override
    public String toString() {
        return "StoreSources" + facades.keySet();
    }
}
