package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** How tests check the errors of a factory's config properties. */
final class ConfigErrors {
    private ConfigErrors() {}

    /** A factory not yet associated with an adapter, its {@code url} set. */
    static StoreManagedConnectionFactory withUrl(String url) {
        StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();
        mcf.setUrl(url);
        return mcf;
    }

    /** A factory not yet associated with an adapter, its {@code path} set. */
    static StoreManagedConnectionFactory withPath(String path) {
        StoreManagedConnectionFactory mcf = new StoreManagedConnectionFactory();
        mcf.setPath(path);
        return mcf;
    }

    /** The message of {@code e} starts with its code and names the config property it is about. */
    static void assertNames(String property, String code, Exception e) {
        assertTrue(e.getMessage().startsWith("[" + code + "] config property '" + property + "'"), e.getMessage());
    }
}
