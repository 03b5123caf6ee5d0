package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.StoreFile;

/**
 * The engine's entry points for the public factories in {@code org.bobbob.store}
 * ({@code BasicStore}, {@code MultiStore}, {@code ConcurrentStore}, {@code StoreManager}), so
 * that everything else in this package stays package-private. Arguments are checked by the
 * callers (the public edge), except where a method says otherwise.
 */
public final class Engines {
    /** The default of the URL key {@code lockTimeoutMillis}: how long a transaction waits for an object. */
    public static final long DEFAULT_LOCK_TIMEOUT_MILLIS = FileStore.DEFAULT_LOCK_TIMEOUT_MILLIS;

    private Engines() {}

    /**
     * A basic store (one extent allocator, runs) at {@code path}, through the write-combining cache;
     * reads compare their bytes with the recorded CRC32C when {@code verifyChecksums}.
     */
    public static Storer basic(Path path, OpenMode mode, boolean verifyChecksums) throws IOException {
        return basic(path, mode, verifyChecksums, DEFAULT_LOCK_TIMEOUT_MILLIS);
    }

    /** As {@link #basic(Path, OpenMode, boolean)}; transactions wait up to {@code lockTimeoutMillis} for an object. */
    public static Storer basic(Path path, OpenMode mode, boolean verifyChecksums, long lockTimeoutMillis)
            throws IOException {
        return new FileStore(combined(path, mode), AllocatorFactory.BASIC, mode, verifyChecksums, lockTimeoutMillis);
    }

    /** A multi store (size-classed slots) at {@code path}; otherwise as {@link #basic}. */
    public static Storer multi(Path path, OpenMode mode, boolean verifyChecksums) throws IOException {
        return multi(path, mode, verifyChecksums, DEFAULT_LOCK_TIMEOUT_MILLIS);
    }

    /** As {@link #multi(Path, OpenMode, boolean)}; transactions wait up to {@code lockTimeoutMillis} for an object. */
    public static Storer multi(Path path, OpenMode mode, boolean verifyChecksums, long lockTimeoutMillis)
            throws IOException {
        return new FileStore(combined(path, mode), AllocatorFactory.MULTI, mode, verifyChecksums, lockTimeoutMillis);
    }

    private static StoreFile combined(Path path, OpenMode mode) throws IOException {
        return CombiningStoreFile.over(ChannelStoreFile.open(path, mode.mayCreateFile()));
    }

    /**
     * The locking wrapper ({@link ConcurrentStore}) over {@code inner}, with a cap of
     * {@code diskTokens} concurrent handles (0 = none).
     *
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    public static ConcurrentStore locking(Storer inner, int diskTokens, Duration closeTimeout) {
        return LockingStore.wrap(inner, diskTokens, closeTimeout);
    }

    /**
     * Checks a disk-token cap before anything is opened.
     *
     * @throws IllegalArgumentException if {@code diskTokens < 0}
     */
    public static int checkDiskTokens(int diskTokens) {
        DiskTokens.of(diskTokens);
        return diskTokens;
    }

    /** The kind ({@code "basic"} or {@code "multi"}) in the header of the store file at {@code path}; see {@code StoreManager.kindOf}. */
    public static String kindOf(Path path) throws IOException {
        return RecordLoader.kindOf(path);
    }
}
