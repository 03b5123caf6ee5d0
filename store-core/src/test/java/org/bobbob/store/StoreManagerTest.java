package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bobbob.store.spi.InMemoryTestProvider;
import org.bobbob.store.spi.StoreProvider;
import org.bobbob.store.spi.StoreUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every URL form and key of {@link StoreManager}, its errors, and a provider from the class path. */
class StoreManagerTest {
    @TempDir
    Path dir;

    private String url(String kind, String query) {
        return "bobbob:" + kind + ":" + dir.resolve(kind + ".bob") + query;
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void defaultsCreateAConcurrentStoreAndReopenIt(String kind) throws Exception {
        long id;
        try (Storer s = StoreManager.open(url(kind, ""))) {
            ConcurrentStore cs = assertInstanceOf(ConcurrentStore.class, s, "concurrent=true by default");
            assertEquals(0, cs.diskTokens().limit(), "diskTokens=0 by default");
            assertFalse(cs.inner() instanceof ConcurrentStore, cs.inner().toString());
            assertEquals(
                    kind, StoreManager.kindOf(dir.resolve(kind + ".bob")), "the provider of the kind made the store");
            id = s.writeNewObjFromBytes(new byte[] {1, 2, 3});
        }
        try (Storer s = StoreManager.open(url(kind, "?create=false"))) {
            assertArrayEquals(new byte[] {1, 2, 3}, s.readBytesFromObj(id));
        }
    }

    @Test
    void everyKeyIsApplied() throws Exception {
        try (Storer s = StoreManager.open(url("multi", "?diskTokens=4&concurrent=true&create=true"))) {
            assertEquals(4, ((ConcurrentStore) s).diskTokens().limit());
        }
        try (Storer s = StoreManager.open(url("multi", "?concurrent=false"))) {
            assertFalse(s instanceof ConcurrentStore, "concurrent=false gives the bare store");
        }
        try (Storer s = StoreManager.open(url("multi", "?concurrent=false&diskTokens=2"))) {
            // The cap lives in the concurrent layer only, so a multi store with a cap comes wrapped (MultiStore.open).
            assertEquals(
                    2, assertInstanceOf(ConcurrentStore.class, s).diskTokens().limit(), "diskTokens applied");
            assertFalse(((ConcurrentStore) s).inner() instanceof ConcurrentStore, "and only once");
        }
        try (Storer s = StoreManager.open(url("basic", "?concurrent=FALSE"))) {
            assertFalse(s instanceof ConcurrentStore);
            assertEquals("basic", StoreManager.kindOf(dir.resolve("basic.bob")));
            assertTrue(s.isWrapperFor(RunAllocator.class));
        }
        StoreException e = assertThrows(
                StoreException.class, () -> StoreManager.open(url("basic", "?concurrent=false&diskTokens=2")));
        assertTrue(e.getMessage().contains("diskTokens"), e.getMessage());
    }

    @Test
    void createFalseNeedsAnExistingStore() {
        StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(url("basic", "?create=false")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void propertiesSupplyDefaultsAndTheUrlWins() throws Exception {
        Properties info = new Properties();
        info.setProperty("diskTokens", "7");
        try (Storer s = StoreManager.open(url("multi", ""), info)) {
            assertEquals(7, ((ConcurrentStore) s).diskTokens().limit());
        }
        try (Storer s = StoreManager.open(url("multi", "?diskTokens=3"), info)) {
            assertEquals(3, ((ConcurrentStore) s).diskTokens().limit());
        }
        info.setProperty("bogus", "1");
        assertThrows(StoreException.class, () -> StoreManager.open(url("multi", ""), info));
    }

    @Test
    void badUrlsNameTheUrlAndTheProblem() {
        String[][] cases = {
            {"jdbc:h2:/tmp/x", "must start with"},
            {"bobbob:", "bobbob:<kind>:<location>"},
            {"bobbob:multi", "bobbob:<kind>:<location>"},
            {"bobbob:Multi:/tmp/x", "lower-case"},
            {"bobbob:nosuch:/tmp/x", "no provider for kind 'nosuch'"},
            {"bobbob:multi:", "location"},
            {"bobbob:multi:?diskTokens=1", "location"},
            {"bobbob:multi:/tmp/x?diskTokens", "not key=value"},
            {"bobbob:multi:/tmp/x?diskTokens=-1", "diskTokens=-1"},
            {"bobbob:multi:/tmp/x?diskTokens=many", "diskTokens=many"},
            {"bobbob:multi:/tmp/x?concurrent=yes", "concurrent=yes must be true or false"},
            {"bobbob:multi:/tmp/x?create=1", "create=1"},
            {"bobbob:multi:/tmp/x?cache=big", "unknown key 'cache'"},
            {"bobbob:multi:/tmp/x?create=true&create=false", "appears twice"},
            {"bobbob:multi:/tmp/x?&", "not key=value"},
        };
        for (String[] c : cases) {
            StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[0]) && e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("[BOB-501]"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> StoreManager.open((String) null));
        assertThrows(NullPointerException.class, () -> StoreManager.open((StoreUrl) null));
        StoreException leak = assertThrows(
                StoreException.class,
                () -> StoreManager.open("bobbob:multi:/tmp/x?secretKey=hunter2&accessKey=AKIA1&cache=big"));
        assertTrue(leak.getMessage().contains("secretKey=***&accessKey=***&cache=big"), leak.getMessage());
        assertFalse(leak.getMessage().contains("hunter2") || leak.getMessage().contains("AKIA1"), leak.getMessage());
        assertThrows(NullPointerException.class, () -> StoreManager.parse(null));
    }

    @Test
    void aProviderOnTheClassPathIsFoundAndUsed() throws Exception {
        assertEquals(List.of("basic", "multi", "test-temp"), StoreManager.kinds());
        try (Storer s = StoreManager.open("bobbob:test-temp:scratch?label=hello&diskTokens=2")) {
            assertEquals("hello", InMemoryTestProvider.lastUrl.option("label").orElseThrow());
            assertEquals("scratch", InMemoryTestProvider.lastUrl.location());
            assertEquals(2, ((ConcurrentStore) s).diskTokens().limit(), "the manager wraps any provider's store");
            long id = s.writeNewObjFromBytes(new byte[] {9});
            assertArrayEquals(new byte[] {9}, s.readBytesFromObj(id));
        }
        StoreException e = assertThrows(StoreException.class, () -> StoreManager.open("bobbob:test-temp:x?colour=red"));
        assertTrue(e.getMessage().contains("label"), "lists the provider's own keys: " + e.getMessage());
    }

    @Test
    void parseChecksLikeOpenButOpensNothing() throws Exception {
        Properties info = new Properties();
        info.setProperty("diskTokens", "5");
        StoreUrl parsed = StoreManager.parse(url("multi", "?create=false"), info);
        assertEquals("multi", parsed.kind());
        assertEquals(dir.resolve("multi.bob").toString(), parsed.location());
        assertEquals(5, parsed.diskTokens(), "from the properties");
        assertFalse(parsed.create());
        assertTrue(parsed.concurrent());
        assertFalse(Files.exists(dir.resolve("multi.bob")), "parse opens and creates nothing");

        StoreException kind = assertThrows(StoreException.class, () -> StoreManager.parse("bobbob:nosuch:x"));
        assertTrue(
                kind.getMessage().startsWith("[BOB-501]")
                        && kind.getMessage().contains("bobbob:nosuch:x")
                        && kind.getMessage().contains("no provider for kind 'nosuch'"),
                kind.getMessage());
        StoreException key =
                assertThrows(StoreException.class, () -> StoreManager.parse("bobbob:test-temp:x?colour=red"));
        assertTrue(key.getMessage().contains("unknown key 'colour'"), key.getMessage());
        assertEquals(
                "hello",
                StoreManager.parse("bobbob:test-temp:x?label=hello")
                        .option("label")
                        .orElseThrow());
        assertThrows(StoreException.class, () -> StoreManager.parse(url("basic", "?diskTokens=-2")));
    }

    @Test
    void aParsedUrlOpensAsTheUrlWould() throws Exception {
        StoreUrl parsed = StoreManager.parse(url("basic", "?diskTokens=3"));
        long id;
        try (Storer s = StoreManager.open(parsed)) {
            assertEquals(
                    3, assertInstanceOf(ConcurrentStore.class, s).diskTokens().limit());
            id = s.writeNewObjFromBytes(new byte[] {4});
        }
        StoreUrl moved = new StoreUrl(parsed.url(), parsed.kind(), parsed.location(), Map.of(), 0, false, false);
        try (Storer s = StoreManager.open(moved)) {
            assertFalse(
                    s instanceof ConcurrentStore, "the typed fields count: concurrent=false, not the URL's default");
            assertTrue(s.isWrapperFor(RunAllocator.class), "a basic store");
            assertArrayEquals(new byte[] {4}, s.readBytesFromObj(id));
        }
        StoreUrl unknown = new StoreUrl("made by hand", "nosuch", "x", Map.of(), 0, true, true);
        StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(unknown));
        assertTrue(e.getMessage().contains("made by hand") && e.getMessage().contains("nosuch"), e.getMessage());
        StoreUrl badKey =
                new StoreUrl("by hand", "multi", dir.resolve("k.bob").toString(), Map.of("cache", "1"), 0, true, true);
        assertTrue(assertThrows(StoreException.class, () -> StoreManager.open(badKey))
                .getMessage()
                .contains("unknown key 'cache'"));
    }

    @Test
    void aBrokenProviderEntryIsSkippedNotFatal() throws Exception {
        Path services = Files.createDirectories(dir.resolve("cp/META-INF/services"));
        Files.writeString(services.resolve(StoreProvider.class.getName()), "no.such.Provider\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader broken =
                new URLClassLoader(new URL[] {dir.resolve("cp").toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(broken);
            assertEquals(List.of("basic", "multi", "test-temp"), StoreManager.kinds());
            StoreManager.open(url("multi", "")).close();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
