package org.bobbob.rar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreClosedException;

/**
 * One open store and the managed connections that share it. Created, counted and closed only by
 * its {@link StoreRegistry}; everything else only reads its state.
 *
 * <p>States: <em>open</em> → <em>failed</em> (a managed connection saw an I/O error or corruption:
 * refused to every caller, kept open only until its last reference goes) → <em>closed</em>.
 *
 * <p>Two checks, apart because of their cost: {@link #isUsable()}, which the server's validation
 * calls on every match, reads two fields and does no I/O; {@link #checkFile()}, run by the
 * periodic sync, asks the file system whether the store's file is still the one it opened and
 * marks the store failed when it is not, so the next validation evicts its connections.
 * Thread-safe.
 */
final class SharedStore {
    private final StoreTarget target;
    private final ConcurrentStore store;
    /** Managed connections holding this store. Guarded by the owning registry's monitor. */
    private int references;
    /** Set once by {@link #close()}; volatile so that callers on other threads see it at once. */
    private volatile boolean closed;
    /** The first fatal error reported, or null. */
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    /**
     * The store file's identity when it was opened ({@link BasicFileAttributes#fileKey()}, the
     * device and inode on Unix), or null: no file, or the file system has no such key.
     */
    private final Object fileKey;
    /** What the adapter counts for this store's key (shared with the stores the key had before). */
    private final StoreCounters counters;

    /** Reads the identity of {@code target}'s file, if it has one: call right after opening it. */
    SharedStore(StoreTarget target, ConcurrentStore store, StoreCounters counters) {
        this.target = target;
        this.store = store;
        this.counters = counters;
        this.fileKey = target.file() == null ? null : fileKey(target.file());
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // the periodic check then only asks whether the file exists
        }
    }

    StoreTarget target() {
        return target;
    }

    StoreCounters counters() {
        return counters;
    }

    /** The store whatever its state, for the registry's bookkeeping at close. */
    ConcurrentStore rawStore() {
        return store;
    }

    /**
     * The store, for one call.
     *
     * @throws StoreClosedException if it is closed or failed (naming the failure)
     */
    ConcurrentStore store() throws StoreClosedException {
        IOException failed = failure.get();
        if (closed || failed != null) {
            throw RarErrors.storeUnusable(target.key(), failed);
        }
        return store;
    }

    /**
     * Open and not failed. No I/O: the server calls this on every match. Whether the file is
     * still there is {@link #checkFile()}'s business.
     */
    boolean isUsable() {
        return !closed && failure.get() == null;
    }

    /**
     * Marks this store failed ({@code [BOB-631]}) if its file was deleted, moved or replaced by
     * another file since it was opened; does nothing for a closed or failed store, or one without
     * a file. A file that cannot be read for another reason is left to the next check (and to the
     * connections' own I/O errors).
     *
     * @return whether this call marked the store failed
     */
    boolean checkFile() {
        Path file = target.file();
        if (file == null || !isUsable()) {
            return false;
        }
        String gone;
        try {
            Object now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            if (fileKey == null || Objects.equals(fileKey, now)) {
                return false;
            }
            gone = "was replaced by another file";
        } catch (NoSuchFileException e) {
            gone = "was deleted or moved";
        } catch (IOException e) {
            return false;
        }
        return failure.compareAndSet(null, RarErrors.storeFileGone(target.key(), gone));
    }

    /** Marks the store failed; the first failure is kept. */
    void fail(IOException cause) {
        failure.compareAndSet(null, cause);
    }

    /** The first failure, or null. */
    IOException failure() {
        return failure.get();
    }

    // ---------------------------------------------------------------- for the registry, under its lock

    int references() {
        return references;
    }

    void retain() {
        references++;
    }

    /** Drops one reference; returns how many are left. */
    int releaseOne() {
        assert references > 0 : "released more often than retained: " + target.key();
        return --references;
    }

    /** Syncs the store unless it is closed or failed (for the periodic sync); counts the sync. */
    void sync() throws IOException {
        if (closed || failure.get() != null || store.isClosed()) {
            return;
        }
        try {
            long start = System.nanoTime();
            store.sync();
            counters.synced(System.nanoTime() - start);
        } catch (StoreClosedException closing) {
            // closed between the check and the sync: nothing left to do
        }
    }

    /** Syncs and closes the store (see {@link ConcurrentStore#close()}). Idempotent. */
    void close() throws IOException {
        closed = true;
        references = 0;
        store.close();
    }

    @Override
    public String toString() {
        return "SharedStore[" + target.key() + ", " + target.kind() + ", references=" + references
                + (closed ? ", closed" : failure.get() != null ? ", failed" : "") + "]";
    }
}
