package org.bobbob.rar;

import static org.bobbob.rar.ConfigErrors.assertNames;
import static org.bobbob.rar.ConfigErrors.withPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.InvalidPropertyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nl.jqno.equalsverifier.EqualsVerifier;
import nl.jqno.equalsverifier.Warning;
import org.bobbob.store.spi.StoreUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreManagedConnectionFactoryTest {
    @TempDir
    Path dir;

    @Test
    void equalityCoversExactlyTheSevenConfigProperties() {
        EqualsVerifier.forClass(StoreManagedConnectionFactory.class)
                .suppress(Warning.NONFINAL_FIELDS)
                .withPrefabValues(
                        StoreTarget.class,
                        new StoreTarget(
                                "path",
                                "/a.bob",
                                Path.of("/a.bob"),
                                new StoreUrl("bobbob:basic:/a.bob", "basic", "/a.bob", Map.of(), 0, true, true)),
                        new StoreTarget(
                                "url",
                                "bobbob:x:y",
                                null,
                                new StoreUrl("bobbob:x:y", "x", "y", Map.of(), 1, true, false)))
                .withPrefabValues(
                        PrintWriter.class, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .withPrefabValues(
                        StoreStatistics.class,
                        new StoreStatistics(new StoreManagedConnectionFactory()),
                        new StoreStatistics(new StoreManagedConnectionFactory()))
                .withIgnoredFields("resourceAdapter", "logWriter", "target", "statistics")
                .verify();
    }

    private static InvalidPropertyException rejected(StoreManagedConnectionFactory mcf) {
        return assertThrows(InvalidPropertyException.class, () -> mcf.setResourceAdapter(Adapters.started()));
    }

    @Test
    void missingPathFailsAtAssociationNamingPath() {
        assertNames("path", "BOB-601", rejected(new StoreManagedConnectionFactory()));
    }

    @Test
    void unknownKindIsRejectedNamingKind() {
        StoreManagedConnectionFactory mcf = withPath(dir.resolve("a.bob").toString());
        mcf.setKind("fancy");
        InvalidPropertyException e = rejected(mcf);
        assertNames("kind", "BOB-602", e);
        assertTrue(e.getMessage().contains("'fancy'"), e.getMessage());
    }

    @Test
    void kindIgnoresCaseAndBlanks() throws Exception {
        StoreManagedConnectionFactory mcf = withPath(dir.resolve("a.bob").toString());
        mcf.setKind(" Basic ");
        assertEquals("basic", mcf.target().kind());
        assertEquals(
                "bobbob:basic:" + dir.toRealPath().resolve("a.bob") + "?diskTokens=0&create=true",
                mcf.target().url().url(),
                "the shorthand builds the URL");
    }

    @Test
    void negativeDiskTokensAreRejectedNamingDiskTokens() {
        StoreManagedConnectionFactory mcf = withPath(dir.resolve("a.bob").toString());
        mcf.setDiskTokens(-1);
        assertNames("diskTokens", "BOB-603", rejected(mcf));
    }

    @Test
    void relativePathResolvesInsideTheBaseDirectoryAndCreatesIt() throws Exception {
        Path p = StorePaths.canonical("sub/dir/a.bob", dir, true);
        assertEquals(dir.toRealPath().resolve("sub/dir/a.bob"), p);
        assertTrue(Files.isDirectory(p.getParent()));
    }

    @Test
    void relativePathMayNotLeaveTheBaseDirectory() {
        assertNames(
                "path",
                "BOB-604",
                assertThrows(InvalidPropertyException.class, () -> StorePaths.canonical("../outside.bob", dir, true)));
        assertNames(
                "path",
                "BOB-604",
                assertThrows(InvalidPropertyException.class, () -> StorePaths.canonical("a/../..", dir, true)));
    }

    @Test
    void absolutePathMayBeAnywhere() throws Exception {
        Path elsewhere = Files.createTempDirectory(dir, "x").resolve("b.bob");
        assertEquals(
                elsewhere.getParent().toRealPath().resolve("b.bob"),
                StorePaths.canonical(elsewhere.toString(), dir.resolve("base"), true));
    }

    @Test
    void directoryIsRejectedNamingPath() throws IOException {
        Files.createDirectories(dir.resolve("adir"));
        assertNames(
                "path",
                "BOB-605",
                assertThrows(InvalidPropertyException.class, () -> StorePaths.canonical("adir", dir, true)));
    }

    @Test
    void withCreateFalseTheFileMustExist() {
        StoreManagedConnectionFactory mcf = withPath(dir.resolve("missing.bob").toString());
        mcf.setCreate(false);
        assertNames("path", "BOB-606", rejected(mcf));
    }

    @Test
    void aFileWhereADirectoryMustBeIsRejectedNamingPath() throws IOException {
        Files.writeString(dir.resolve("plain"), "not a directory");
        assertNames(
                "path",
                "BOB-607",
                assertThrows(InvalidPropertyException.class, () -> StorePaths.canonical("plain/a.bob", dir, true)));
    }

    @Test
    void everySpellingOfOneFileHasOneCanonicalPath() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path a = StorePaths.canonical("real/s.bob", dir, true);
        assertEquals(a, StorePaths.canonical("link/s.bob", dir, true));
        assertEquals(a, StorePaths.canonical("real/../real/./s.bob", dir, true));
        assertEquals(a, StorePaths.canonical(link.resolve("s.bob").toString(), dir, true));
    }

    @Test
    void relativePathsUseTheServerDataDirectory() throws Exception {
        String before = System.getProperty(StorePaths.BASE_DIR_PROPERTY);
        System.setProperty(StorePaths.BASE_DIR_PROPERTY, dir.toString());
        try {
            assertEquals(
                    dir.toRealPath().resolve("bobbob/default.bob"),
                    withPath("bobbob/default.bob").target().file());
        } finally {
            if (before == null) {
                System.clearProperty(StorePaths.BASE_DIR_PROPERTY);
            } else {
                System.setProperty(StorePaths.BASE_DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void associationWithAnAdapterNeverChanges() throws Exception {
        StoreManagedConnectionFactory mcf = Adapters.factory(Adapters.started(), dir.resolve("a.bob"), "multi");
        assertThrows(
                jakarta.resource.spi.IllegalStateException.class, () -> mcf.setResourceAdapter(Adapters.started()));
    }

    @Test
    void connectionsNeedAnAssociatedStartedAdapter() throws Exception {
        StoreManagedConnectionFactory loose = withPath(dir.resolve("a.bob").toString());
        assertTrue(assertThrows(ResourceException.class, () -> loose.createManagedConnection(null, null))
                .getMessage()
                .startsWith("[BOB-620]"));

        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("a.bob"), "multi");
        adapter.stop();
        assertTrue(assertThrows(ResourceException.class, () -> mcf.createManagedConnection(null, null))
                .getMessage()
                .startsWith("[BOB-622]"));
    }

    @Test
    void managedConnectionWithoutSubjectOrRequestInfo() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("a.bob"), "basic");
        var mc = mcf.createManagedConnection(null, null);
        try (StoreConnection c = (StoreConnection) mc.getConnection(null, null)) {
            assertTrue(c.isOpen());
        }
        mc.destroy();
        adapter.stop();
    }

    @Test
    void factoriesSerializeWithoutTheirAdapterOrStore() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("a.bob"), "basic");
        mcf.setDiskTokens(3);
        StoreManagedConnectionFactory copy = roundTrip(mcf);
        assertEquals(mcf, copy);
        assertEquals(null, copy.getResourceAdapter());

        StoreConnectionFactory cf = (StoreConnectionFactory) mcf.createConnectionFactory();
        assertNotNull(cf.getReference());
        assertInstanceOf(StoreConnectionFactory.class, roundTrip(cf));
        adapter.stop();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
