package org.bobbob.store.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.bobbob.store.BasicStore;
import org.bobbob.store.Storer;

/**
 * A third-party provider as a user would write one, registered through
 * {@code META-INF/services} in the test class path: kind {@code test-temp} opens a basic store in
 * a temporary directory named by the location, and accepts one extra key, {@code label}.
 */
public final class InMemoryTestProvider implements StoreProvider {
    /** Made by {@link java.util.ServiceLoader}. */
    public InMemoryTestProvider() {}

    /** The last URL this provider was asked to open, for the test to inspect. */
    public static volatile StoreUrl lastUrl;

    @Override
    public String kind() {
        return "test-temp";
    }

    @Override
    public Set<String> extraKeys() {
        return Set.of("label");
    }

    @Override
    public Storer open(StoreUrl url) throws IOException {
        lastUrl = url;
        Path dir = Files.createTempDirectory("bobbob-" + url.location());
        Path file = dir.resolve("store.bob");
        dir.toFile().deleteOnExit(); // runs after the file's, which is registered later
        file.toFile().deleteOnExit();
        return BasicStore.create(file);
    }
}
