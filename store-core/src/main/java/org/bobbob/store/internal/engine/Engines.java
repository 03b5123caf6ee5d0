package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.io.BackupTap;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.PreallocatingStoreFile;
import org.bobbob.store.internal.io.ReadOnlyStoreFile;
import org.bobbob.store.internal.io.WritebackStoreFile;

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
        return open(path, AllocatorFactory.BASIC, mode, verifyChecksums, lockTimeoutMillis);
    }

    /** A multi store (size-classed slots) at {@code path}; otherwise as {@link #basic}. */
    public static Storer multi(Path path, OpenMode mode, boolean verifyChecksums) throws IOException {
        return multi(path, mode, verifyChecksums, DEFAULT_LOCK_TIMEOUT_MILLIS);
    }

    /** As {@link #multi(Path, OpenMode, boolean)}; transactions wait up to {@code lockTimeoutMillis} for an object. */
    public static Storer multi(Path path, OpenMode mode, boolean verifyChecksums, long lockTimeoutMillis)
            throws IOException {
        return open(path, AllocatorFactory.MULTI, mode, verifyChecksums, lockTimeoutMillis);
    }

    /**
     * The file, forced in the background every few tens of megabytes written
     * ({@link WritebackStoreFile}), zeros kept ahead of its data ({@link PreallocatingStoreFile}), a
     * {@link BackupTap} over that, the write-combining layer over that, and the engine.
     */
    private static FileStore open(
            Path path, AllocatorFactory factory, OpenMode mode, boolean verifyChecksums, long lockTimeoutMillis)
            throws IOException {
        BackupTap tap = new BackupTap(PreallocatingStoreFile.over(
                WritebackStoreFile.over(ChannelStoreFile.open(path, mode.mayCreateFile()))));
        return new FileStore(
                CombiningStoreFile.over(tap, factory.writeChunkBits(), factory.writeLoadBits()),
                tap,
                factory,
                mode,
                verifyChecksums,
                lockTimeoutMillis);
    }

    /**
     * Checks the store file at {@code path} without changing it ({@code info} and {@code verify}
     * of the tool): see {@link FileCheck}. Holds a shared lock on the file meanwhile.
     *
     * @param readAll  whether to read every object and compare it with its checksum too
     * @param progress told the object bytes read so far
     * @throws StoreException BOB-203 if the file is missing, BOB-206 if it is a directory, BOB-202
     *     if a store has it open; problems in the file are in the report, not thrown
     */
    public static FileReport check(Path path, boolean readAll, LongConsumer progress) throws IOException {
        try (ReadOnlyStoreFile file = ReadOnlyStoreFile.open(path)) {
            return FileCheck.check(file, readAll, false, progress);
        }
    }

    /**
     * Gives back what the store file at {@code path} can give back without changing an object id:
     * opens it (settling a crash, as every open does), builds its state, and closes it: close makes
     * both header slots name one whole record, no journal, and cuts the free tail (empty blocks are
     * free space already). Objects never move: an id holds its object's place, so holes between
     * objects stay.
     *
     * @throws StoreException BOB-203 if the file is missing, BOB-202 if a store has it open,
     *     BOB-301 if it is corrupted (nothing is written then)
     */
    public static CompactReport compact(Path path) throws IOException {
        String kind = kindOf(path);
        AllocatorFactory factory = kind.equals("basic") ? AllocatorFactory.BASIC : AllocatorFactory.MULTI;
        long before = java.nio.file.Files.size(path);
        long objects;
        try (FileStore store = open(path, factory, OpenMode.OPEN, true, DEFAULT_LOCK_TIMEOUT_MILLIS)) {
            objects = store.stats().objects(); // builds the allocator state: checks the record first
        } // close writes a whole record into both slots and cuts the free tail
        FileReport after = check(path, false, done -> {});
        long holes = 0;
        for (FileReport.SizeClassFigures h : after.holes()) {
            holes += h.count();
        }
        return new CompactReport(before, after.fileBytes(), after.freeBytes() + after.slotBytes(), holes, objects);
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
