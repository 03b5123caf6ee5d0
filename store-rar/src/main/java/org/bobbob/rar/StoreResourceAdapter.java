package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.lang.management.ManagementFactory;
import java.util.Timer;
import java.util.TimerTask;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.transaction.xa.XAResource;

/**
 * The bobbob resource adapter: owns the {@link StoreRegistry} that its connection definitions
 * share, so that every managed connection for one store (one file, or one location of another
 * provider's kind), from any connection definition of this adapter, uses one open store.
 *
 * <ul>
 *   <li>{@link #start} creates the registry and registers its MBean
 *       ({@code org.bobbob:type=StoreRegistry,adapter=<id>}); it opens no file. Stores open on
 *       first use.
 *   <li>{@link #stop} syncs and closes every store; handles still open then fail with
 *       {@code StoreClosedException}. Idempotent; it logs and never throws.
 *   <li>Every {@link #getSyncIntervalMillis()} milliseconds (default 1000; 0 = never) a timer from
 *       the server ({@link BootstrapContext#createTimer()}) syncs every open store, so that a crash
 *       of the server loses at most about that much work, and space freed by deletes is reused
 *       without the application calling {@code sync()}. A sync with nothing new to write costs
 *       nothing. The same task first checks that each store's file is still the one it opened; a
 *       store whose file was deleted, moved or replaced is marked failed, and the pool's next
 *       validation evicts its connections (see {@link StoreRegistry#syncAll()}).
 *   <li>Outbound only, {@code XATransaction}: connections enlist in the caller's JTA transaction
 *       (see {@link StoreManagedConnection}); an administrator may lower a connection definition to
 *       {@code LocalTransaction} or {@code NoTransaction}. Every other property is on the
 *       {@link StoreManagedConnectionFactory}.
 * </ul>
 *
 * <p>Each activation of the RAR (its {@code ironjacamar.xml}, or each {@code resource-adapter}
 * of WildFly's subsystem naming the archive) is a separate instance with its own registry. Two
 * activations must not name the same store file: the second open fails on the file's lock.
 */
@Connector(
        displayName = "bobbob store",
        description = "Pooled connections to bobbob single-file blob stores; one shared store per path",
        vendorName = "bobbob",
        eisType = "bobbob blob store",
        version = "0.1",
        transactionSupport = TransactionSupportLevel.XATransaction,
        reauthenticationSupport = false)
public final class StoreResourceAdapter implements ResourceAdapter {
    private static final System.Logger LOG = System.getLogger(StoreResourceAdapter.class.getName());

    private final StoreOpener opener;
    /**
     * Non-null between start and stop. Volatile: managed connection factories read it from
     * request threads; start/stop write it from the deployer's thread.
     */
    private volatile StoreRegistry registry;

    private ObjectName mbeanName;
    private Timer syncTimer;
    /** Volatile: equals/hashCode read it without the lock (a lock there could deadlock two adapters). */
    private volatile long syncIntervalMillis = DEFAULT_SYNC_INTERVAL_MILLIS;

    /** How often open stores are synced unless configured otherwise. */
    static final long DEFAULT_SYNC_INTERVAL_MILLIS = 1000;

    /** The JavaBean constructor the server uses. */
    public StoreResourceAdapter() {
        this(StoreOpener.PROVIDERS);
    }

    /** With another way of opening stores (tests inject failures here). */
    StoreResourceAdapter(StoreOpener opener) {
        this.opener = opener;
    }

    /** Milliseconds between syncs of every open store; 0 turns the periodic sync off. */
    @ConfigProperty(
            defaultValue = "1000",
            description = "Milliseconds between syncs of every open store (0 = only"
                    + " when the application calls sync(), and at close)")
    public synchronized void setSyncIntervalMillis(Long millis) {
        if (millis == null || millis < 0) {
            throw RarErrors.badSyncInterval(millis);
        }
        this.syncIntervalMillis = millis;
    }

    public Long getSyncIntervalMillis() {
        return syncIntervalMillis;
    }

    /**
     * Creates the registry, registers its MBean and schedules the periodic sync on a timer the
     * server provides (none without a context, as in plain tests). Returns at once: no file is
     * opened here.
     */
    @Override
    public synchronized void start(BootstrapContext context) {
        if (registry != null) {
            return;
        }
        StoreRegistry created = new StoreRegistry(opener);
        mbeanName = register(created);
        registry = created;
        if (context != null && syncIntervalMillis > 0) {
            try {
                syncTimer = context.createTimer();
                syncTimer.schedule(
                        new TimerTask() {
                            @Override
                            public void run() {
                                created.syncAll();
                            }
                        },
                        syncIntervalMillis,
                        syncIntervalMillis);
            } catch (UnavailableException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "no timer from the server: stores are synced only when"
                                + " applications call sync() and at close",
                        e);
            }
        }
    }

    /** Syncs and closes every store, and unregisters the MBean. Idempotent; never throws. */
    @Override
    public synchronized void stop() {
        StoreRegistry stopping = registry;
        registry = null;
        if (stopping == null) {
            return;
        }
        if (syncTimer != null) {
            syncTimer.cancel();
            syncTimer = null;
        }
        unregister(mbeanName);
        mbeanName = null;
        stopping.close();
    }

    /**
     * The running registry.
     *
     * @throws jakarta.resource.spi.IllegalStateException if the adapter is not started
     */
    StoreRegistry registry() throws ResourceException {
        StoreRegistry r = registry;
        if (r == null) {
            throw RarErrors.notStarted();
        }
        return r;
    }

    /** The registry's MBean name while started, else null. */
    synchronized ObjectName mbeanName() {
        return mbeanName;
    }

    private ObjectName register(StoreRegistry r) {
        try {
            ObjectName name = new ObjectName(
                    "org.bobbob:type=StoreRegistry,adapter=" + Integer.toHexString(System.identityHashCode(this)));
            ManagementFactory.getPlatformMBeanServer().registerMBean(r, name);
            return name;
        } catch (JMException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the store registry MBean could not be registered;" + " the adapter works without it",
                    e);
            return null;
        }
    }

    private static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unregistering MBean " + name + " failed", e);
        }
    }

    /** No inbound side. */
    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        throw RarErrors.noInbound();
    }

    /** No inbound side: nothing to do. */
    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        // nothing was activated
    }

    /** No XA: nothing to recover. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return null;
    }

    /** JavaBean equality over the configuration properties. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StoreResourceAdapter other && other.getSyncIntervalMillis() == syncIntervalMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(syncIntervalMillis) * 31 + StoreResourceAdapter.class.hashCode();
    }

    @Override
    public String toString() {
        StoreRegistry r = registry;
        return "StoreResourceAdapter[" + (r == null ? "stopped" : r) + "]";
    }
}
