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
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * One connection definition: which store its connections use, and how to open it.
 *
 * <table>
 *   <caption>Config properties</caption>
 *   <tr><th>property</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code path}</td><td>String</td><td>(required)</td><td>the store file; relative paths
 *       resolve against {@code jboss.server.data.dir} and must stay inside it</td></tr>
 *   <tr><td>{@code kind}</td><td>String</td><td>{@code multi}</td><td>{@code basic} or {@code multi}</td></tr>
 *   <tr><td>{@code diskTokens}</td><td>Integer</td><td>0</td><td>most Late handles doing I/O at
 *       once on the store; 0 = unlimited</td></tr>
 *   <tr><td>{@code create}</td><td>Boolean</td><td>true</td><td>create the store if the file is
 *       missing; {@code false}: it must exist</td></tr>
 * </table>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The configuration is checked when the server associates the factory with the adapter,
 *       that is at deployment: a bad value fails the deployment with an
 *       {@code InvalidPropertyException} whose message names the property.
 *   <li>Every managed connection for the same canonical path, from any factory of the same
 *       adapter, shares one store (see {@link StoreRegistry}); {@link #matchManagedConnections}
 *       accepts a connection to the same path and kind.
 *   <li>{@link #getInvalidConnections} reports connections whose store is closed, failed, or whose
 *       file is gone, so the pool's validation (on match, or in the background) replaces them.
 *   <li>A JavaBean: {@code equals}/{@code hashCode} cover the four properties. Serializable; the
 *       adapter association and log writer are transient and nothing here refers to an open store.
 *   <li>Configure before use, then treat as read-only; after that it is safe from any thread.
 * </ul>
 */
@ConnectionDefinition(
        connectionFactory = StoreConnectionFactory.class,
        connectionFactoryImpl = StoreConnectionFactoryImpl.class,
        connection = StoreConnection.class,
        connectionImpl = StoreConnectionHandle.class)
public final class StoreManagedConnectionFactory
        implements ManagedConnectionFactory, ResourceAdapterAssociation, ValidatingManagedConnectionFactory {
    private static final long serialVersionUID = 1L;

    @ConfigProperty(description = "The store file: absolute, or relative to jboss.server.data.dir")
    private String path;

    @ConfigProperty(defaultValue = StoreKind.DEFAULT, description = "basic or multi")
    private String kind = StoreKind.DEFAULT;

    @ConfigProperty(defaultValue = "0", description = "Most Late handles doing I/O at once; 0 = unlimited")
    private Integer diskTokens = 0;

    @ConfigProperty(defaultValue = "true", description = "Create the store if the file is missing")
    private Boolean create = Boolean.TRUE;

    /** A {@link StoreResourceAdapter}, checked by {@link #setResourceAdapter}. */
    private transient ResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    /** The checked configuration, computed on first need; reset by every setter. */
    private transient volatile StoreSpec spec;

    /** The JavaBean constructor the server uses. */
    public StoreManagedConnectionFactory() {}

    // ---------------------------------------------------------------- config properties

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
        spec = null;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
        spec = null;
    }

    public Integer getDiskTokens() {
        return diskTokens;
    }

    public void setDiskTokens(Integer diskTokens) {
        this.diskTokens = diskTokens;
        spec = null;
    }

    public Boolean getCreate() {
        return create;
    }

    public void setCreate(Boolean create) {
        this.create = create;
        spec = null;
    }

    /**
     * The checked configuration (see {@link StorePaths} for {@code path}). With
     * {@code create=true} this creates the store's directory.
     *
     * @throws jakarta.resource.spi.InvalidPropertyException naming the property at fault
     */
    StoreSpec spec() throws ResourceException {
        StoreSpec s = spec;
        if (s == null) {
            StoreKind k = StoreKind.parse(kind);
            int tokens = diskTokens == null ? 0 : diskTokens;
            if (tokens < 0) {
                throw RarErrors.badDiskTokens(tokens);
            }
            boolean mayCreate = create == null || create;
            s = new StoreSpec(StorePaths.canonical(path, StorePaths.baseDirectory(), mayCreate), k, tokens, mayCreate);
            spec = s;
        }
        return s;
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
        spec();
        resourceAdapter = ours;
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
     * A new managed connection holding a reference to the shared store of this definition's path,
     * opening the store if it is the first. {@code subject} and {@code info} are ignored (there is
     * no per-user state), so servers may pass null for both.
     *
     * @throws ResourceException naming the property at fault if the store cannot be opened
     */
    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (!(resourceAdapter instanceof StoreResourceAdapter adapter)) {
            throw RarErrors.notAssociated();
        }
        StoreRegistry registry = adapter.registry();
        return new StoreManagedConnection(registry, registry.acquire(spec()));
    }

    /** The first candidate that is a live connection to the same path and kind, else null. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        StoreSpec wanted = spec();
        for (Object candidate : candidates) {
            if (candidate instanceof StoreManagedConnection mc && mc.serves(wanted)) {
                return mc;
            }
        }
        return null;
    }

    /** The candidates whose store is closed, failed or gone, or that were destroyed. */
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
                && Objects.equals(path, other.path)
                && Objects.equals(kind, other.kind)
                && Objects.equals(diskTokens, other.diskTokens)
                && Objects.equals(create, other.create);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, kind, diskTokens, create);
    }

    @Override
    public String toString() {
        return "StoreManagedConnectionFactory[path=" + path + ", kind=" + kind + ", diskTokens=" + diskTokens
                + ", create=" + create + "]";
    }
}
