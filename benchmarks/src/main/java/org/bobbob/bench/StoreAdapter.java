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
 * once when {@link Kind#threadSafe()} (W4); everything else is called from one thread.
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

    /** The store's own estimate of its bookkeeping heap, or -1. */
    default long bookkeepingEstimate() {
        return -1;
    }

    /** The directory the store keeps its files in. */
    Path dir();

    /** Bytes of every file in {@link #dir()}. */
    default long fileBytes() {
        try (Stream<Path> files = Files.walk(dir())) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // gone meanwhile (a WAL file rolled over)
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stores the comparison knows. */
    enum Kind {
        BASIC("basic", Role.BOBBOB, false),
        MULTI("multi", Role.BOBBOB, false),
        CONC_MULTI("conc-multi", Role.BOBBOB, true),
        MVSTORE("mvstore", Role.PEER, true),
        MAPDB("mapdb", Role.PEER, true),
        LMDB("lmdb", Role.PEER, true),
        RAW_PWRITE("raw-pwrite", Role.RAW, true),
        RAW_BUFFERED("raw-buffered", Role.RAW, true);

        enum Role { BOBBOB, PEER, RAW }

        private final String label;
        private final Role role;
        private final boolean threadSafe;

        Kind(String label, Role role, boolean threadSafe) {
            this.label = label;
            this.role = role;
            this.threadSafe = threadSafe;
        }

        public String label() {
            return label;
        }

        public Role role() {
            return role;
        }

        /** Whether W4 runs it with more than one thread. */
        public boolean threadSafe() {
            return threadSafe;
        }

        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown store '" + label + "'; known: " + labels());
        }

        public static String labels() {
            StringBuilder sb = new StringBuilder();
            for (Kind k : values()) {
                sb.append(sb.length() == 0 ? "" : ",").append(k.label);
            }
            return sb.toString();
        }

        /** The existing store of this kind in {@code dir}. */
        public StoreAdapter open(Path dir, Options o) throws Exception {
            return switch (this) {
                case BASIC, MULTI, CONC_MULTI -> new BobbobAdapter(this, dir, false);
                case RAW_PWRITE -> org.bobbob.bench.peers.RawAdapter.open(dir, 0);
                case RAW_BUFFERED -> org.bobbob.bench.peers.RawAdapter.open(dir, o.rawBuffer());
                default -> create(dir, o); // the peers open what is there
            };
        }

        /** A new, empty store of this kind in {@code dir} (which must exist and be empty). */
        public StoreAdapter create(Path dir, Options o) throws Exception {
            return switch (this) {
                case BASIC, MULTI, CONC_MULTI -> new BobbobAdapter(this, dir, true);
                case MVSTORE -> new org.bobbob.bench.peers.MvStoreAdapter(dir);
                case MAPDB -> new org.bobbob.bench.peers.MapDbAdapter(dir, o.mapdbMmap());
                case LMDB -> new org.bobbob.bench.peers.LmdbAdapter(dir, o.lmdbBatch());
                case RAW_PWRITE -> new org.bobbob.bench.peers.RawAdapter(dir, 0);
                case RAW_BUFFERED -> new org.bobbob.bench.peers.RawAdapter(dir, o.rawBuffer());
            };
        }
    }

    /** Store settings the children need. */
    record Options(boolean mapdbMmap, int lmdbBatch, int rawBuffer) {}
}
