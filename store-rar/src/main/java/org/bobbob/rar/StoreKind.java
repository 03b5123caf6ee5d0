package org.bobbob.rar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.bobbob.store.BasicStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.Storer;

/** The {@code kind} config property: which store-core engine a connection definition opens. */
enum StoreKind {
    /** {@link BasicStore}: exact-size placement, supports {@code RunAllocator}. */
    BASIC {
        @Override
        Storer open(Path path, boolean create) throws IOException {
            return create ? BasicStore.openOrCreate(path) : BasicStore.open(path);
        }
    },
    /** {@link MultiStore}: size-classed slots, space-efficient for many small objects. The default. */
    MULTI {
        @Override
        Storer open(Path path, boolean create) throws IOException {
            // Disk tokens are applied once, by the ConcurrentStore wrapper (as MultiStore.createConcurrent does).
            return create ? MultiStore.openOrCreate(path, 0) : MultiStore.open(path, 0);
        }
    };

    /** The value of {@code kind} when none is configured. */
    static final String DEFAULT = "multi";

    /**
     * Opens the single-threaded engine; the registry wraps it in a {@code ConcurrentStore}.
     *
     * @param create create a new store if the file is missing or empty; else it must be a store
     */
    abstract Storer open(Path path, boolean create) throws IOException;

    /** The configuration spelling: {@code basic} or {@code multi}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the {@code kind} property, ignoring case and surrounding blanks.
     *
     * @throws jakarta.resource.spi.InvalidPropertyException naming {@code kind} if it is neither
     */
    static StoreKind parse(String kind) throws jakarta.resource.spi.InvalidPropertyException {
        String k = kind == null ? DEFAULT : kind.trim().toLowerCase(Locale.ROOT);
        for (StoreKind each : values()) {
            if (each.label().equals(k)) {
                return each;
            }
        }
        throw RarErrors.badKind(kind);
    }
}
