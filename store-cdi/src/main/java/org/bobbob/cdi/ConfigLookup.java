package org.bobbob.cdi;

import java.util.Optional;
import java.util.ServiceConfigurationError;

/**
 * Where store configuration is read: MicroProfile Config when an implementation is present,
 * else system properties.
 *
 * <p>MicroProfile Config is optional at run time: {@link #detect} looks for its API with
 * {@code Class.forName} before touching {@link MicroProfileConfigLookup}, the only class that
 * links against it, and falls back to system properties when the API is missing or has no
 * implementation. MicroProfile Config reads system properties too (ordinal 400, above environment
 * variables at 300 and {@code META-INF/microprofile-config.properties} at 100), so a system
 * property works in both cases.
 *
 * <p>Implementations are thread-safe.
 */
interface ConfigLookup {

    /** The API class whose presence means MicroProfile Config may be used. */
    String MICROPROFILE_CONFIG_PROVIDER = "org.eclipse.microprofile.config.ConfigProvider";

    /** The value of {@code key}; empty if unset. */
    Optional<String> get(String key);

    /** Where values come from, for error messages. */
    String describe();

    /** Reads {@link System#getProperty} on every call. */
    ConfigLookup SYSTEM_PROPERTIES = new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return Optional.ofNullable(System.getProperty(key));
        }

        @Override
        public String describe() {
            return "system properties";
        }

        @Override
        public String toString() {
            return describe();
        }
    };

    /**
     * MicroProfile Config for {@code application}'s class loader if the API is visible to this
     * module and has an implementation; {@link #SYSTEM_PROPERTIES} otherwise.
     *
     * @param application the class loader whose configuration to read (in a server, the
     *     deployment's, so that its {@code microprofile-config.properties} is seen)
     */
    static ConfigLookup detect(ClassLoader application) {
        ClassLoader own = ConfigLookup.class.getClassLoader();
        try {
            Class.forName(MICROPROFILE_CONFIG_PROVIDER, false, own);
        } catch (ClassNotFoundException | LinkageError e) {
            return SYSTEM_PROPERTIES;
        }
        try {
            return MicroProfileConfigLookup.of(application == null ? own : application);
        } catch (IllegalStateException | ServiceConfigurationError | LinkageError e) {
            // the API without an implementation: ConfigProviderResolver.instance() found none
            System.getLogger(ConfigLookup.class.getName())
                    .log(
                            System.Logger.Level.DEBUG,
                            "MicroProfile Config API present but unusable ({0}); reading system properties",
                            e.toString());
            return SYSTEM_PROPERTIES;
        }
    }
}
