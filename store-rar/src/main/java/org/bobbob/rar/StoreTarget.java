package org.bobbob.rar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.bobbob.store.StoreManager;
import org.bobbob.store.spi.StoreUrl;

/**
 * Which store a connection definition names, once its configuration is checked: the parsed URL
 * that the registry opens, and the key under which definitions share one open store.
 *
 * <ul>
 *   <li>For the file kinds ({@value #BASIC} and {@value #MULTI}) the key is the canonical path of
 *       the file ({@link StorePaths}), and {@link StoreUrl#location()} is that path: every
 *       spelling of one file, through {@code path} or {@code url}, is one store, and a second
 *       kind on it is a conflict, not a second open.
 *   <li>For any other provider's kind the location is opaque: the key is
 *       {@code bobbob:<kind>:<location>} as written, followed by the provider's own keys and
 *       values in key order (for s3 the endpoint, region, path style: one bucket and prefix on two
 *       endpoints are two stores), and there is no file ({@link #opaqueKey}).
 * </ul>
 *
 * @param property the config property the store came from ({@code url} or {@code path}), for messages
 * @param key      the registry's key (see above)
 * @param file     the canonical store file, or null for a kind that is not a file kind
 * @param url      what {@link StoreOpener} opens; {@link StoreUrl#concurrent()} is always true
 */
record StoreTarget(String property, String key, Path file, StoreUrl url) {
    static final String BASIC = "basic";
    static final String MULTI = "multi";
    /** The kinds whose location is a file path that the adapter canonicalises. */
    static final Set<String> FILE_KINDS = Set.of(BASIC, MULTI);
    /** The keys the factory's {@code accessKey}/{@code secretKey} properties are handed on as. */
    static final String ACCESS_KEY = "accessKey";

    static final String SECRET_KEY = "secretKey";
    static final Set<String> CREDENTIAL_KEYS = Set.of(ACCESS_KEY, SECRET_KEY);

    StoreTarget {
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        assert file == null || file.isAbsolute() : "not canonical: " + file;
        assert url.concurrent() : url;
    }

    String kind() {
        return url.kind();
    }

    int diskTokens() {
        return url.diskTokens();
    }

    /** Whether connections for {@code other} can use a connection for this target: same store and kind. */
    boolean sameStore(StoreTarget other) {
        return key.equals(other.key) && kind().equals(other.kind());
    }

    /**
     * The key of a store of a kind that is not a file kind: its kind and location as written, then
     * every key of the URL but the common ones ({@code diskTokens}, {@code concurrent},
     * {@code create}, which change how it is opened, not which store it is), sorted. The
     * credentials ({@link #CREDENTIAL_KEYS}) are not shown: they become one key,
     * {@code credentials}, whose value is the first 16 hex digits of their SHA-256, so that
     * definitions with other credentials open stores of their own, and the key (listed by the
     * registry's MXBean) tells nothing about them.
     */
    static String opaqueKey(StoreUrl url) {
        StringBuilder key = new StringBuilder(StoreManager.SCHEME + url.kind() + ":" + url.location());
        TreeMap<String, String> keys = new TreeMap<>(url.options());
        StoreManager.COMMON_KEYS.forEach(keys::remove);
        if (url.option(ACCESS_KEY).isPresent()) {
            keys.put(
                    "credentials",
                    fingerprint(
                            url.option(ACCESS_KEY).get(), url.option(SECRET_KEY).orElse("")));
        }
        CREDENTIAL_KEYS.forEach(keys::remove);
        char sep = '?';
        for (Map.Entry<String, String> e : keys.entrySet()) {
            key.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = '&';
        }
        return key.toString();
    }

    private static String fingerprint(String accessKey, String secretKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((accessKey + '\0' + secretKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
