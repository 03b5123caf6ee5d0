package org.bobbob.rar.testprovider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bobbob.store.BasicStore;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreProvider;
import org.bobbob.store.spi.StoreUrl;

/**
 * A third-party provider as a user would write one, in a package (and, in the WildFly test, a
 * jar) of its own: kind {@value #KIND} opens a basic store in a new temporary directory (the
 * location is only a label) and counts what goes through it, so a test can tell that the adapter
 * used it. Registered through {@code META-INF/services} in the test class path, and in the jar
 * that {@code ProviderJarIT} packs into the RAR.
 */
public final class CountingTestProvider implements StoreProvider {
    /** The kind this provider opens. */
    public static final String KIND = "test-counting";
    /** Stores opened. */
    public static final AtomicInteger OPENS = new AtomicInteger();
    /** Plain calls and Late-handle opens on the stores opened, in this class loader. */
    public static final AtomicLong CALLS = new AtomicLong();
    /** The last URL opened. */
    public static volatile StoreUrl lastUrl;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Storer open(StoreUrl url) throws IOException {
        Path dir = Files.createTempDirectory("bobbob-counting-");
        Path file = dir.resolve("store.bob");
        dir.toFile().deleteOnExit(); // runs after the file's, which is registered later
        file.toFile().deleteOnExit();
        Storer store = new Counting(BasicStore.create(file), url.location());
        lastUrl = url;
        OPENS.incrementAndGet();
        return store;
    }

    /** Counts every call, then runs it on the basic store. */
    private static final class Counting extends WatchedStorer {
        private final String label;

        Counting(Storer inner, String label) {
            super(inner);
            this.label = label;
        }

        @Override
        protected void beforeCall() {
            CALLS.incrementAndGet();
        }

        @Override
        public String toString() {
            return "CountingTestProvider store '" + label + "'";
        }
    }
}
