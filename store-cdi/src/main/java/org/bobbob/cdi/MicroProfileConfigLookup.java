package org.bobbob.cdi;

import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Store configuration through MicroProfile Config. The only class of this module that links
 * against the MicroProfile Config API: {@link ConfigLookup#detect} loads it only after finding the
 * API. Note that MicroProfile Config treats an empty value as unset.
 */
final class MicroProfileConfigLookup implements ConfigLookup {
    private final Config config;

    private MicroProfileConfigLookup(Config config) {
        this.config = config;
    }

    /**
     * The configuration of {@code loader}.
     *
     * @throws IllegalStateException if no MicroProfile Config implementation is available
     */
    static ConfigLookup of(ClassLoader loader) {
        return new MicroProfileConfigLookup(ConfigProvider.getConfig(loader));
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class);
    }

    @Override
    public String describe() {
        return "MicroProfile Config";
    }

    @Override
    public String toString() {
        return describe();
    }
}
