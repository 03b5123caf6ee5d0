package org.bobbob.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bobbob.bench.peers.LmdbAdapter;
import org.bobbob.bench.peers.MapDbAdapter;
import org.bobbob.bench.peers.MvStoreAdapter;
import org.bobbob.bench.peers.RawAdapter;
import org.bobbob.bench.peers.RawRefillAdapter;

/**
 * The stores a comparison runs, each a contender: bobbob's own stores (opened through
 * {@link org.bobbob.store.StoreManager} by their provider kind), its peers, and the raw-file
 * baselines. {@link #label()} is the name on the command line and in reports.
 */
public enum Contender {
    BASIC,
    MULTI,
    CONC_MULTI,
    MVSTORE,
    MAPDB,
    LMDB,
    RAW_PWRITE,
    RAW_BUFFERED,
    RAW_MAPPED,
    RAW_MAPREAD,
    RAW_INPLACE,
    RAW_REFILL,
    RAW_CHECKED;

    enum Role {
        BOBBOB,
        PEER,
        RAW
    }

    /** The name on the command line and in reports: {@code conc-multi} for {@code CONC_MULTI}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Role role() {
        return switch (this) {
            case BASIC, MULTI, CONC_MULTI -> Role.BOBBOB;
            case MVSTORE, MAPDB, LMDB -> Role.PEER;
            case RAW_PWRITE, RAW_BUFFERED, RAW_MAPPED, RAW_MAPREAD, RAW_INPLACE, RAW_REFILL, RAW_CHECKED -> Role.RAW;
        };
    }

    /** Whether W4 runs it with more than one thread; for bobbob, whether its store is concurrent. */
    public boolean threadSafe() {
        return this != BASIC && this != MULTI;
    }

    /**
     * The only workloads this contender runs, or null for all: RAW-inplace is RAW-pwrite but for
     * W6's overwrites, so it runs W6 alone; RAW-mapread is RAW-buffered but for its reads, there
     * for W8 (reads right after writing) and W2, with W1 to show it writes as RAW-buffered does;
     * RAW-refill reuses freed space, which only the churns W3 and W7 make; RAW-checked is
     * RAW-mapread that checks each read, there for the reads W2 and W8 (and W1, whose store W2
     * reads), and no other process opens its store.
     */
    public List<String> onlyWorkloads() {
        return switch (this) {
            case RAW_INPLACE -> List.of("w6");
            case RAW_MAPREAD -> List.of("w1", "w2", "w8");
            case RAW_REFILL -> List.of("w3", "w7");
            case RAW_CHECKED -> List.of("w1", "w2", "w8");
            default -> null;
        };
    }

    /** The provider kind a bobbob contender's URL names ({@code basic}, {@code multi}); null for the others. */
    public String storeKind() {
        return switch (this) {
            case BASIC -> "basic";
            case MULTI, CONC_MULTI -> "multi";
            default -> null;
        };
    }

    public static Contender of(String label) {
        for (Contender k : values()) {
            if (k.label().equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown store '" + label + "'; known: " + labels());
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Contender k : values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(k.label());
        }
        return sb.toString();
    }

    /** The existing store of this contender in {@code dir}. */
    public StoreAdapter open(Path dir, StoreAdapter.Options o) throws Exception {
        return switch (this) {
            case BASIC, MULTI, CONC_MULTI -> new BobbobAdapter(this, dir, false);
            case RAW_PWRITE -> RawAdapter.open(dir, 0);
            case RAW_BUFFERED -> RawAdapter.open(dir, o.rawBuffer());
            case RAW_MAPPED -> RawAdapter.mapped(dir, false);
            case RAW_MAPREAD -> RawAdapter.mapRead(dir, o.rawBuffer(), false);
            case RAW_INPLACE -> RawAdapter.inPlace(dir, false);
            case RAW_REFILL -> RawRefillAdapter.open(dir, false);
            case RAW_CHECKED ->
                throw new UnsupportedOperationException("raw-checked keeps its checksums in the process that wrote it");
            default -> create(dir, o); // the peers open what is there
        };
    }

    /** A new, empty store of this contender in {@code dir} (which must exist and be empty). */
    public StoreAdapter create(Path dir, StoreAdapter.Options o) throws Exception {
        return switch (this) {
            case BASIC, MULTI, CONC_MULTI -> new BobbobAdapter(this, dir, true);
            case MVSTORE -> new MvStoreAdapter(dir);
            case MAPDB -> new MapDbAdapter(dir, o.mapdbMmap());
            case LMDB -> new LmdbAdapter(dir, o.lmdbBatch());
            case RAW_PWRITE -> new RawAdapter(dir, 0);
            case RAW_BUFFERED -> new RawAdapter(dir, o.rawBuffer());
            case RAW_MAPPED -> RawAdapter.mapped(dir, true);
            case RAW_MAPREAD -> RawAdapter.mapRead(dir, o.rawBuffer(), true);
            case RAW_INPLACE -> RawAdapter.inPlace(dir, true);
            case RAW_REFILL -> RawRefillAdapter.open(dir, true);
            case RAW_CHECKED -> RawAdapter.checked(dir, o.rawBuffer());
        };
    }
}
