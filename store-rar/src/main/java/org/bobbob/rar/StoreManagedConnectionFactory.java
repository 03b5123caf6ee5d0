package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import javax.security.auth.Subject;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.spi.StoreUrl;
import org.jboss.jca.core.spi.statistics.Statistics;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * One connection definition: which store its connections use, and how to open it.
 *
 * <table>
 *   <caption>Config properties</caption>
 *   <tr><th>property</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code url}</td><td>String</td><td></td><td>the store, as a store URL
 *       {@code bobbob:<kind>:<location>[?key=value&...]} of any registered provider; exactly one
 *       of {@code url} and {@code path} is given</td></tr>
 *   <tr><td>{@code path}</td><td>String</td><td></td><td>shorthand: the store file; relative paths
 *       resolve against {@code jboss.server.data.dir} and must stay inside it</td></tr>
 *   <tr><td>{@code kind}</td><td>String</td><td>{@code multi}</td><td>with {@code path}: the
 *       provider's kind, {@code basic}, {@code multi} or another registered one</td></tr>
 *   <tr><td>{@code diskTokens}</td><td>Integer</td><td>0</td><td>most Late handles doing I/O at
 *       once on the store; 0 = unlimited (with {@code url}: unless the URL says)</td></tr>
 *   <tr><td>{@code create}</td><td>Boolean</td><td>true</td><td>create the store if it is
 *       missing; {@code false}: it must exist (with {@code url}: unless the URL says)</td></tr>
 *   <tr><td>{@code accessKey}, {@code secretKey}</td><td>String</td><td></td><td>with a
 *       {@code url} whose provider takes credentials ({@code bobbob:s3:}): this definition's
 *       static credentials, handed to the provider as the {@code Properties} of
 *       {@link StoreManager#open(String, Properties)}; both or neither (then the provider's own
 *       default, e.g. the AWS SDK's chain). Never shown: not in {@link #toString()}, messages or
 *       the registry's key, which carries a fingerprint instead</td></tr>
 * </table>
 *
 * <h2>Which store</h2>
 * Both forms become one parsed URL ({@link StoreUrl}, checked by {@link StoreManager#parse}):
 * {@code path} and {@code kind} build {@code bobbob:<kind>:<canonical path>?diskTokens=..&create=..};
 * a {@code url} is parsed with {@code diskTokens} and {@code create} as defaults for keys it does
 * not give. For the file kinds ({@code basic}, {@code multi}) the URL's location is resolved like
 * {@code path} (relative to {@code jboss.server.data.dir}, see {@link StorePaths}), so both forms
 * name one file alike; any other kind's location is the provider's business. The store is opened
 * through {@link StoreManager#open(StoreUrl)}, always concurrent: a {@code concurrent=false} URL is
 * refused.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The configuration is checked when the server associates the factory with the adapter,
 *       that is at deployment: a bad value fails the deployment with an
 *       {@code InvalidPropertyException} whose message names the property.
 *   <li>Every managed connection for the same store ({@link StoreTarget#key()}), from any factory of
 *       the same adapter, shares one store (see {@link StoreRegistry});
 *       {@link #matchManagedConnections} accepts a connection to the same store and kind.
 *   <li>{@link #getInvalidConnections} reports connections whose store is closed or failed, so the
 *       pool's validation (on match, or in the background) replaces them. It reads flags only, no
 *       I/O: the server calls it on every {@code getConnection()}. Whether a store's file was
 *       deleted or replaced is checked by the adapter's periodic sync, which marks such a store
 *       failed ({@link StoreRegistry#syncAll()}).
 *   <li>A JavaBean: {@code equals}/{@code hashCode} cover the seven properties. Serializable; the
 *       adapter association, log writer and statistics are transient and nothing here refers to an
 *       open store.
 *   <li>{@link #getStatistics()}: IronJacamar's statistics SPI, the figures of this definition's
 *       store ({@link StoreStatistics}).
 *   <li>Configure before use, then treat as read-only; after that it is safe from any thread.
 * </ul>
 */
@ConnectionDefinition(
        connectionFactory = StoreConnectionFactory.class,
        connectionFactoryImpl = StoreConnectionFactoryImpl.class,
        connection = StoreConnection.class,
        connectionImpl = StoreConnectionHandle.class)
public final class StoreManagedConnectionFactory
        implements ManagedConnectionFactory,
                ResourceAdapterAssociation,
                ValidatingManagedConnectionFactory,
                Statistics {
    private static final long serialVersionUID = 1L;
    /** The kind {@code path} opens when {@code kind} is not set. */
    static final String DEFAULT_KIND = StoreTarget.MULTI;

    @ConfigProperty(description = "The store as a URL, bobbob:<kind>:<location>[?key=value&...] (instead of path)")
    private String url;

    @ConfigProperty(description = "The store file: absolute, or relative to jboss.server.data.dir (instead of url)")
    private String path;

    /** No default value in the annotation: a server would then set it, and it could not be told from a set one. */
    @ConfigProperty(description = "With path: the provider's kind, basic, multi (the default) or another")
    private String kind;

    @ConfigProperty(defaultValue = "0", description = "Most Late handles doing I/O at once; 0 = unlimited")
    private Integer diskTokens = 0;

    @ConfigProperty(defaultValue = "true", description = "Create the store if it is missing")
    private Boolean create = Boolean.TRUE;

    @ConfigProperty(description = "With url: the provider's access key (s3), with secretKey")
    private String accessKey;

    @ConfigProperty(
            description = "With url: the provider's secret key (s3), with accessKey; never shown",
            confidential = true)
    private String secretKey;

    /** A {@link StoreResourceAdapter}, checked by {@link #setResourceAdapter}. */
    private transient ResourceAdapter resourceAdapter;

    private transient PrintWriter logWriter;
    /** The checked configuration, computed on first need; reset by every setter. */
    private transient volatile StoreTarget target;
    /** {@link #getStatistics()}'s, made on first need. */
    private transient volatile StoreStatistics statistics;

    /** The JavaBean constructor the server uses. */
    public StoreManagedConnectionFactory() {}

    // ---------------------------------------------------------------- config properties

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
        target = null;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
        target = null;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
        target = null;
    }

    public Integer getDiskTokens() {
        return diskTokens;
    }

    public void setDiskTokens(Integer diskTokens) {
        this.diskTokens = diskTokens;
        target = null;
    }

    public Boolean getCreate() {
        return create;
    }

    public void setCreate(Boolean create) {
        this.create = create;
        target = null;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
        target = null;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
        target = null;
    }

    /**
     * The checked configuration: which store, and its key (see the class comment). With
     * {@code create=true} this creates a store file's directory.
     *
     * @throws jakarta.resource.spi.InvalidPropertyException naming the property at fault
     */
    StoreTarget target() throws ResourceException {
        StoreTarget t = target;
        if (t == null) {
            int tokens = diskTokens == null ? 0 : diskTokens;
            if (tokens < 0) {
                throw RarErrors.badDiskTokens(tokens);
            }
            boolean mayCreate = create == null || create;
            if (isSet(accessKey) != isSet(secretKey)) {
                throw RarErrors.badCredentials(
                        isSet(accessKey) ? "accessKey" : "secretKey",
                        "give accessKey and secretKey together, or neither");
            }
            if (isSet(accessKey) && !isSet(url)) {
                throw RarErrors.badCredentials(
                        "accessKey", "credentials go with a url whose provider takes them (bobbob:s3:), not with path");
            }
            t = isSet(url) ? fromUrl(url.trim(), tokens, mayCreate) : fromPath(tokens, mayCreate);
            target = t;
        }
        return t;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * {@code url}, with {@code diskTokens} and {@code create} as defaults for its keys, and the
     * credentials, if set, as {@code accessKey}/{@code secretKey}.
     */
    private StoreTarget fromUrl(String url, int tokens, boolean mayCreate) throws ResourceException {
        if (path != null || kind != null) {
            throw RarErrors.urlAndPath(url, path != null ? "path" : "kind");
        }
        Properties defaults = new Properties();
        defaults.setProperty("diskTokens", Integer.toString(tokens));
        defaults.setProperty("create", Boolean.toString(mayCreate));
        StoreUrl parsed;
        try {
            parsed = StoreManager.parse(url, defaults);
            if (isSet(accessKey)) {
                if (StoreTarget.FILE_KINDS.contains(parsed.kind())) {
                    throw RarErrors.badCredentials(
                            "accessKey", "a store file (kind " + parsed.kind() + ") takes no credentials; remove them");
                }
                defaults.setProperty(StoreTarget.ACCESS_KEY, accessKey);
                defaults.setProperty(StoreTarget.SECRET_KEY, secretKey);
                parsed = StoreManager.parse(url, defaults);
            }
        } catch (StoreException e) {
            throw RarErrors.badUrl(url, e.getMessage(), e);
        }
        if (!parsed.concurrent()) {
            throw RarErrors.badUrl(
                    url,
                    "concurrent=false: the adapter shares one store among all its connections,"
                            + " so it always opens it concurrent",
                    null);
        }
        if (!StoreTarget.FILE_KINDS.contains(parsed.kind())) {
            return new StoreTarget("url", StoreTarget.opaqueKey(parsed), null, parsed);
        }
        Path file = StorePaths.canonical("url", parsed.location(), StorePaths.baseDirectory(), parsed.create());
        StoreUrl resolved = new StoreUrl(
                parsed.url(),
                parsed.kind(),
                file.toString(),
                parsed.options(),
                parsed.diskTokens(),
                parsed.concurrent(),
                parsed.create());
        return new StoreTarget("url", file.toString(), file, resolved);
    }

    /** The shorthand: {@code bobbob:<kind>:<canonical path>?diskTokens=..&create=..}. */
    private StoreTarget fromPath(int tokens, boolean mayCreate) throws ResourceException {
        String k = kind == null ? DEFAULT_KIND : kind.trim().toLowerCase(Locale.ROOT);
        List<String> known = StoreManager.kinds();
        if (!known.contains(k)) {
            throw RarErrors.badKind(kind, known);
        }
        Path file = StorePaths.canonical("path", path, StorePaths.baseDirectory(), mayCreate);
        if (file.toString().indexOf('?') >= 0) {
            throw RarErrors.pathInvalid("path", path, "a store path may not contain '?' (it starts a URL's keys)");
        }
        String built = StoreManager.SCHEME + k + ":" + file + "?diskTokens=" + tokens + "&create=" + mayCreate;
        try {
            return new StoreTarget("path", file.toString(), file, StoreManager.parse(built));
        } catch (StoreException e) {
            throw RarErrors.pathInvalid("path", path, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ResourceAdapterAssociation

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    /**
     * Associates this factory with its adapter, once, and checks the configuration: the server
     * does this at deployment, after setting the properties, so a bad value fails the deployment.
     *
     * @throws jakarta.resource.spi.InvalidPropertyException naming the property at fault
     * @throws jakarta.resource.spi.IllegalStateException if already associated with another adapter
     */
    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof StoreResourceAdapter ours)) {
            throw RarErrors.wrongAdapter(adapter);
        }
        if (resourceAdapter != null && resourceAdapter != ours) {
            throw RarErrors.otherAdapter();
        }
        target();
        resourceAdapter = ours;
    }

    /**
     * The registry of the started adapter this factory is associated with.
     *
     * @throws ResourceException if it is not associated, or the adapter is not started
     */
    StoreRegistry registry() throws ResourceException {
        if (!(resourceAdapter instanceof StoreResourceAdapter adapter)) {
            throw RarErrors.notAssociated();
        }
        return adapter.registry();
    }

    // ---------------------------------------------------------------- Statistics (IronJacamar's SPI)

    /**
     * The statistics of this definition's store, one object per factory: WildFly shows them as
     * the definition's {@code statistics=extended} (see {@link StoreStatistics} and docs/RAR.md).
     */
    @Override
    public StatisticsPlugin getStatistics() {
        StoreStatistics s = statistics;
        if (s == null) {
            synchronized (this) {
                s = statistics;
                if (s == null) {
                    s = new StoreStatistics(this);
                    statistics = s;
                }
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- ManagedConnectionFactory

    /** A connection factory whose connections come from the server's pool through {@code manager}. */
    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new StoreConnectionFactoryImpl(this, Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Non-managed mode (no application server): every {@code getConnection()} creates a managed
     * connection, and closing its handle destroys it. The factory must still be associated with a
     * started adapter.
     */
    @Override
    public Object createConnectionFactory() {
        return new StoreConnectionFactoryImpl(this, new UnpooledConnectionManager());
    }

    /**
     * A new managed connection holding a reference to the shared store of this definition,
     * opening the store if it is the first. {@code subject} and {@code info} are ignored (there is
     * no per-user state), so servers may pass null for both.
     *
     * @throws ResourceException naming the property at fault if the store cannot be opened
     */
    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        StoreRegistry registry = registry();
        return new StoreManagedConnection(registry, registry.acquire(target()));
    }

    /** The first candidate that is a live connection to the same store and kind, else null. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        StoreTarget wanted = target();
        for (Object candidate : candidates) {
            if (candidate instanceof StoreManagedConnection mc && mc.serves(wanted)) {
                return mc;
            }
        }
        return null;
    }

    /** The candidates whose store is closed or failed, or that were destroyed. Flags only, no I/O. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set candidates) {
        Set invalid = new HashSet<>();
        for (Object candidate : candidates) {
            if (candidate instanceof StoreManagedConnection mc && !mc.isValid()) {
                invalid.add(mc);
            }
        }
        return invalid;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    // ---------------------------------------------------------------- JavaBean identity

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreManagedConnectionFactory other
                && Objects.equals(url, other.url)
                && Objects.equals(path, other.path)
                && Objects.equals(kind, other.kind)
                && Objects.equals(diskTokens, other.diskTokens)
                && Objects.equals(create, other.create)
                && Objects.equals(accessKey, other.accessKey)
                && Objects.equals(secretKey, other.secretKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, path, kind, diskTokens, create, accessKey, secretKey);
    }

    /** The properties, with the credentials shown only as set or not. */
    @Override
    public String toString() {
        return "StoreManagedConnectionFactory[url=" + url + ", path=" + path + ", kind=" + kind + ", diskTokens="
                + diskTokens + ", create=" + create + (isSet(accessKey) ? ", credentials=***" : "") + "]";
    }
}
