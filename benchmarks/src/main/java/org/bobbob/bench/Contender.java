package org.bobbob.bench;

import java.nio.file.Path;
import org.bobbob.bench.peers.LmdbAdapter;
import org.bobbob.bench.peers.MapDbAdapter;
import org.bobbob.bench.peers.MvStoreAdapter;
import org.bobbob.bench.peers.RawAdapter;

/**
 * The stores a comparison runs, each a contender: bobbob's own stores (opened through
 * {@link org.bobbob.store.StoreManager} by their provider kind), its peers, and the raw-file
 * baselines. {@link #label()} is the name on the command line and in reports.
 */
public enum Contender {
    BASIC("basic", Role.BOBBOB, false, "basic"),
    MULTI("multi", Role.BOBBOB, false, "multi"),
    CONC_MULTI("conc-multi", Role.BOBBOB, true, "multi"),
    MVSTORE("mvstore", Role.PEER, true, null),
    MAPDB("mapdb", Role.PEER, true, null),
    LMDB("lmdb", Role.PEER, true, null),
    RAW_PWRITE("raw-pwrite", Role.RAW, true, null),
    RAW_BUFFERED("raw-buffered", Role.RAW, true, null);

    enum Role {
        BOBBOB,
        PEER,
        RAW
    }

    private final String label;
    private final Role role;
    private final boolean threadSafe;
    /** The store provider's kind ({@code bobbob:<kind>:...}) of a bobbob contender, else null. */
    private final String storeKind;

    Contender(String label, Role role, boolean threadSafe, String storeKind) {
        this.label = label;
        this.role = role;
        this.threadSafe = threadSafe;
        this.storeKind = storeKind;
    }

    public String label() {
        return label;
    }

    public Role role() {
        return role;
    }

    /** Whether W4 runs it with more than one thread; for bobbob, whether its store is concurrent. */
    public boolean threadSafe() {
        return threadSafe;
    }

    /** The provider kind a bobbob contender's URL names ({@code basic}, {@code multi}); null for the others. */
    public String storeKind() {
        return storeKind;
    }

    public static Contender of(String label) {
        for (Contender k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown store '" + label + "'; known: " + labels());
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Contender k : values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(k.label);
        }
        return sb.toString();
    }

    /** The existing store of this contender in {@code dir}. */
    public StoreAdapter open(Path dir, StoreAdapter.Options o) throws Exception {
        return switch (this) {
            case BASIC, MULTI, CONC_MULTI -> new BobbobAdapter(this, dir, false);
            case RAW_PWRITE -> RawAdapter.open(dir, 0);
            case RAW_BUFFERED -> RawAdapter.open(dir, o.rawBuffer());
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
        };
    }
}
