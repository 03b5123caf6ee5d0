package org.bobbob.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the workloads need from a store, the same for bobbob and its peers. A store lives in its
 * own directory; {@link #fileBytes()} is every file in it.
 *
 * <p>Thread safety: {@link #get} and {@link #overwrite} may be called from several threads at
 * once when {@link Contender#threadSafe()} (W4), and so may {@link #put} (W9) and {@link #begin()}
 * (W6); everything else is called from one thread.
 */
public interface StoreAdapter {

    /** Stores a new object, returns its key. */
    long put(byte[] data) throws Exception;

    /** The whole object; throws if it does not exist. */
    byte[] get(long key) throws Exception;

    /** Replaces an object's content with {@code data} of the same size. */
    void overwrite(long key, byte[] data) throws Exception;

    /** Deletes an object; throws if it does not exist. */
    void delete(long key) throws Exception;

    /** Makes everything so far durable (fsync or the store's equivalent). */
    void durable() throws Exception;

    /** Closes the store (it makes its state durable as its close does). */
    void close() throws Exception;

    /** Opens the store again after {@link #close()}. */
    void reopen() throws Exception;

    /** The store's own compaction, if it has one. */
    default boolean canCompact() {
        return false;
    }

    /** Runs the store's own compaction; the store stays open. */
    default void compact() throws Exception {
        throw new UnsupportedOperationException("no compaction");
    }

    /**
     * Whether {@link #begin()} works: the store has durable transactions (W6). W6 skips stores that
     * have none.
     */
    default boolean transactional() {
        return false;
    }

    /**
     * Begins a durable transaction in the calling thread. A store that W6 uses is used through
     * transactions only: its objects are put, read, overwritten and deleted in transactions, never
     * by the calls above. When {@link Contender#threadSafe()}, several threads may each run their
     * own transaction at once.
     */
    default DurableTransaction begin() throws Exception {
        throw new UnsupportedOperationException("no transactions");
    }

    /** The store's own estimate of its bookkeeping heap, or -1. */
    default long bookkeepingEstimate() {
        return -1;
    }

    /** The directory the store keeps its files in. */
    Path dir();

    /** Bytes of every file in {@link #dir()}. */
    default long fileBytes() {
        try (Stream<Path> files = Files.walk(dir())) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0; // gone meanwhile (a WAL file rolled over)
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One transaction of a store (W6): its calls take effect together at {@link #commit()}, which
     * returns once they are durable. Used by one thread, the one that began it.
     */
    interface DurableTransaction {

        /** Stores a new object in the transaction, returns its key. */
        long put(byte[] data) throws Exception;

        /** The whole object as the transaction sees it; throws if it does not exist. */
        byte[] get(long key) throws Exception;

        /** Replaces an object's content with {@code data} of the same size. */
        void overwrite(long key, byte[] data) throws Exception;

        /** Deletes an object; throws if it does not exist. */
        void delete(long key) throws Exception;

        /** Commits the transaction; returns once its changes are durable. */
        void commit() throws Exception;
    }

    /** Store settings the children need. */
    record Options(boolean mapdbMmap, int lmdbBatch, int rawBuffer) {}
}
