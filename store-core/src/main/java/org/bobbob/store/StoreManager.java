package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.spi.StoreProvider;
import org.bobbob.store.spi.StoreUrl;
import org.bobbob.store.support.Errors;

/**
 * Opens any store from a URL, the way {@code DriverManager} opens a database:
 * <pre>{@code
 * try (Storer store = StoreManager.open("bobbob:multi:/var/data/blobs.bob?diskTokens=4")) { ... }
 * }</pre>
 *
 * <h2>URLs</h2>
 * {@code bobbob:<kind>:<location>[?key=value&...]}. Built-in kinds: {@code basic}
 * ({@link BasicStore}) and {@code multi} ({@link MultiStore}); more come from
 * {@link StoreProvider}s found with {@link ServiceLoader}. Common keys:
 * <table>
 *   <caption>URL keys</caption>
 *   <tr><th>key</th><th>values</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code diskTokens}</td><td>int &ge; 0</td><td>0</td><td>most Late handles doing I/O at once; 0 = unlimited</td></tr>
 *   <tr><td>{@code concurrent}</td><td>true|false</td><td>true</td><td>wrap in a {@link ConcurrentStore}</td></tr>
 *   <tr><td>{@code create}</td><td>true|false</td><td>true</td><td>create if missing (else it must exist)</td></tr>
 * </table>
 * Keys may also come from the {@code Properties}; a key in the URL wins. A malformed URL, an
 * unknown kind, an unknown key or a bad value is a {@link StoreException} naming the URL and the
 * problem.
 *
 * <p>{@link #parse(String, Properties)} checks a URL the same way without opening anything, and
 * gives the {@link StoreUrl} that {@link #open(StoreUrl)} opens: for code that must know which
 * store a URL names (its kind, its location) before, or instead of, opening it. Thread-safe.
 */
public final class StoreManager {
    /** The scheme every store URL starts with. */
    public static final String SCHEME = "bobbob:";

    /**
     * The URL keys every kind takes ({@code diskTokens}, {@code concurrent}, {@code create}): how a
     * store is opened, not which store it is. A provider's own keys are its
     * {@code StoreProvider.extraKeys()}.
     */
    public static final Set<String> COMMON_KEYS = Set.of("diskTokens", "concurrent", "create");
    /** Broken service entries skipped per class loader before giving up on it (the iterator moves on after each). */
    private static final int MAX_PROVIDER_ERRORS = 16;

    private static final System.Logger LOG = System.getLogger(StoreManager.class.getName());

    /**
     * The providers of this class's own loader, scanned once ({@link #ownProviders()}). Volatile:
     * a thread that sees the list sees it fully built (it is immutable).
     */
    private static volatile List<StoreProvider> ownProviders;

    private StoreManager() {}

    /** Opens the store {@code url} names. */
    public static Storer open(String url) throws IOException {
        return open(url, new Properties());
    }

    /** Opens the store {@code url} names, with defaults for its keys from {@code info}. */
    public static Storer open(String url, Properties info) throws IOException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(info, "info");
        StoreProvider provider = provider(url, kindOf(url));
        return open(parse(url, info, provider.extraKeys()), provider); // parsed for this provider: checked
    }

    /**
     * Opens the store a parsed URL names, as {@link #open(String, Properties)} would open the URL
     * it came from: the provider of {@link StoreUrl#kind()} opens it, and with
     * {@link StoreUrl#concurrent()} the result is wrapped in a {@link ConcurrentStore} that
     * applies {@link StoreUrl#diskTokens()}. The typed fields of {@code url} are what counts;
     * {@link StoreUrl#options()} must hold only keys the provider accepts (a {@code StoreUrl}
     * made by {@link #parse} always does).
     *
     * @throws StoreException BOB-501 naming {@link StoreUrl#url()} if no provider offers the kind
     *     or an option is unknown to it; else what the provider throws
     */
    public static Storer open(StoreUrl url) throws IOException {
        Objects.requireNonNull(url, "url");
        StoreProvider provider = provider(url.url(), url.kind());
        checkKeys(url.url(), url.options().keySet(), provider.extraKeys());
        return open(url, provider);
    }

    private static Storer open(StoreUrl parsed, StoreProvider provider) throws IOException {
        Storer store = provider.open(parsed);
        if (store == null) {
            throw Errors.badUrl(parsed.url(), "provider " + provider.getClass().getName() + " returned no store");
        }
        return parsed.concurrent() && !(store instanceof ConcurrentStore)
                ? ConcurrentStore.wrap(store, parsed.diskTokens())
                : store;
    }

    /** Parses {@code url} without opening anything: {@link #parse(String, Properties)} with no defaults. */
    public static StoreUrl parse(String url) throws StoreException {
        return parse(url, new Properties());
    }

    /**
     * Parses {@code url}, with defaults for its keys from {@code info}, exactly as
     * {@link #open(String, Properties)} does before it opens: a provider must offer the kind,
     * every key must be a common one or one of the provider's {@link StoreProvider#extraKeys()},
     * and the common keys' values must be valid. Opens, creates and locks nothing; whether the
     * location exists (or is a store) is found out only by {@link #open(StoreUrl)}.
     *
     * @throws StoreException BOB-501 naming {@code url} and the problem
     */
    public static StoreUrl parse(String url, Properties info) throws StoreException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(info, "info");
        StoreProvider provider = provider(url, kindOf(url));
        return parse(url, info, provider.extraKeys());
    }

    /**
     * The kind of the store file at {@code file} ({@code "basic"} or {@code "multi"}), read from
     * its header without opening it, so that a tool given a bare path can build its URL. Takes no
     * lock and changes nothing.
     *
     * @throws StoreException BOB-203 if the file does not exist, BOB-302 if it is not a bobbob
     *     store, BOB-303 if its format version is unknown, BOB-301 if its header is damaged
     */
    public static String kindOf(Path file) throws IOException {
        return Engines.kindOf(Objects.requireNonNull(file, "file"));
    }

    /** The kinds that providers on the class path offer, sorted. */
    public static List<String> kinds() {
        Set<String> kinds = new TreeSet<>();
        for (StoreProvider p : providers()) {
            kinds.add(p.kind());
        }
        return new ArrayList<>(kinds);
    }

    private static String kindOf(String url) throws StoreException {
        if (!url.startsWith(SCHEME)) {
            throw Errors.badUrl(url, "it must start with '" + SCHEME + "'");
        }
        int colon = url.indexOf(':', SCHEME.length());
        if (colon < 0) {
            throw Errors.badUrl(url, "expected bobbob:<kind>:<location>");
        }
        String kind = url.substring(SCHEME.length(), colon);
        if (!isKindName(kind)) {
            throw Errors.badUrl(url, "kind '" + kind + "' must be lower-case letters, digits or '-'");
        }
        return kind;
    }

    /** Whether {@code kind} is non-empty and only lower-case letters, digits and '-'. */
    private static boolean isKindName(String kind) {
        for (int i = 0; i < kind.length(); i++) {
            char c = kind.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return !kind.isEmpty();
    }

    /** Parses {@code url}; keys in {@code info} are defaults for keys missing from the URL. */
    private static StoreUrl parse(String url, Properties info, Set<String> extraKeys) throws StoreException {
        String kind = kindOf(url);
        String rest = url.substring(SCHEME.length() + kind.length() + 1);
        int q = rest.indexOf('?');
        String location = q < 0 ? rest : rest.substring(0, q);
        if (location.isEmpty()) {
            throw Errors.badUrl(url, "the location (file path) is empty");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : info.stringPropertyNames()) {
            options.put(key, info.getProperty(key));
        }
        if (q >= 0) {
            String query = rest.substring(q + 1);
            Set<String> seen = new TreeSet<>();
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw Errors.badUrl(url, "'" + pair + "' is not key=value");
                }
                String key = pair.substring(0, eq);
                if (!seen.add(key)) {
                    throw Errors.badUrl(url, "key '" + key + "' appears twice");
                }
                options.put(key, pair.substring(eq + 1));
            }
        }
        checkKeys(url, options.keySet(), extraKeys);
        int diskTokens = intOption(url, options, "diskTokens", 0);
        boolean concurrent = boolOption(url, options, "concurrent", true);
        boolean create = boolOption(url, options, "create", true);
        return new StoreUrl(url, kind, location, options, diskTokens, concurrent, create);
    }

    private static void checkKeys(String url, Set<String> keys, Set<String> extraKeys) throws StoreException {
        for (String key : keys) {
            if (!COMMON_KEYS.contains(key) && !extraKeys.contains(key)) {
                Set<String> known = new TreeSet<>(COMMON_KEYS);
                known.addAll(extraKeys);
                throw Errors.badUrl(url, "unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static int intOption(String url, Map<String, String> options, String key, int dflt) throws StoreException {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Errors.badUrl(url, key + "=" + v + " is not a whole number >= 0");
    }

    private static boolean boolOption(String url, Map<String, String> options, String key, boolean dflt)
            throws StoreException {
        return StoreUrl.parseFlag(url, key, options.get(key), dflt);
    }

    private static StoreProvider provider(String url, String kind) throws StoreException {
        for (StoreProvider p : providers()) {
            if (p.kind().equals(kind)) {
                return p;
            }
        }
        throw Errors.badUrl(url, "no provider for kind '" + kind + "' (known: " + String.join(", ", kinds()) + ")");
    }

    /**
     * Providers visible to the thread's context class loader, then to this class's loader (which
     * is how a resource adapter finds the provider jars packed beside store-core in its archive,
     * whatever the calling application's loader). A listed provider that cannot be loaded, or
     * that implements another copy of {@link StoreProvider} (an application that packs its own
     * store-core), is skipped with a warning rather than failing every open.
     *
     * <p>This class's own loader is scanned once: it and its providers live exactly as long as
     * this class, so keeping them pins nothing. Scanning costs about half a millisecond on a
     * short class path, as much as opening a store. Another context loader (an application in a
     * server, which may be redeployed) is scanned on each call and never kept.
     */
    private static List<StoreProvider> providers() {
        ClassLoader own = StoreManager.class.getClassLoader();
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        if (tccl == null || tccl == own) {
            return ownProviders(); // nothing else to look at (and an open costs a look-up)
        }
        List<StoreProvider> found = new ArrayList<>();
        Set<String> classes = new TreeSet<>();
        addNew(found, classes, scan(tccl));
        addNew(found, classes, ownProviders());
        return found;
    }

    /** This class's loader's providers, found on first need. */
    private static List<StoreProvider> ownProviders() {
        List<StoreProvider> providers = ownProviders;
        if (providers == null) {
            ClassLoader own = StoreManager.class.getClassLoader();
            providers = own == null ? List.of() : List.copyOf(scan(own));
            ownProviders = providers; // a racing first scan finds the same list: either may win
        }
        return providers;
    }

    private static void addNew(List<StoreProvider> found, Set<String> classes, List<StoreProvider> more) {
        for (StoreProvider p : more) {
            if (classes.add(p.getClass().getName())) {
                found.add(p);
            }
        }
    }

    private static List<StoreProvider> scan(ClassLoader cl) {
        List<StoreProvider> found = new ArrayList<>();
        Iterator<StoreProvider> it = ServiceLoader.load(StoreProvider.class, cl).iterator();
        for (int errors = 0; errors < MAX_PROVIDER_ERRORS; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                errors++;
                LOG.log(System.Logger.Level.WARNING, "skipping a store provider listed for " + cl, e);
            }
        }
        return found;
    }
}
