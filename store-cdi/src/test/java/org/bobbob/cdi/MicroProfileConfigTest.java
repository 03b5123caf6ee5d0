package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration through MicroProfile Config (SmallRye Config on the class path), and embedded
 * stores with no resource adapter classes at all: runs only in surefire's "microprofile"
 * execution, whose class path has SmallRye Config and lacks store-rar.
 */
@Tag("microprofile")
class MicroProfileConfigTest {
    private static final Path FILE_DIR = Path.of("target", "microprofile-test");

    @TempDir
    static Path dir;

    @ApplicationScoped
    static class Client {
        @Inject
        @Store("mp")
        Storer mp;

        @Inject
        @Store("over")
        Storer over;

        Storer mp() {
            return mp;
        }

        Storer over() {
            return over;
        }
    }

    @ApplicationScoped
    static class DefaultClient {
        @Inject
        Storer storer;
    }

    @ApplicationScoped
    static class UnconfiguredClient {
        @Inject
        @Store("nowhere")
        Storer storer;
    }

    @BeforeAll
    static void configure() throws IOException {
        Files.createDirectories(FILE_DIR);
        Files.deleteIfExists(FILE_DIR.resolve("mp.bob"));
        Files.deleteIfExists(FILE_DIR.resolve("from-file.bob"));
        // set before MicroProfile Config is first built in this JVM
        System.setProperty("bobbob.store.over.url", "bobbob:multi:" + dir.resolve("from-property.bob"));
    }

    @AfterAll
    static void unconfigure() {
        System.clearProperty("bobbob.store.over.url");
    }

    @Test
    void theConfigurationIsReadThroughMicroProfileConfig() {
        ConfigLookup config = ConfigLookup.detect(Thread.currentThread().getContextClassLoader());
        assertEquals(MicroProfileConfigLookup.class, config.getClass());
        assertEquals(
                "bobbob:multi:target/microprofile-test/mp.bob",
                config.get("bobbob.store.mp.url").orElseThrow());
    }

    @Test
    void aStoreConfiguredInMicroprofileConfigPropertiesIsOpenedEmbeddedWithoutTheAdapter() throws IOException {
        assertThrows(
                ClassNotFoundException.class,
                () -> Class.forName(StoreSettings.CONNECTION_FACTORY),
                "precondition: store-rar is not on this class path");
        long id;
        try (WeldContainer c = WeldSe.boot(Client.class)) {
            id = c.select(Client.class).get().mp().writeNewObjFromBytes("through MicroProfile Config".getBytes());
        }
        try (Storer reopened = StoreManager.open("bobbob:multi:" + FILE_DIR.resolve("mp.bob"))) {
            assertArrayEquals("through MicroProfile Config".getBytes(), reopened.readBytesFromObj(id));
        }
    }

    @Test
    void aSystemPropertyOverridesTheMicroprofileConfigPropertiesFile() throws IOException {
        try (WeldContainer c = WeldSe.boot(Client.class)) {
            c.select(Client.class).get().over().newObj(1);
        }
        assertTrue(Files.exists(dir.resolve("from-property.bob")));
        assertFalse(Files.exists(FILE_DIR.resolve("from-file.bob")));
    }

    @Test
    void withoutTheAdapterTheDefaultStoreFailsDeploymentNamingItsKeys() {
        var e = assertThrows(
                jakarta.enterprise.inject.spi.DeploymentException.class, WeldSe.weld(DefaultClient.class)::initialize);
        StoreConfigurationException problem =
                WeldSe.find(e, StoreConfigurationException.class).orElseThrow();
        assertEquals("bobbob.store.default.jndi", problem.key());
        assertTrue(
                problem.getMessage()
                        .startsWith("[BOB-706] bobbob.store.default.jndi: store 'default'"
                                + " (bobbob.store.default.jndi unset, so java:/bobbob/DefaultStore) is a connection factory in JNDI,"
                                + " but the resource adapter's classes"),
                problem.getMessage());
        assertTrue(problem.getMessage().contains("set bobbob.store.default.url"), problem.getMessage());
    }

    @Test
    void errorsSayTheConfigurationWasReadThroughMicroProfileConfig() {
        var e = assertThrows(
                jakarta.enterprise.inject.spi.DeploymentException.class,
                WeldSe.weld(UnconfiguredClient.class)::initialize);
        StoreConfigurationException problem =
                WeldSe.find(e, StoreConfigurationException.class).orElseThrow();
        assertTrue(problem.getMessage().endsWith("Read from MicroProfile Config."), problem.getMessage());
    }
}
