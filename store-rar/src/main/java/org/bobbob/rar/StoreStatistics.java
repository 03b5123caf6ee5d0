package org.bobbob.rar;

import jakarta.resource.ResourceException;
import java.io.Serial;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreStats;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.jboss.jca.core.spi.statistics.StatisticsPlugin;

/**
 * The statistics of one connection definition's store, through IronJacamar's statistics SPI:
 * WildFly shows them as the {@code statistics=extended} child of the definition (every figure a
 * {@code long}), and its {@code :clear-statistics} operation calls {@link #clear()}. See
 * docs/RAR.md, <em>Watching a store</em>.
 *
 * <table>
 *   <caption>Figures</caption>
 *   <tr><th>kind</th><th>names</th><th>from</th></tr>
 *   <tr><td>the store now</td><td>{@code Objects}, {@code LiveBytes}, {@code FileBytes},
 *       {@code FreeBytes}, {@code OpenLateHandles}, {@code TransactionsActive},
 *       {@code TransactionsInDoubt}, {@code OldestInDoubtTime}</td><td>the open store's
 *       {@link StatisticsProvider} and {@link TransactionCounts}; 0 while the store is not open
 *       (no connection holds it); the open Late handles are counted by the adapter</td></tr>
 *   <tr><td>counted since the adapter started, or the last clear</td><td>{@code Reads},
 *       {@code Writes}, {@code Deletes}, {@code BytesRead}, {@code BytesWritten}, {@code Syncs},
 *       {@code SyncTime}, {@code DiskTokenWaits}, {@code LockWaits},
 *       {@code TransactionsCommitted}, {@code TransactionsRolledBack}</td><td>{@link StoreCounters}</td></tr>
 * </table>
 *
 * <p>The figures are the store's, not the definition's: definitions of one activation that name
 * the same store show the same figures, and a clear through one clears them for all. The adapter
 * counts whether statistics are enabled or not (a counter costs a few nanoseconds per call);
 * {@link #isEnabled()} only reports what the server set.
 *
 * <p>Thread-safe. Serializable as the SPI demands; it refers to its factory only.
 */
final class StoreStatistics implements StatisticsPlugin {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Name → description, in the order an administrator reads them. */
    private static final Map<String, String> FIGURES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Objects", "Live objects in the store (0 while it is not open)");
        m.put("LiveBytes", "Sum of the live objects' sizes, in bytes");
        m.put("FileBytes", "Bytes the store's allocator has claimed in the file (its end)");
        m.put("FreeBytes", "Bytes in holes the store reuses for new objects");
        m.put("Reads", "readBytesFromObj calls and Late readers opened through the adapter's connections");
        m.put(
                "Writes",
                "Objects written through the adapter's connections: newObj, writeNewObjFromBytes,"
                        + " writeBytesToObj, each object of writeBatchedObjs, each Late writer opened");
        m.put("Deletes", "deleteObj calls through the adapter's connections");
        m.put("BytesRead", "Bytes read by readBytesFromObj and through Late readers");
        m.put(
                "BytesWritten",
                "Bytes written by writeNewObjFromBytes, writeBytesToObj, writeBatchedObjs"
                        + " and through Late writers");
        m.put("Syncs", "sync() calls through the adapter's connections and the adapter's periodic syncs");
        m.put("SyncTime", "Milliseconds spent in those syncs, in total");
        m.put("OpenLateHandles", "ObjectReaders and ObjectWriters open now through the adapter's connections");
        m.put("DiskTokenWaits", "Late handles and calls that had to wait for a disk token");
        m.put("LockWaits", "Calls that had to wait for an object another call or a transaction held");
        m.put("TransactionsActive", "Transactions and XA branches under way now");
        m.put("TransactionsInDoubt", "XA branches prepared and not yet committed or rolled back");
        m.put("OldestInDoubtTime", "Milliseconds the oldest in-doubt branch has been in doubt (0: none)");
        m.put("TransactionsCommitted", "Transactions and XA branches committed");
        m.put("TransactionsRolledBack", "Transactions and XA branches rolled back");
        FIGURES = Collections.unmodifiableMap(m);
    }

    private final StoreManagedConnectionFactory factory;
    private volatile boolean enabled;

    StoreStatistics(StoreManagedConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public Set<String> getNames() {
        return FIGURES.keySet();
    }

    /** {@code long.class} for every figure; null for an unknown name. */
    @Override
    public Class<?> getType(String name) {
        return FIGURES.containsKey(name) ? long.class : null;
    }

    @Override
    public String getDescription(String name) {
        return FIGURES.get(name);
    }

    /** The English description whatever the locale. */
    @Override
    public String getDescription(String name, Locale locale) {
        return getDescription(name);
    }

    /**
     * The figure {@code name} now, a {@link Long}; null for an unknown name. 0 for every figure
     * while the factory is not associated with a started adapter.
     */
    @Override
    public Object getValue(String name) {
        if (!FIGURES.containsKey(name)) {
            return null;
        }
        StoreRegistry registry;
        StoreTarget target;
        try {
            registry = factory.registry();
            target = factory.target();
        } catch (ResourceException e) {
            return 0L;
        }
        StoreCounters c = registry.counters(target.key());
        ConcurrentStore open = registry.openStore(target.key());
        return switch (name) {
            case "Reads" -> c.reads.sum();
            case "Writes" -> c.writes.sum();
            case "Deletes" -> c.deletes.sum();
            case "BytesRead" -> c.bytesRead.sum();
            case "BytesWritten" -> c.bytesWritten.sum();
            case "Syncs" -> c.syncs.sum();
            case "SyncTime" -> TimeUnit.NANOSECONDS.toMillis(c.syncNanos.sum());
            case "OpenLateHandles" -> c.openLateHandles.sum();
            case "DiskTokenWaits" -> c.storeFigures(open)[StoreCounters.DISK_TOKEN_WAITS];
            case "LockWaits" -> c.storeFigures(open)[StoreCounters.LOCK_WAITS];
            case "TransactionsCommitted" -> c.storeFigures(open)[StoreCounters.COMMITTED];
            case "TransactionsRolledBack" -> c.storeFigures(open)[StoreCounters.ROLLED_BACK];
            case "TransactionsActive" -> (long) transactions(open).active();
            case "TransactionsInDoubt" -> (long) transactions(open).inDoubt();
            case "OldestInDoubtTime" -> transactions(open).oldestInDoubtMillis();
            default -> usage(open, name);
        };
    }

    private static long usage(ConcurrentStore open, String name) {
        StoreStats s;
        try {
            if (open == null || !open.isWrapperFor(StatisticsProvider.class)) {
                return 0L;
            }
            s = open.unwrap(StatisticsProvider.class).stats();
        } catch (StoreException | RuntimeException e) {
            return 0L; // closed meanwhile
        }
        return switch (name) {
            case "Objects" -> s.objects();
            case "LiveBytes" -> s.liveBytes();
            case "FileBytes" -> s.fileBytes();
            default -> s.freeBytes();
        };
    }

    private static TransactionCounts transactions(ConcurrentStore open) {
        try {
            if (open != null && open.isWrapperFor(TransactionalStore.class)) {
                return open.unwrap(TransactionalStore.class).transactionCounts();
            }
        } catch (StoreException e) {
            // closed meanwhile
        }
        return new TransactionCounts(0, 0, 0, 0, 0, 0);
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    /** Records what the server set; counting goes on either way (see the class comment). */
    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Starts the counted figures of this definition's store again from 0 (see
     * {@link StoreCounters#clear}); the figures of the store now are what they are. Does nothing
     * while the factory is not associated with a started adapter.
     */
    @Override
    public void clear() {
        try {
            StoreRegistry registry = factory.registry();
            String key = factory.target().key();
            registry.counters(key).clear(registry.openStore(key));
        } catch (ResourceException e) {
            // nothing counted yet
        }
    }

    @Override
    public String toString() {
        return "StoreStatistics[" + factory + "]";
    }
}
