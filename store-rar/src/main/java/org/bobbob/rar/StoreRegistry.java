package org.bobbob.rar;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bobbob.store.Backup;
import org.bobbob.store.BackupReport;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.VerifyReport;

/**
 * The open stores of one {@link StoreResourceAdapter}: one {@link ConcurrentStore} per
 * {@linkplain StoreTarget#key() store key} (the canonical path of a store file; the kind and
 * location of any other provider's store), shared by every managed connection for that key, from
 * any connection definition.
 *
 * <ul>
 *   <li>{@link #acquire} opens the store on first use, through the {@link StoreOpener} (every
 *       registered provider), and counts a reference; a later acquire of the same key must ask
 *       for the same kind and disk tokens.
 *   <li>{@link #release} drops a reference; the last one syncs and closes the store, so the
 *       file and its lock are free again (for a redeploy, or another process).
 *   <li>{@link #close} (adapter stop) syncs and closes every store whatever its count; handles
 *       still open then fail with {@code StoreClosedException}. Idempotent; logs, never throws.
 *   <li>A store marked failed is refused to new acquires until its last reference is released;
 *       the next acquire then reopens it from its last sync.
 * </ul>
 *
 * <p>Thread-safe. One monitor guards the map and the counts; opening and closing happen under
 * it, so an acquire never races the close of the same file (its lock would refuse the open).
 * That serialises opens of different stores too, which is rare enough not to matter.
 */
final class StoreRegistry implements StoreRegistryMXBean {
    private static final System.Logger LOG = System.getLogger(StoreRegistry.class.getName());

    private final StoreOpener opener;
    /** Guarded by {@code this}. */
    private final Map<String, SharedStore> stores = new HashMap<>();
    /** The counters of every key opened or asked about, kept while the adapter runs (see {@link StoreCounters}). */
    private final Map<String, StoreCounters> counters = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private boolean closed;

    StoreRegistry(StoreOpener opener) {
        this.opener = opener;
    }

    /**
     * Returns the shared store for {@code target}, opening it if needed, and counts one reference
     * that the caller must {@link #release}.
     *
     * @throws ResourceException naming the property at fault: the store cannot be opened, is open
     *     with another kind or disk-token count, or has failed; or the registry is closed
     */
    synchronized SharedStore acquire(StoreTarget target) throws ResourceException {
        if (closed) {
            throw RarErrors.notStarted();
        }
        SharedStore shared = stores.get(target.key());
        if (shared == null) {
            shared = new SharedStore(target, open(target), counters(target.key()));
            stores.put(target.key(), shared);
        } else if (!shared.target().kind().equals(target.kind())) {
            throw RarErrors.kindConflict(target, shared.target().kind());
        } else if (shared.target().diskTokens() != target.diskTokens()) {
            throw RarErrors.diskTokensConflict(target, shared.target().diskTokens());
        } else if (shared.failure() != null) {
            throw RarErrors.storeFailed(target.key(), shared.references(), shared.failure());
        }
        shared.retain();
        return shared;
    }

    /** Opens the store; disk tokens are applied once, by the {@code ConcurrentStore} layer. */
    private ConcurrentStore open(StoreTarget target) throws ResourceException {
        Storer opened;
        try {
            opened = opener.open(target.url());
        } catch (IOException e) {
            throw RarErrors.openFailed(target, e);
        }
        return opened instanceof ConcurrentStore concurrent
                ? concurrent
                : ConcurrentStore.wrap(opened, target.diskTokens());
    }

    /**
     * Drops one reference to {@code shared}; the last one syncs and closes it. Does nothing once
     * the registry has closed it.
     *
     * @throws IOException if the final sync or close fails (the store is closed all the same)
     */
    synchronized void release(SharedStore shared) throws IOException {
        if (stores.get(shared.target().key()) != shared || shared.releaseOne() > 0) {
            return;
        }
        stores.remove(shared.target().key());
        closeOne(shared);
    }

    /** Carries what {@code shared}'s store counted over to its key's counters, then closes it. */
    private static void closeOne(SharedStore shared) throws IOException {
        shared.counters().storeClosing(shared.rawStore());
        shared.close();
    }

    /** The counters of store key {@code key}, made on first need. */
    StoreCounters counters(String key) {
        return counters.computeIfAbsent(key, k -> new StoreCounters());
    }

    /** The store with key {@code key} if it is open and usable, else null (for statistics). */
    ConcurrentStore openStore(String key) {
        SharedStore shared;
        synchronized (this) {
            shared = stores.get(key);
        }
        if (shared == null) {
            return null;
        }
        try {
            return shared.store();
        } catch (StoreException e) {
            return null;
        }
    }

    /**
     * The periodic task: checks that every open store's file is still the one it opened (see
     * {@link SharedStore#checkFile()}: a store whose file was deleted, moved or replaced is marked
     * failed, so the pool's next validation evicts its connections), then syncs the others. The
     * stores are checked and synced outside the registry's lock, so opens and releases do not wait
     * for the disk; a store closed meanwhile is skipped. Failures are logged, not thrown: the store
     * is marked failed by the connections that hit it.
     */
    void syncAll() {
        List<SharedStore> open;
        synchronized (this) {
            open = new ArrayList<>(stores.values());
        }
        for (SharedStore shared : open) {
            if (shared.checkFile()) {
                LOG.log(System.Logger.Level.ERROR, shared.failure().getMessage());
                continue;
            }
            try {
                shared.sync();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "periodic sync of " + shared + " failed; the next one retries", e);
            }
        }
    }

    /** Syncs and closes every store (see the class comment). Idempotent; failures are logged. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SharedStore shared : stores.values()) {
            try {
                closeOne(shared);
            } catch (IOException | RuntimeException e) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "closing " + shared + " at adapter stop failed; it reopens" + " at its last completed sync",
                        e);
            }
        }
        stores.clear();
    }

    // ---------------------------------------------------------------- StoreRegistryMXBean

    @Override
    public synchronized int getOpenStores() {
        return stores.size();
    }

    @Override
    public synchronized String[] getPaths() {
        return stores.keySet().stream().sorted().toArray(String[]::new);
    }

    @Override
    public synchronized int referenceCount(String path) {
        SharedStore shared = stores.get(path);
        return shared == null ? 0 : shared.references();
    }

    @Override
    public int activeTransactions(String path) {
        TransactionCounts counts = transactionCounts(path);
        return counts == null ? 0 : counts.active();
    }

    @Override
    public int inDoubtBranches(String path) {
        TransactionCounts counts = transactionCounts(path);
        return counts == null ? 0 : counts.inDoubt();
    }

    /** The transaction counts of the open store with key {@code path}, or null. */
    private TransactionCounts transactionCounts(String path) {
        SharedStore shared;
        synchronized (this) {
            shared = stores.get(path);
        }
        if (shared == null) {
            return null;
        }
        try {
            ConcurrentStore store = shared.store();
            return store.isWrapperFor(TransactionalStore.class)
                    ? store.unwrap(TransactionalStore.class).transactionCounts()
                    : null;
        } catch (StoreException e) {
            return null;
        }
    }

    @Override
    public String backup(String path, String target) {
        ConcurrentStore store = openForOperation(path);
        Path to = StorePaths.baseDirectory().resolve(target);
        try {
            BackupReport r = store.unwrap(Backup.class).backupTo(to);
            return String.format(
                    Locale.ROOT,
                    "backup of %s to %s: %d objects, %d bytes in %.3f ms; writers paused at most %.3f ms",
                    path,
                    r.target(),
                    r.objects(),
                    r.bytes(),
                    r.duration().toNanos() / 1e6,
                    r.longestWriterPause().toNanos() / 1e6);
        } catch (IOException | RuntimeException e) {
            throw operationFailed("backup", path, e);
        }
    }

    @Override
    public String verify(String path, boolean readAll) {
        ConcurrentStore store = openForOperation(path);
        VerifyReport r;
        try {
            r = store.unwrap(StoreVerifier.class).verify(readAll);
        } catch (IOException | RuntimeException e) {
            throw operationFailed("verify", path, e);
        }
        StringBuilder text = new StringBuilder();
        text.append(r.ok() ? "ok" : r.problems().size() + " problems")
                .append(": ")
                .append(r.objects())
                .append(" objects");
        if (readAll) {
            text.append(", ")
                    .append(r.objectsRead())
                    .append(" read (")
                    .append(r.bytesRead())
                    .append(" bytes)");
        }
        for (VerifyReport.Problem p : r.problems()) {
            text.append('\n').append(p);
        }
        for (String note : r.notes()) {
            text.append("\nnote: ").append(note);
        }
        return text.toString();
    }

    /** The store with key {@code path}, for an MBean operation; the message lists the open keys if it is not open. */
    private ConcurrentStore openForOperation(String path) {
        ConcurrentStore store = openStore(path);
        if (store == null) {
            throw new IllegalArgumentException("no open and usable store has key " + path
                    + " (a failed store is refused until its connections are gone); the open stores' keys: "
                    + Arrays.toString(getPaths()));
        }
        return store;
    }

    /**
     * A failed operation as a JDK exception a remote JMX client can read: the store's message, no
     * cause (its class may be missing there). The cause is logged here.
     */
    private static IllegalStateException operationFailed(String operation, String path, Exception e) {
        LOG.log(System.Logger.Level.WARNING, operation + " of " + path + " failed", e);
        return new IllegalStateException(e.getMessage() != null ? e.getMessage() : e.toString());
    }

    @Override
    public synchronized String toString() {
        return "StoreRegistry" + stores.values() + (closed ? " (closed)" : "");
    }
}
