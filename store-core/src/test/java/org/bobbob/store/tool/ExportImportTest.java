package org.bobbob.store.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** export and import: the stream round-trips every object across kinds; a bad stream leaves nothing. */
class ExportImportTest {
    /** Several MiB: streamed through the export in many chunks. */
    private static final int LARGE = 5 * 1024 * 1024 + 17;

    @TempDir
    Path dir;

    /**
     * A store of {@code kind} with 200 objects of 0 to 3 000 bytes (a tenth of them empty), one of
     * {@link #LARGE} bytes written through a Late writer, and a prime object; {@code contents} gets
     * every object's bytes by id, {@code prime[0]} the prime object's id.
     */
    private Path source(String kind, Map<Long, byte[]> contents, long[] prime) throws Exception {
        Path file = dir.resolve("source-" + kind + ".bob");
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        try (Storer s = StoreManager.open("bobbob:" + kind + ":" + file)) {
            prime[0] = s.primeObject(12);
            byte[] root = "root object!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.writeBytesToObj(prime[0], root);
            contents.put(prime[0], root);
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[i % 10 == 0 ? 0 : random.nextInt(3000)];
                random.nextBytes(data);
                contents.put(s.writeNewObjFromBytes(data), data);
            }
            byte[] large = new byte[LARGE];
            random.nextBytes(large);
            try (ObjectWriter w = s.lateWriteNewObj(LARGE)) {
                for (int at = 0; at < LARGE; at += 1 << 20) {
                    w.write(ByteBuffer.wrap(large, at, Math.min(1 << 20, LARGE - at)));
                }
                contents.put(w.id(), large);
            }
            for (Long id : contents.keySet().stream().sorted().limit(40).toList()) {
                if (id != prime[0] && id % 3 == 0) {
                    s.deleteObj(id);
                    contents.remove(id);
                }
            }
        }
        return file;
    }

    /** The mapping file's lines as old id to new id. */
    private static Map<Long, Long> mapping(Path file) throws Exception {
        Map<Long, Long> map = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.split(" ");
            assertEquals(2, parts.length, line);
            assertEquals(null, map.put(Long.parseLong(parts[0]), Long.parseLong(parts[1])), line);
        }
        return map;
    }

    @ParameterizedTest
    @CsvSource({"basic, multi", "multi, basic"})
    void everyObjectRoundTripsIntoTheOtherKindWithItsPrimeObject(String from, String to) throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        long[] prime = new long[1];
        Path source = source(from, contents, prime);
        byte[] sourceBefore = Files.readAllBytes(source);
        Path stream = dir.resolve("export.bobx");
        ToolRun export = ToolRun.of("export", "--json", source.toString(), stream.toString());
        assertEquals(0, export.status(), export.toString());
        Map<String, Object> ej = export.json();
        assertEquals((long) contents.size(), ej.get("objects"));
        assertEquals(contents.values().stream().mapToLong(b -> b.length).sum(), ej.get("bytes"));
        assertEquals(prime[0], ej.get("prime"));
        assertArrayEquals(sourceBefore, Files.readAllBytes(source), "export leaves the source's file as it was");

        Path target = dir.resolve("target-" + to + ".bob");
        ToolRun imported = ToolRun.of("import", "--json", stream.toString(), "bobbob:" + to + ":" + target);
        assertEquals(0, imported.status(), imported.toString());
        Map<String, Object> ij = imported.json();
        assertEquals((long) contents.size(), ij.get("objects"));
        Path idmap = Path.of(target + ".idmap");
        assertEquals(idmap.toString(), ij.get("mapping"));
        Map<Long, Long> ids = mapping(idmap);
        assertEquals(contents.keySet(), ids.keySet());
        try (Storer s = StoreManager.open("bobbob:" + to + ":" + target + "?create=false")) {
            assertEquals(contents.size(), s.unwrap(ObjectLister.class).objectIds().length);
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(ids.get(e.getKey())), "object " + e.getKey());
            }
            assertEquals(ids.get(prime[0]), s.primeObject(0), "the prime object is the target's prime object");
            assertEquals(ids.get(prime[0]), ij.get("prime"));
        }
        assertEquals(0, ToolRun.of("verify", "--read-all", target.toString()).status());
    }

    @Test
    void standardOutputAndInputCarryTheStreamAndTheReportGoesToStandardError() throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        Path source = source("multi", contents, new long[1]);
        ToolRun export = ToolRun.of("export", source.toString(), "-");
        assertEquals(0, export.status(), export.err());
        assertTrue(new String(export.outBytes(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("BOBX"));
        assertTrue(export.err().contains(contents.size() + " objects"), export.err());
        Path target = dir.resolve("piped.bob");
        Path map = dir.resolve("piped.map");
        ToolRun imported = ToolRun.withInput(
                export.outBytes(), "import", "--mapping", map.toString(), "-", "bobbob:basic:" + target);
        assertEquals(0, imported.status(), imported.toString());
        assertTrue(imported.out().contains("ids: "), imported.toString());
        Map<Long, Long> ids = mapping(map);
        try (Storer s = StoreManager.open("bobbob:basic:" + target)) {
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(ids.get(e.getKey())));
            }
        }
    }

    /** Every cut of the stream, and every flipped bit in a sample of places, is refused and leaves no object. */
    @Test
    void aStreamCutShortOrDamagedIsBob301AndTheImportLeavesNothing() throws Exception {
        Path source = dir.resolve("small.bob");
        try (Storer s = StoreManager.open("bobbob:multi:" + source)) {
            for (int i = 0; i < 20; i++) {
                s.writeNewObjFromBytes(new byte[i * 5]);
            }
        }
        ToolRun export = ToolRun.of("export", source.toString(), "-");
        byte[] whole = export.outBytes();
        Path target = dir.resolve("target.bob");
        try (Storer s = StoreManager.open("bobbob:basic:" + target)) {
            s.writeNewObjFromBytes(new byte[] {42});
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 40; round++) {
            byte[] bad;
            if (round % 2 == 0) {
                bad = Arrays.copyOf(whole, 8 + random.nextInt(whole.length - 8));
            } else {
                bad = whole.clone();
                bad[8 + random.nextInt(whole.length - 8)] ^= (byte) (1 << random.nextInt(8));
            }
            Path map = dir.resolve("map" + round);
            ToolRun run = ToolRun.withInput(bad, "import", "--mapping", map.toString(), "-", target.toString());
            assertEquals(1, run.status(), "round " + round + ": " + run);
            assertTrue(run.err().contains("[BOB-301] export stream standard input is damaged"), run.toString());
            assertFalse(Files.exists(map), "no mapping after a failed import");
            try (Storer s = StoreManager.open("bobbob:basic:" + target)) {
                assertEquals(1, s.unwrap(ObjectLister.class).objectIds().length, "round " + round + ": " + run);
            }
        }
        ToolRun trailing = ToolRun.withInput(
                Arrays.copyOf(whole, whole.length + 1),
                "import",
                "--mapping",
                dir.resolve("t").toString(),
                "-",
                target.toString());
        assertEquals(1, trailing.status());
        assertTrue(trailing.err().contains("bytes follow its trailer"), trailing.toString());
    }

    @Test
    void aFileThatIsNoExportStreamIsBob302() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not an export");
        ToolRun run = ToolRun.of("import", notes.toString(), "bobbob:multi:" + dir.resolve("t.bob"));
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("[BOB-302]"), run.toString());
        ToolRun json = ToolRun.of("import", "--json", notes.toString(), "bobbob:multi:" + dir.resolve("u.bob"));
        assertEquals("BOB-302", ((Map<?, ?>) json.json().get("error")).get("code"));
        ToolRun shortMagic =
                ToolRun.withInput(new byte[] {'B', 'O'}, "import", "-", "bobbob:multi:" + dir.resolve("v.bob"));
        assertTrue(shortMagic.err().contains("[BOB-302]"), shortMagic.toString());

        byte[] later = {'B', 'O', 'B', 'X', 0, 2, 0, 0};
        ToolRun version = ToolRun.withInput(later, "import", "-", "bobbob:multi:" + dir.resolve("w.bob"));
        assertEquals(1, version.status());
        assertTrue(
                version.err().contains("[BOB-303] standard input is an export stream of version 2"),
                version.toString());
        ToolRun headerCut =
                ToolRun.withInput(Arrays.copyOf(later, 5), "import", "-", "bobbob:multi:" + dir.resolve("x.bob"));
        assertTrue(
                headerCut.err().contains("[BOB-301]") && headerCut.err().contains("cut short"), headerCut.toString());
    }

    @Test
    void aStoreOfAnotherKindNeedsAMappingFileAndAnExistingOneIsNeverReplaced() throws Exception {
        Path source = dir.resolve("s.bob");
        try (Storer s = StoreManager.open("bobbob:multi:" + source)) {
            s.writeNewObjFromBytes(new byte[] {1});
        }
        Path stream = dir.resolve("s.bobx");
        assertEquals(
                0, ToolRun.of("export", source.toString(), stream.toString()).status());
        ToolRun noMapping = ToolRun.of("import", stream.toString(), "bobbob:test-temp:import");
        assertEquals(2, noMapping.status(), noMapping.toString());
        assertTrue(noMapping.err().contains("--mapping <file> is required"), noMapping.toString());
        Path map = dir.resolve("other.map");
        ToolRun other = ToolRun.of("import", "--mapping", map.toString(), stream.toString(), "bobbob:test-temp:import");
        assertEquals(0, other.status(), other.toString());
        assertEquals(1, Files.readAllLines(map).size());
        ToolRun again = ToolRun.of("import", "--mapping", map.toString(), stream.toString(), "bobbob:test-temp:import");
        assertEquals(1, again.status(), again.toString());
        assertTrue(again.err().contains("[BOB-204]"), again.toString());
        ToolRun exportAgain = ToolRun.of("export", source.toString(), stream.toString());
        assertEquals(1, exportAgain.status());
        assertTrue(exportAgain.err().contains("[BOB-204]"), exportAgain.toString());
        ToolRun newBarePath =
                ToolRun.of("import", stream.toString(), dir.resolve("new.bob").toString());
        assertEquals(1, newBarePath.status(), "a bare path names an existing store: " + newBarePath);
        assertTrue(newBarePath.err().contains("[BOB-203]"), newBarePath.toString());
    }

    @Test
    void intoAStoreWithAPrimeObjectOfItsOwnTheStreamsPrimeIsAnOrdinaryObject() throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        long[] prime = new long[1];
        Path source = source("basic", contents, prime);
        Path stream = dir.resolve("p.bobx");
        assertEquals(
                0, ToolRun.of("export", source.toString(), stream.toString()).status());
        Path target = dir.resolve("has-prime.bob");
        long own;
        try (Storer s = StoreManager.open("bobbob:multi:" + target)) {
            own = s.primeObject(3);
            s.writeBytesToObj(own, new byte[] {7, 8, 9});
        }
        ToolRun run = ToolRun.of("import", stream.toString(), target.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("warning: the store has a prime object of its own"), run.toString());
        Map<Long, Long> ids = mapping(Path.of(target + ".idmap"));
        try (Storer s = StoreManager.open("bobbob:multi:" + target)) {
            assertEquals(own, s.primeObject(0));
            assertArrayEquals(new byte[] {7, 8, 9}, s.readBytesFromObj(own));
            Long copied = ids.get(prime[0]);
            assertNotNull(copied);
            assertArrayEquals(contents.get(prime[0]), s.readBytesFromObj(copied));
        }
    }

    @Test
    void aStoreWithoutAPrimeObjectIsExportedWithoutOneAndKeepsHavingNone() throws Exception {
        Path source = dir.resolve("noprime.bob");
        try (Storer s = StoreManager.open("bobbob:multi:" + source)) {
            s.writeNewObjFromBytes(new byte[] {1, 2});
        }
        ToolRun run = ToolRun.of(
                "export", "--json", source.toString(), dir.resolve("n.bobx").toString());
        assertEquals(0, run.status(), run.toString());
        assertEquals(0L, run.json().get("prime"));
        assertEquals(1L, run.json().get("objects"));
        try (Storer s = StoreManager.open("bobbob:multi:" + source)) {
            assertEquals(List.of(1), List.of(s.unwrap(ObjectLister.class).objectIds().length));
        }
    }

    @Test
    void exportOfAStoreWithoutAPrimeObjectLeavesItsFileAsItWas() throws Exception {
        Path source = dir.resolve("noprime.bob");
        try (Storer s = org.bobbob.store.MultiStore.create(source, 0)) {
            s.writeNewObjFromBytes(new byte[] {1, 2, 3});
            assertEquals(0, s.unwrap(ObjectLister.class).primeObjectId());
        }
        byte[] before = Files.readAllBytes(source);
        assertEquals(
                0,
                ToolRun.of(
                                "export",
                                source.toString(),
                                dir.resolve("noprime.bobx").toString())
                        .status());
        assertArrayEquals(before, Files.readAllBytes(source), "export writes nothing to the store it reads");
        try (Storer s = org.bobbob.store.MultiStore.open(source, 0)) {
            long prime = s.primeObject(8);
            assertEquals(prime, s.unwrap(ObjectLister.class).primeObjectId());
        }
    }
}
