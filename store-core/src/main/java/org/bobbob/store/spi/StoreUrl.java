package org.bobbob.store.spi;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bobbob.store.StoreException;
import org.bobbob.store.support.Errors;

/**
 * A parsed store URL, {@code bobbob:<kind>:<location>[?key=value&...]}, with the common keys
 * already checked and typed.
 *
 * @param url         the URL as given, for messages
 * @param kind        the provider kind
 * @param location    everything between the kind and {@code ?}: a file path for the built-in kinds
 * @param options     every key and value (URL keys over {@code Properties} ones), common keys included
 * @param diskTokens  {@code diskTokens}, default 0 (unlimited)
 * @param concurrent  {@code concurrent}, default true
 * @param create      {@code create}, default true (create if missing, open if present)
 */
public record StoreUrl(
        String url,
        String kind,
        String location,
        Map<String, String> options,
        int diskTokens,
        boolean concurrent,
        boolean create) {

    public StoreUrl {
        options = Map.copyOf(options);
    }

    /**
     * The URL as given ({@link #url}), never the options: those include the {@code Properties}
     * given with it, which may hold credentials.
     */
    @Override
    public String toString() {
        return url;
    }

    /** The location as a file path. */
    public Path path() throws StoreException {
        try {
            return Path.of(location);
        } catch (InvalidPathException e) {
            throw Errors.badUrl(url, "'" + location + "' is not a valid path: " + e.getReason());
        }
    }

    /** A provider-specific option. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    /**
     * A provider-specific {@code true}/{@code false} option (any case, blanks around it allowed),
     * {@code absent} when the key is not given.
     *
     * @throws StoreException BOB-501 if its value is neither
     */
    public boolean flag(String key, boolean absent) throws StoreException {
        return parseFlag(url, key, options.get(key), absent);
    }

    /** Parses a flag's {@code value} ({@code absent} when null) as every store URL key is parsed. */
    public static boolean parseFlag(String url, String key, String value, boolean absent) throws StoreException {
        if (value == null) {
            return absent;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Errors.badUrl(url, key + "=" + value + " must be true or false");
        };
    }
}
