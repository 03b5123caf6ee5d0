package org.bobbob.cdi;

import java.util.Optional;
import java.util.regex.Pattern;
import org.bobbob.store.StoreManager;

/**
 * What one named store is, once its configuration is read: a connection factory in JNDI, or an
 * embedded store opened from a URL. Immutable.
 *
 * <h2>Resolution, for store {@code <name>}</h2>
 * <ol>
 *   <li>{@code bobbob.store.<name>.url} set: an embedded store opened with
 *       {@code StoreManager.open(url)} on first use, closed when the container shuts down.
 *   <li>else {@code bobbob.store.<name>.jndi} set: the {@code StoreConnectionFactory} bound at that
 *       name, looked up on first use.
 *   <li>else, for the store named {@value Store#DEFAULT} only: the connection factory at
 *       {@value #DEFAULT_JNDI}.
 *   <li>else: {@link StoreConfigurationException} naming both keys.
 * </ol>
 * Both keys set is an error rather than a silent precedence, and so is a blank value or a URL that
 * does not start with {@code bobbob:}. JNDI needs the resource adapter's classes
 * ({@code org.bobbob.rar}); their absence is reported here, at deployment, not at first use.
 *
 * @param name the store's name
 * @param source where connections come from
 * @param target the JNDI name, or the store URL (parsed with {@code StoreManager.parse} when the
 *     store is first used, so that a provider missing now may still come)
 * @param key the configuration key {@code target} came from (or would have: the default JNDI name)
 * @param configured whether {@code key} was set, rather than defaulted
 */
record StoreSettings(String name, Source source, String target, String key, boolean configured) {

    /** Where a store's connections come from. */
    enum Source {
        /** A {@code StoreConnectionFactory} from JNDI: pooled connections, one per operation. */
        JNDI,
        /** A store this module opens from a URL and closes at container shutdown. */
        EMBEDDED
    }

    /** Every key starts with this. */
    static final String PREFIX = "bobbob.store.";
    /** Where the default store's connection factory is, unless configured otherwise. */
    static final String DEFAULT_JNDI = "java:/bobbob/DefaultStore";
    /** The interface a JNDI store needs; loaded by name so that embedded stores do not need it. */
    static final String CONNECTION_FACTORY = "org.bobbob.rar.StoreConnectionFactory";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    static String jndiKey(String name) {
        return PREFIX + name + ".jndi";
    }

    static String urlKey(String name) {
        return PREFIX + name + ".url";
    }

    /**
     * Reads the configuration of store {@code name} (see the class comment). Looks nothing up and
     * opens nothing.
     *
     * @throws StoreConfigurationException naming the key at fault
     */
    static StoreSettings resolve(String name, ConfigLookup config) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw CdiErrors.badName(name);
        }
        String urlKey = urlKey(name);
        String jndiKey = jndiKey(name);
        Optional<String> url = value(config, urlKey);
        Optional<String> jndi = value(config, jndiKey);
        if (url.isPresent() && jndi.isPresent()) {
            throw CdiErrors.conflict(name, config);
        }
        if (url.isPresent()) {
            if (!url.get().startsWith(StoreManager.SCHEME)) {
                throw CdiErrors.notAUrl(urlKey, url.get(), config);
            }
            return new StoreSettings(name, Source.EMBEDDED, url.get(), urlKey, true);
        }
        StoreSettings settings;
        if (jndi.isPresent()) {
            settings = new StoreSettings(name, Source.JNDI, jndi.get(), jndiKey, true);
        } else if (Store.DEFAULT.equals(name)) {
            settings = new StoreSettings(name, Source.JNDI, DEFAULT_JNDI, jndiKey, false);
        } else {
            throw CdiErrors.notConfigured(name, config);
        }
        if (!adapterVisible()) {
            throw CdiErrors.adapterMissing(settings);
        }
        return settings;
    }

    /** The trimmed value of {@code key}; a blank one is an error, not "unset". */
    private static Optional<String> value(ConfigLookup config, String key) {
        Optional<String> raw = config.get(key);
        if (raw.isPresent() && raw.get().isBlank()) {
            throw CdiErrors.blank(key, config);
        }
        return raw.map(String::trim);
    }

    private static boolean adapterVisible() {
        try {
            Class.forName(CONNECTION_FACTORY, false, StoreSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A new source of connections for this store; it opens or looks up nothing yet. */
    ConnectionSource newSource() {
        return source == Source.JNDI ? new JndiSource(this) : new EmbeddedSource(this);
    }

    /** E.g. {@code store 'orders' (bobbob.store.orders.jndi=java:/bobbob/Orders)}, for messages. */
    String describe() {
        return "store '" + name + "' (" + key + (configured ? "=" : " unset, so ") + target + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
