package org.bobbob.rar;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.bobbob.rar.ConfigErrors.assertNames;
import static org.bobbob.rar.ConfigErrors.withPath;
import static org.bobbob.rar.ConfigErrors.withUrl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import java.nio.file.Path;
import java.util.Set;
import org.bobbob.rar.testprovider.CountingTestProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code url} config property: the same stores as {@code path}, and any registered provider's. */
class UrlConfigTest {
    @TempDir
    Path dir;

    StoreResourceAdapter adapter;
    StoreRegistry registry;
    private String baseBefore;

    @BeforeEach
    void start() throws ResourceException {
        baseBefore = System.getProperty(StorePaths.BASE_DIR_PROPERTY);
        System.setProperty(StorePaths.BASE_DIR_PROPERTY, dir.toString());
        adapter = Adapters.started();
        registry = adapter.registry();
    }

    @AfterEach
    void stop() {
        adapter.stop();
        if (baseBefore == null) {
            System.clearProperty(StorePaths.BASE_DIR_PROPERTY);
        } else {
            System.setProperty(StorePaths.BASE_DIR_PROPERTY, baseBefore);
        }
    }

    private StoreManagedConnectionFactory byUrl(String url) throws ResourceException {
        StoreManagedConnectionFactory mcf = withUrl(url);
        mcf.setResourceAdapter(adapter);
        return mcf;
    }

    private StoreManagedConnectionFactory byPath(String path, String kind) throws ResourceException {
        StoreManagedConnectionFactory mcf = withPath(path);
        mcf.setKind(kind);
        mcf.setResourceAdapter(adapter);
        return mcf;
    }

    private InvalidPropertyException rejected(StoreManagedConnectionFactory mcf) {
        return assertThrows(InvalidPropertyException.class, () -> mcf.setResourceAdapter(adapter));
    }

    @Test
    void aUrlAndAPathNamingOneFileShareOneStore() throws Exception {
        StoreConnectionFactory byPath = Adapters.pooled(byPath("blobs/s.bob", "multi"), new FakePool());
        StoreConnectionFactory relative = Adapters.pooled(byUrl("bobbob:multi:blobs/s.bob"), new FakePool());
        StoreConnectionFactory absolute = Adapters.pooled(
                byUrl("bobbob:multi:" + dir.resolve("blobs/x/../s.bob") + "?diskTokens=0"), new FakePool());

        long id;
        try (StoreConnection c = byPath.getConnection()) {
            id = c.writeNewObjFromBytes("one store".getBytes(UTF_8));
        }
        for (StoreConnectionFactory f : new StoreConnectionFactory[] {relative, absolute}) {
            try (StoreConnection c = f.getConnection()) {
                assertArrayEquals("one store".getBytes(UTF_8), c.readBytesFromObj(id)); // no sync: same open store
            }
        }
        String file = dir.toRealPath().resolve("blobs/s.bob").toString();
        assertArrayEquals(new String[] {file}, registry.getPaths());
        assertEquals(3, registry.referenceCount(file), "one pooled connection from each definition");
    }

    @Test
    void theUrlOfAFileKindMayNotLeaveTheDataDirectory() {
        assertNames("url", "BOB-604", rejected(withUrl("bobbob:basic:../outside.bob")));
    }

    @Test
    void urlTogetherWithPathOrKindIsRejected() {
        StoreManagedConnectionFactory withPath = withUrl("bobbob:multi:a.bob");
        withPath.setPath("a.bob");
        InvalidPropertyException e = rejected(withPath);
        assertNames("url", "BOB-613", e);
        assertTrue(e.getMessage().contains("'path'"), e.getMessage());

        StoreManagedConnectionFactory withKind = withUrl("bobbob:multi:a.bob");
        withKind.setKind("multi");
        assertTrue(rejected(withKind).getMessage().contains("'kind'"));
    }

    @Test
    void anUnknownKindInTheUrlIsRejectedNamingTheUrl() {
        InvalidPropertyException e = rejected(withUrl("bobbob:nosuch:a.bob"));
        assertNames("url", "BOB-614", e);
        assertTrue(
                e.getMessage().contains("bobbob:nosuch:a.bob")
                        && e.getMessage().contains("[BOB-501]")
                        && e.getMessage().contains("no provider for kind 'nosuch'"),
                e.getMessage());

        assertTrue(
                rejected(withUrl("bobbob:multi:a.bob?cache=big")).getMessage().contains("unknown key 'cache'"));
    }

    @Test
    void aUrlThatIsNotConcurrentIsRejected() {
        InvalidPropertyException e = rejected(withUrl("bobbob:multi:a.bob?concurrent=false"));
        assertNames("url", "BOB-614", e);
        assertTrue(e.getMessage().contains("concurrent=false"), e.getMessage());
    }

    @Test
    void theDiskTokensAndCreatePropertiesAreDefaultsTheUrlOverrides() throws Exception {
        StoreManagedConnectionFactory mcf = withUrl("bobbob:multi:a.bob");
        mcf.setDiskTokens(3);
        assertEquals(3, mcf.target().diskTokens());
        mcf.setUrl("bobbob:multi:a.bob?diskTokens=2");
        assertEquals(2, mcf.target().diskTokens());
        mcf.setUrl("bobbob:multi:missing.bob");
        mcf.setCreate(false);
        assertNames("url", "BOB-606", rejected(mcf));
    }

    @Test
    void aProviderFoundThroughServiceLoaderServesTheAdapter() throws Exception {
        int opens = CountingTestProvider.OPENS.get();
        long calls = CountingTestProvider.CALLS.get();
        String url = "bobbob:" + CountingTestProvider.KIND + ":scratch?diskTokens=2";
        StoreManagedConnectionFactory a = byUrl(url);
        StoreManagedConnectionFactory b = byUrl(url);
        ManagedConnection ma = a.createManagedConnection(null, null);
        ManagedConnection mb = b.createManagedConnection(null, null);
        try (StoreConnection ca = (StoreConnection) ma.getConnection(null, null);
                StoreConnection cb = (StoreConnection) mb.getConnection(null, null)) {
            long id = ca.writeNewObjFromBytes(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, cb.readBytesFromObj(id));
        }
        assertEquals(opens + 1, CountingTestProvider.OPENS.get(), "both definitions share one store");
        assertEquals(calls + 2, CountingTestProvider.CALLS.get(), "the write and the read went through the provider");
        assertEquals("scratch", CountingTestProvider.lastUrl.location(), "the location is the provider's, untouched");
        assertArrayEquals(new String[] {"bobbob:" + CountingTestProvider.KIND + ":scratch"}, registry.getPaths());
        assertEquals(
                2,
                ((StoreManagedConnection) ma).store().diskTokens().limit(),
                "the URL's disk tokens, applied by the one ConcurrentStore");

        assertSame(ma, a.matchManagedConnections(Set.of(ma), null, null));
        StoreManagedConnectionFactory other = byUrl("bobbob:" + CountingTestProvider.KIND + ":other?diskTokens=2");
        assertNull(other.matchManagedConnections(Set.of(ma, mb), null, null), "another location is another store");
        ma.destroy();
        mb.destroy();
        assertEquals(0, registry.getOpenStores());
    }

    @Test
    void thePathShorthandTakesAnyProvidersKind() throws Exception {
        int opens = CountingTestProvider.OPENS.get();
        ManagedConnection mc = byPath("p.bob", " Test-Counting ").createManagedConnection(null, null);
        assertEquals(opens + 1, CountingTestProvider.OPENS.get());
        assertEquals(dir.toRealPath().resolve("p.bob").toString(), CountingTestProvider.lastUrl.location());
        mc.destroy();
    }

    /**
     * A store of another provider's kind is one store per location and provider keys: the same
     * bucket and prefix on another endpoint is another store; the common keys (how it opens) and
     * the keys' order do not matter.
     */
    @Test
    void anOpaqueStoresKeyIsItsLocationAndItsProviderKeysInOrder() {
        String a = StoreTarget.opaqueKey(s3("http://127.0.0.1:9000", "true", 4));
        assertEquals("bobbob:s3://bucket/app?endpoint=http://127.0.0.1:9000&pathStyle=true", a);
        assertEquals(a, StoreTarget.opaqueKey(s3("http://127.0.0.1:9000", "true", 0)), "diskTokens is how, not which");
        assertNotEquals(a, StoreTarget.opaqueKey(s3("http://127.0.0.1:9001", "true", 4)), "another endpoint");
    }

    private static final String S3 = "bobbob:s3://bucket/app?endpoint=http://127.0.0.1:9000&pathStyle=true";
    private static final String SECRET = "the-SECRET-of-this-definition";

    private static StoreManagedConnectionFactory withCredentials(String url, String accessKey, String secretKey) {
        StoreManagedConnectionFactory mcf = withUrl(url);
        mcf.setAccessKey(accessKey);
        mcf.setSecretKey(secretKey);
        return mcf;
    }

    /**
     * A definition's own credentials go to the provider with its URL, and never show: not in the
     * store's key (a fingerprint stands for them, so other credentials are another store), not in
     * the factory's {@code toString()}, not in the parsed URL's.
     */
    @Test
    void aDefinitionsCredentialsReachTheProviderAndNeverShow() throws Exception {
        StoreManagedConnectionFactory mcf = withCredentials(S3, "access-one", SECRET);
        mcf.setResourceAdapter(adapter);
        StoreTarget target = mcf.target();
        assertEquals("access-one", target.url().option("accessKey").orElseThrow());
        assertEquals(SECRET, target.url().option("secretKey").orElseThrow());
        String key = target.key();
        assertTrue(
                key.matches(java.util.regex.Pattern.quote("bobbob:s3://bucket/app?credentials=") + "[0-9a-f]{16}"
                        + java.util.regex.Pattern.quote("&endpoint=http://127.0.0.1:9000&pathStyle=true")),
                key);
        for (String shown : new String[] {key, mcf.toString(), target.url().toString()}) {
            assertTrue(!shown.contains(SECRET) && !shown.contains("access-one"), shown);
        }
        assertTrue(mcf.toString().contains("credentials=***"), mcf.toString());

        StoreManagedConnectionFactory same = withCredentials(S3, "access-one", SECRET);
        same.setResourceAdapter(adapter);
        assertEquals(key, same.target().key(), "the same credentials: the same store");
        for (StoreManagedConnectionFactory other : new StoreManagedConnectionFactory[] {
            withCredentials(S3, "access-two", SECRET), withCredentials(S3, "access-one", SECRET + "2"), withUrl(S3)
        }) {
            other.setResourceAdapter(adapter);
            assertNotEquals(key, other.target().key(), "other credentials, or none: another store");
        }
    }

    @Test
    void credentialsComeInPairsAndOnlyWithTheUrlOfAProviderThatTakesThem() {
        assertNames("secretKey", "BOB-615", rejected(withCredentials(S3, null, SECRET)));
        assertNames("accessKey", "BOB-615", rejected(withCredentials(S3, "access-one", " ")));
        StoreManagedConnectionFactory withPath = withPath("a.bob");
        withPath.setAccessKey("access-one");
        withPath.setSecretKey(SECRET);
        assertNames("accessKey", "BOB-615", rejected(withPath));
        assertNames(
                "accessKey",
                "BOB-615",
                rejected(withCredentials("bobbob:multi:" + dir.resolve("b.bob"), "access-one", SECRET)));
        for (InvalidPropertyException e :
                new InvalidPropertyException[] {rejected(withCredentials(S3, null, SECRET)), rejected(withPath)}) {
            assertTrue(!e.getMessage().contains(SECRET), e.getMessage());
        }
    }

    private static org.bobbob.store.spi.StoreUrl s3(String endpoint, String pathStyle, int diskTokens) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("pathStyle", pathStyle); // not in key order: the key sorts them
        options.put("diskTokens", Integer.toString(diskTokens));
        options.put("endpoint", endpoint);
        return new org.bobbob.store.spi.StoreUrl(
                "bobbob:s3://bucket/app?...", "s3", "//bucket/app", options, diskTokens, true, true);
    }
}
