package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Embedded stores open on first use and are synced and closed when the container shuts down. */
class ShutdownTest {
    @RegisterExtension
    final SystemProps props = new SystemProps();

    @TempDir
    Path dir;

    /** Dependent, so without a client proxy: the tests read its fields. */
    @Dependent
    static class Writer {
        @Inject
        Storer main;

        @Inject
        @Store("side")
        Storer side;

        @Inject
        @Store("unused")
        Storer unused;
    }

    private String url(String file) {
        return "bobbob:multi:" + dir.resolve(file);
    }

    @Test
    void shutdownSyncsAndClosesEmbeddedStoresSoTheFilesReopenWithTheData() throws IOException {
        props.set("bobbob.store.default.url", url("main.bob"))
                .set("bobbob.store.side.url", url("side.bob"))
                .set("bobbob.store.unused.url", url("unused.bob"));
        long[] mainIds = new long[100];
        long sideId;
        try (WeldContainer container = WeldSe.boot(Writer.class)) {
            Writer w = container.select(Writer.class).get();
            for (int i = 0; i < mainIds.length; i++) {
                mainIds[i] = w.main.writeNewObjFromBytes(Blobs.blob(1, i)); // never synced by the test
            }
            sideId = w.side.writeNewObjFromBytes(Blobs.blob(2, 0));
            assertThrows(IOException.class, () -> StoreManager.open(url("main.bob")), "open and locked");
        }
        try (Storer main = StoreManager.open(url("main.bob"));
                Storer side = StoreManager.open(url("side.bob"))) {
            for (int i = 0; i < mainIds.length; i++) {
                assertArrayEquals(Blobs.blob(1, i), main.readBytesFromObj(mainIds[i]));
            }
            assertArrayEquals(Blobs.blob(2, 0), side.readBytesFromObj(sideId));
        }
        assertFalse(Files.exists(dir.resolve("unused.bob")), "a store never used is never opened");
    }

    @Test
    void theInjectedStorerFailsWithStoreClosedOnceItsContainerIsGone() throws IOException {
        props.set("bobbob.store.default.url", url("main.bob"))
                .set("bobbob.store.side.url", url("side.bob"))
                .set("bobbob.store.unused.url", url("unused.bob"));
        Storer main;
        Storer unused;
        try (WeldContainer container = WeldSe.boot(Writer.class)) {
            Writer w = container.select(Writer.class).get();
            main = w.main; // a reference kept past the container, as a leaked one would be
            unused = w.unused;
            main.newObj(1);
        }
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> main.newObj(1));
        assertTrue(e.getMessage().startsWith("[BOB-201]"), e.getMessage());
        assertThrows(StoreClosedException.class, () -> unused.newObj(1), "not reopened after shutdown");
        assertFalse(Files.exists(dir.resolve("unused.bob")));
    }
}
