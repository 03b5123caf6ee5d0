package org.bobbob.cdi;

import java.io.IOException;
import java.io.InvalidObjectException;
import javax.naming.NamingException;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;

/**
 * Every error this module makes is made here, so each has one code and one wording. Codes
 * {@code BOB-7xx} belong to store-cdi (store-core owns 1xx to 5xx, store-rar 6xx); they are entries
 * of {@link ErrorCode}, listed in {@code docs/ERRORS.md} and {@code docs/CDI.md}. Each message
 * starts with its code, then names the configuration key to fix; {@link StoreConfigurationException}
 * and {@link StoreException} also return the code from {@code code()}.
 */
final class CdiErrors {
    private CdiErrors() {}

    static StoreConfigurationException badName(String name) {
        return new StoreConfigurationException(
                ErrorCode.CDI_BAD_NAME,
                null,
                "@Store(" + quote(name) + ") is not a"
                        + " valid store name: use letters, digits, '_' and '-' (it becomes part of the keys"
                        + " bobbob.store.<name>.*)");
    }

    static StoreConfigurationException notConfigured(String name, ConfigLookup config) {
        return new StoreConfigurationException(
                ErrorCode.CDI_NOT_CONFIGURED,
                StoreSettings.jndiKey(name),
                StoreSettings.jndiKey(name) + " / " + StoreSettings.urlKey(name) + ": store '" + name
                        + "' is not configured; set " + StoreSettings.jndiKey(name)
                        + " to the JNDI name of its connection"
                        + " factory (in an application server), or " + StoreSettings.urlKey(name)
                        + " to a store URL such as"
                        + " bobbob:multi:/data/" + name + ".bob (an embedded store). Read from " + config.describe()
                        + ".");
    }

    static StoreConfigurationException conflict(String name, ConfigLookup config) {
        return new StoreConfigurationException(
                ErrorCode.CDI_CONFLICT,
                StoreSettings.urlKey(name),
                StoreSettings.urlKey(name) + " / " + StoreSettings.jndiKey(name) + ": both are set for store '" + name
                        + "'; set only one: the url for an embedded store, the jndi name for the server's connection factory."
                        + " Read from " + config.describe() + ".");
    }

    static StoreConfigurationException blank(String key, ConfigLookup config) {
        return new StoreConfigurationException(
                ErrorCode.CDI_BLANK,
                key,
                key + " is set but blank (read from " + config.describe() + "); give it a value or remove it");
    }

    static StoreConfigurationException notAUrl(String key, String value, ConfigLookup config) {
        return new StoreConfigurationException(
                ErrorCode.CDI_NOT_A_URL,
                key,
                key + "='" + value + "' is not a store"
                        + " URL: it must look like bobbob:<kind>:<path>[?key=value&...], e.g. bobbob:multi:/data/blobs.bob"
                        + " (read from " + config.describe() + ")");
    }

    static StoreConfigurationException adapterMissing(StoreSettings settings) {
        return new StoreConfigurationException(
                ErrorCode.CDI_ADAPTER_MISSING,
                settings.key(),
                settings.key() + ": "
                        + settings.describe() + " is a connection factory in JNDI, but the resource adapter's classes ("
                        + StoreSettings.CONNECTION_FACTORY + ") are not visible; deploy store-rar and depend on it, or,"
                        + " outside an application server, set " + StoreSettings.urlKey(settings.name())
                        + " to open an embedded store");
    }

    static StoreException lookupFailed(StoreSettings settings, NamingException cause) {
        return new StoreException(
                ErrorCode.CDI_LOOKUP_FAILED,
                settings.key() + ": no connection factory for "
                        + settings.describe() + " (" + cause + "); is store-rar deployed and bound there? Outside an"
                        + " application server set " + StoreSettings.urlKey(settings.name()) + " instead",
                cause);
    }

    static StoreException notAFactory(StoreSettings settings, Object found) {
        return new StoreException(
                ErrorCode.CDI_NOT_A_FACTORY,
                settings.key() + ": " + settings.describe()
                        + " names a "
                        + (found == null ? "null" : found.getClass().getName()) + ", not a "
                        + StoreSettings.CONNECTION_FACTORY
                        + " (or one from another class loader: the application must use"
                        + " the adapter's classes, not a copy of its own)");
    }

    static StoreException noConnection(StoreSettings settings, Exception cause) {
        return new StoreException(
                ErrorCode.CDI_NO_CONNECTION,
                settings.key() + ": no connection from " + settings.describe() + ": " + cause.getMessage(),
                cause);
    }

    static StoreException openFailed(StoreSettings settings, IOException cause) {
        return new StoreException(
                ErrorCode.CDI_OPEN_FAILED,
                settings.key() + ": cannot open embedded " + settings.describe() + ": " + cause.getMessage(),
                cause);
    }

    static StoreException notConcurrent(StoreSettings settings) {
        return new StoreException(
                ErrorCode.CDI_NOT_CONCURRENT,
                settings.key() + ": " + settings.describe()
                        + " opens a store that is not thread-safe (concurrent=false); an injected Storer is shared by every"
                        + " thread, so remove concurrent=false");
    }

    /** A JDK exception type, as {@code close()} of a container-managed object throws: no {@code code()}. */
    static UnsupportedOperationException closeUnsupported(Object facade) {
        return new UnsupportedOperationException(ErrorCode.CDI_CLOSE_UNSUPPORTED.message(facade + " is owned by the"
                + " container and cannot be closed; each call already gives its connection back, and Late handles"
                + " are closed one by one"));
    }

    /** A JDK exception type, as deserialization throws: no {@code code()}. */
    static InvalidObjectException noContainer(String name, RuntimeException cause) {
        InvalidObjectException e = new InvalidObjectException(ErrorCode.CDI_NO_CONTAINER.message("the injected"
                + " Storer for store '" + name + "' can only be deserialized inside a running CDI container with"
                + " store-cdi"));
        e.initCause(cause);
        return e;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
