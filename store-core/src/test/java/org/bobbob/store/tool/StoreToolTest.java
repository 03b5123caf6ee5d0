package org.bobbob.store.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.BasicStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.RecordEdits;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.internal.format.HeaderSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verbs info, verify, compact and backup, usage and exit statuses; export and import: {@link ExportImportTest}. */
class StoreToolTest {
    private static final List<String> VERBS = List.of("info", "verify", "compact", "backup", "export", "import");

    @TempDir
    Path dir;

    private Path storeOf(int objects) throws Exception {
        Path file = dir.resolve("s.bob");
        try (Storer s = MultiStore.create(file, 0)) {
            for (int i = 0; i < objects; i++) {
                s.writeNewObjFromBytes(new byte[10 + i * 100]);
            }
        }
        return file;
    }

    /** A store whose objects are {@code contents}' values (by id), with holes where every third was deleted. */
    private Path fragmented(String kind, Map<Long, byte[]> contents) throws Exception {
        Path file = dir.resolve(kind + ".bob");
        try (Storer s = StoreManager.open("bobbob:" + kind + ":" + file)) {
            for (int i = 0; i < 300; i++) {
                byte[] data = new byte[(i * 37) % 3000];
                java.util.Arrays.fill(data, (byte) i);
                contents.put(s.writeNewObjFromBytes(data), data);
            }
            s.sync();
            int i = 0;
            for (Long id : contents.keySet().stream().sorted().toList()) {
                if (i++ % 3 == 0) {
                    s.deleteObj(id);
                    contents.remove(id);
                }
            }
        }
        return file;
    }

    @Test
    void infoPrintsTheFiguresInReadableSizes() throws Exception {
        Path file = storeOf(50);
        ToolRun run = ToolRun.of("info", "bobbob:multi:" + file);
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("objects      50, 120 KiB (123000 bytes) live"), run.toString());
        assertTrue(run.out().contains("(multi, format 6,"), run.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void infoShowsTheFreeSpaceByHoleAndSlotSizeAsJson(String kind) throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        Path file = fragmented(kind, contents);
        ToolRun text = ToolRun.of("info", file.toString());
        assertEquals(0, text.status(), text.toString());
        ToolRun run = ToolRun.of("info", "--json", file.toString());
        assertEquals(0, run.status(), run.toString());
        Map<String, Object> json = run.json();
        assertEquals(kind, json.get("kind"));
        assertEquals((long) contents.size(), json.get("objects"));
        assertEquals(contents.values().stream().mapToLong(b -> b.length).sum(), json.get("liveBytes"));
        assertEquals(Files.size(file), json.get("fileBytes"));
        assertEquals(true, json.get("ok"));
        List<?> holes = (List<?>) json.get("holes");
        List<?> slots = (List<?>) json.get("freeSlots");
        long holeBytes = 0;
        for (Object o : holes) {
            Map<?, ?> h = (Map<?, ?>) o;
            long from = (Long) h.get("from");
            assertEquals(from * 2, h.get("to"));
            long count = (Long) h.get("count");
            long bytes = (Long) h.get("bytes");
            assertTrue(bytes >= count * from && bytes < count * from * 2, h.toString());
            holeBytes += bytes;
        }
        assertEquals(json.get("freeBytes"), holeBytes);
        long slotBytes = 0;
        for (Object o : slots) {
            Map<?, ?> s = (Map<?, ?>) o;
            slotBytes += (Long) s.get("bytes");
            assertEquals((Long) s.get("count") * (Long) s.get("from"), s.get("bytes"));
        }
        assertEquals(json.get("slotBytes"), slotBytes);
        if (kind.equals("multi")) {
            assertFalse(slots.isEmpty(), "a third of the objects deleted leaves free slots: " + json);
            assertTrue(text.out().contains("free slots"), text.toString());
        } else {
            assertFalse(holes.isEmpty(), "a third of the objects deleted leaves holes: " + json);
            assertTrue(slots.isEmpty(), json.toString());
            assertTrue(text.out().contains("holes        size (from .. below)"), text.toString());
        }
        assertEquals(List.of(), json.get("inDoubt"));
    }

    @Test
    void infoNamesThePreparedBranchesInDoubt() throws Exception {
        Path file = dir.resolve("xa.bob");
        Xid xid = new Xid() {
            @Override
            public int getFormatId() {
                return 4711;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return "global-7".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            @Override
            public byte[] getBranchQualifier() {
                return "branch-7".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
        };
        try (Storer s = StoreManager.open("bobbob:multi:" + file);
                XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
            XAResource xa = c.getXAResource();
            xa.start(xid, XAResource.TMNOFLAGS);
            c.getStorer().writeNewObjFromBytes(new byte[] {1, 2, 3});
            xa.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa.prepare(xid));
        }
        ToolRun json = ToolRun.of("info", "--json", file.toString());
        assertEquals(0, json.status(), json.toString());
        List<?> inDoubt = (List<?>) json.json().get("inDoubt");
        assertEquals(1, inDoubt.size(), json.toString());
        ToolRun text = ToolRun.of("info", file.toString());
        assertTrue(text.out().contains("in doubt     1 prepared XA branches"), text.toString());
        assertTrue(text.out().contains((String) inDoubt.get(0)), text.toString());
        ToolRun verify = ToolRun.of("verify", file.toString());
        assertEquals(0, verify.status(), "a branch in doubt is a note, not a problem: " + verify);
        assertTrue(verify.out().contains("note: 1 prepared XA branches are in doubt"), verify.toString());
    }

    @Test
    void infoChecksTheWholeRecordThatOpeningOnlyIndexes() throws Exception {
        Path file = storeOf(50);
        RecordEdits.editPayload(file, p -> {
            int at = p.limit() - RecordEdits.FOOTER + RecordEdits.FOOTER_LIVE_BYTES;
            p.putLong(at, p.getLong(at) + 1);
        });
        ToolRun run = ToolRun.of("info", "bobbob:multi:" + file);
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("[BOB-301]"), run.toString());
    }

    @Test
    void infoAndVerifyTakeAStoreOfAnotherKindThroughItsUrl() throws Exception {
        ToolRun info = ToolRun.of("info", "--json", "bobbob:test-temp:tool");
        assertEquals(0, info.status(), info.toString());
        assertEquals(0L, info.json().get("objects"));
        ToolRun verify = ToolRun.of("verify", "bobbob:test-temp:tool");
        assertEquals(0, verify.status(), verify.toString());
    }

    @Test
    void badUsageAndAMissingStoreHaveTheirOwnStatus() throws Exception {
        assertEquals(2, ToolRun.of().status());
        assertEquals(2, ToolRun.of("nonsense").status());
        assertEquals(
                1,
                ToolRun.of("info", "bobbob:multi:" + dir.resolve("missing.bob")).status());
    }

    @Test
    void everyVerbGivesItsUsageAndStatus2ForBadArguments() throws Exception {
        Path file = storeOf(1);
        for (String verb : VERBS) {
            for (String[] args : List.of(
                    new String[] {verb},
                    new String[] {verb, "--no-such-option", file.toString(), "x"},
                    new String[] {verb, file.toString(), "x", "y", "z"})) {
                ToolRun run = ToolRun.of(args);
                assertEquals(2, run.status(), verb + ": " + run);
                assertTrue(run.err().contains("usage: java -jar store-core.jar " + verb + " "), run.toString());
                assertEquals("", run.out(), run.toString());
            }
        }
        ToolRun noValue = ToolRun.of("import", "x.bobx", file.toString(), "--mapping");
        assertEquals(2, noValue.status(), noValue.toString());
        assertTrue(noValue.err().contains("--mapping needs a value"), noValue.toString());
    }

    @Test
    void everyVerbHasItsHelpAndTheOverviewNamesThemAll() throws Exception {
        for (String verb : VERBS) {
            ToolRun run = ToolRun.of(verb, "--help");
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.out().startsWith("usage: java -jar store-core.jar " + verb + " "), run.toString());
            assertTrue(run.out().contains("exit status: 0 ok, 1 problems found or a store error, 2 bad usage"));
        }
        ToolRun overview = ToolRun.of("--help");
        assertEquals(0, overview.status());
        for (String verb : VERBS) {
            assertTrue(overview.out().contains("\n  " + verb + " "), overview.toString());
        }
        ToolRun none = ToolRun.of();
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("usage: java -jar store-core.jar <verb>"), none.toString());
    }

    @Test
    void aStoreOpenElsewhereIsRefusedByEveryVerbWithItsOwnMessage() throws Exception {
        Path file = storeOf(3);
        byte[] before = Files.readAllBytes(file);
        try (Storer open = MultiStore.open(file, 0)) {
            assertEquals(
                    3,
                    open.unwrap(org.bobbob.store.StatisticsProvider.class)
                            .stats()
                            .objects());
            for (String[] args : List.of(
                    new String[] {"info", file.toString()},
                    new String[] {"verify", "--read-all", file.toString()},
                    new String[] {"compact", file.toString()},
                    new String[] {
                        "backup", file.toString(), dir.resolve("copy.bob").toString()
                    },
                    new String[] {
                        "export", file.toString(), dir.resolve("s.bobx").toString()
                    })) {
                ToolRun run = ToolRun.of(args);
                assertEquals(1, run.status(), args[0] + ": " + run);
                assertTrue(run.err().contains("[BOB-202]"), run.toString());
                assertTrue(run.err().contains("the store is open elsewhere"), run.toString());
            }
            ToolRun json = ToolRun.of("verify", "--json", file.toString());
            assertEquals(1, json.status());
            assertEquals(false, json.json().get("ok"));
            assertEquals("BOB-202", ((Map<?, ?>) json.json().get("error")).get("code"));
            assertFalse(Files.exists(dir.resolve("copy.bob")));
            assertFalse(Files.exists(dir.resolve("s.bobx")));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void verifyOfAHealthyStoreIsStatus0AndReadAllReadsEveryObject() throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        Path file = fragmented("multi", contents);
        byte[] before = Files.readAllBytes(file);
        ToolRun run = ToolRun.of("verify", "--read-all", file.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(
                run.out().contains(": ok, " + contents.size() + " objects; read " + contents.size()), run.toString());
        ToolRun json = ToolRun.of("verify", "--json", "--read-all", "bobbob:multi:" + file);
        assertEquals(0, json.status(), json.toString());
        Map<String, Object> j = json.json();
        assertEquals(true, j.get("ok"));
        assertEquals((long) contents.size(), j.get("objectsRead"));
        assertEquals(contents.values().stream().mapToLong(b -> b.length).sum(), j.get("bytesRead"));
        assertEquals(List.of(), j.get("problems"));
        assertArrayEquals(before, Files.readAllBytes(file), "verify writes nothing");
    }

    @Test
    void verifyWorksOnACopyOfALiveStore() throws Exception {
        Path file = dir.resolve("live.bob");
        Path copy = dir.resolve("copy.bob");
        try (Storer live = MultiStore.createConcurrent(file, 0)) {
            for (int i = 0; i < 100; i++) {
                live.writeNewObjFromBytes(new byte[i * 11]);
            }
            live.sync();
            Files.copy(file, copy);
            ToolRun run = ToolRun.of("verify", "--read-all", copy.toString());
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.out().contains("ok, 100 objects"), run.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void aFlippedByteInTheRecordIsBob301AndStatus1(String kind) throws Exception {
        Path file = fragmented(kind, new HashMap<>());
        byte[] whole = Files.readAllBytes(file);
        HeaderSlot header = HeaderSlot.decode(ByteBuffer.wrap(whole)).slot();
        whole[(int) header.recordOffset() + header.recordLength() / 2] ^= 0x10;
        Files.write(file, whole);
        ToolRun run = ToolRun.of("verify", file.toString());
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().startsWith("[BOB-301] "), run.toString());
        assertTrue(run.out().contains(": 1 problems"), run.toString());
        ToolRun json = ToolRun.of("verify", "--json", file.toString());
        assertEquals(1, json.status());
        List<?> problems = (List<?>) json.json().get("problems");
        assertEquals("BOB-301", ((Map<?, ?>) problems.get(0)).get("code"), json.toString());
        assertArrayEquals(whole, Files.readAllBytes(file), "verify writes nothing");
    }

    @Test
    void readAllNamesTheObjectWhoseBytesWereFlipped() throws Exception {
        Path file = dir.resolve("b.bob");
        long id;
        long offset;
        try (Storer s = BasicStore.create(file)) {
            s.writeNewObjFromBytes(new byte[100]);
            id = s.writeNewObjFromBytes(new byte[] {1, 2, 3, 4, 5});
            offset = s.unwrap(ObjectInfoProvider.class)
                    .objectInfo(id)
                    .orElseThrow()
                    .offset();
        }
        byte[] whole = Files.readAllBytes(file);
        whole[(int) offset + 2] ^= 1;
        Files.write(file, whole);
        assertEquals(0, ToolRun.of("verify", file.toString()).status(), "without --read-all no object is read");
        ToolRun run = ToolRun.of("verify", "--read-all", "--json", file.toString());
        assertEquals(1, run.status(), run.toString());
        Map<?, ?> problem = (Map<?, ?>) ((List<?>) run.json().get("problems")).get(0);
        assertEquals("BOB-305", problem.get("code"));
        assertEquals(id, problem.get("id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "multi"})
    void compactGivesBackTheTailKeepsEveryObjectAndVerifies(String kind) throws Exception {
        Path file = dir.resolve(kind + ".bob");
        Map<Long, byte[]> contents = new HashMap<>();
        try (Storer s = StoreManager.open("bobbob:" + kind + ":" + file)) {
            List<Long> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] data = new byte[100 + (i * 53) % 5000];
                java.util.Arrays.fill(data, (byte) (i * 7));
                long id = s.writeNewObjFromBytes(data);
                ids.add(id);
                contents.put(id, data);
            }
            s.sync();
            for (int i = 0; i < ids.size(); i++) {
                if (i % 4 == 1 || i >= 200) { // holes inside, and a free tail
                    s.deleteObj(ids.get(i));
                    contents.remove(ids.get(i));
                }
            }
        }
        long before = Files.size(file);
        ToolRun run = ToolRun.of("compact", "--json", file.toString());
        assertEquals(0, run.status(), run.toString());
        Map<String, Object> json = run.json();
        assertEquals(before, json.get("bytesBefore"));
        assertEquals(Files.size(file), json.get("bytesAfter"));
        assertTrue(Files.size(file) <= before, json.toString());
        assertEquals((long) contents.size(), json.get("objects"));
        assertTrue((Long) json.get("freeBytesLeft") > 0, "the holes between objects stay: " + json);
        try (Storer s = StoreManager.open("bobbob:" + kind + ":" + file)) {
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            }
        }
        ToolRun verify = ToolRun.of("verify", "--read-all", file.toString());
        assertEquals(0, verify.status(), verify.toString());
        ToolRun again = ToolRun.of("compact", file.toString());
        assertEquals(0, again.status(), again.toString());
        assertTrue(again.out().contains("objects never move"), again.toString());
    }

    @Test
    void backupWritesACopyThatOpensWithTheSameObjects() throws Exception {
        Map<Long, byte[]> contents = new HashMap<>();
        Path file = fragmented("multi", contents);
        Path copy = dir.resolve("backup.bob");
        ToolRun run = ToolRun.of("backup", "--json", file.toString(), copy.toString());
        assertEquals(0, run.status(), run.toString());
        Map<String, Object> json = run.json();
        assertEquals((long) contents.size(), json.get("objects"));
        assertEquals(Files.size(copy), json.get("bytes"));
        assertTrue((Long) json.get("longestWriterPauseNanos") >= 0);
        assertEquals(0, ToolRun.of("verify", "--read-all", copy.toString()).status());
        try (Storer s = MultiStore.open(copy, 0)) {
            for (Map.Entry<Long, byte[]> e : contents.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
        ToolRun exists = ToolRun.of("backup", file.toString(), copy.toString());
        assertEquals(1, exists.status(), exists.toString());
        assertTrue(exists.err().contains("[BOB-204]"), exists.toString());
        ToolRun text =
                ToolRun.of("backup", file.toString(), dir.resolve("second.bob").toString());
        assertEquals(0, text.status(), text.toString());
        assertTrue(text.out().contains("writers paused at most"), text.toString());
    }

    @Test
    void noVerbDeletesOrRewritesAnExistingStore() throws Exception {
        Path file = storeOf(20);
        byte[] before = Files.readAllBytes(file);
        assertEquals(2, ToolRun.of("demo", file.toString()).status());
        ToolRun create = ToolRun.of("create", file.toString());
        assertEquals(2, create.status());
        assertTrue(create.err().contains("usage: java -jar store-core.jar <verb>"), create.toString());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(0, ToolRun.of("info", file.toString()).status());
        assertEquals(0, ToolRun.of("verify", "--read-all", file.toString()).status());
        assertArrayEquals(before, Files.readAllBytes(file), "info and verify change nothing");
    }

    @Test
    void infoTakesABareFilePathOfEitherKind() throws Exception {
        Path multi = storeOf(3);
        Path basic = dir.resolve("b.bob");
        try (Storer s = BasicStore.create(basic)) {
            s.writeNewObjFromBytes(new byte[7]);
        }
        ToolRun m = ToolRun.of("info", multi.toString());
        ToolRun b = ToolRun.of("info", basic.toString());
        assertEquals(0, m.status(), m.toString());
        assertEquals(0, b.status(), b.toString());
        assertTrue(m.out().contains("objects      3, 330 B live"), m.toString());
        assertTrue(b.out().contains("(basic, format 6,") && b.out().contains("objects      1, 7 B live"), b.toString());
    }

    @Test
    void errorsQuoteOnlyWhatTheUserTypedAndCreateNothing() throws Exception {
        Path missing = dir.resolve("missing.bob");
        ToolRun bare = ToolRun.of("info", missing.toString());
        ToolRun url = ToolRun.of("info", "bobbob:multi:" + missing);
        ToolRun badKey = ToolRun.of("info", "bobbob:multi:" + missing + "?diskTokens=x");
        ToolRun export = ToolRun.of(
                "export", "bobbob:multi:" + missing, dir.resolve("x.bobx").toString());
        assertEquals(1, bare.status());
        assertEquals(1, url.status());
        assertEquals(1, badKey.status());
        assertEquals(1, export.status());
        String e = bare.err() + url.err() + badKey.err() + export.err();
        assertFalse(e.contains("create"), e);
        assertTrue(e.contains("[BOB-203] store file " + missing + " does not exist"), e);
        assertTrue(e.contains("[BOB-501] bad store URL 'bobbob:multi:" + missing + "?diskTokens=x'"), e);
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(dir.resolve("x.bobx")));
    }

    @Test
    void aFileThatIsNotAStoreIsReportedAndLeftAlone() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a store");
        for (String verb : List.of("info", "verify", "compact")) {
            ToolRun run = ToolRun.of(verb, notes.toString());
            assertEquals(1, run.status(), run.toString());
            assertTrue((run.out() + run.err()).contains("[BOB-302]"), run.toString());
        }
        assertEquals("not a store", Files.readString(notes));
    }

    @Test
    void sizesReadAsPeopleReadThem() {
        assertEquals("0 B", Sizes.human(0));
        assertEquals("1023 B", Sizes.human(1023));
        assertEquals("1 KiB", Sizes.human(1024));
        assertEquals("1.50 KiB", Sizes.human(1536));
        assertEquals("12.3 MiB", Sizes.human(12_900_000));
        assertEquals("4 GiB", Sizes.human(4L << 30));
        assertEquals("1.50 KiB (1536 bytes)", Sizes.humanExact(1536));
    }

    @Test
    void theProgressBarIsDrawnOnlyForAConsole() {
        var err = new java.io.ByteArrayOutputStream();
        var io = new Io(
                java.io.InputStream.nullInputStream(),
                new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                false);
        try (Progress bar = Progress.bytes(io, "verify", 4096)) {
            bar.accept(1024);
            assertEquals("verify [######..................]  25%  1 KiB of 4 KiB", bar.line(1024));
            assertEquals("verify [########################] 100%  4 KiB of 4 KiB", bar.line(5000));
        }
        assertEquals(0, err.size(), "no console: nothing drawn");
        assertEquals("import 12 objects", Progress.objects(io, "import", 0).line(12));
    }

    @Test
    void jsonStringsAreEscaped() {
        Map<String, Object> o = Json.object();
        o.put("text", "a \"quoted\" \\ back\nslash\t\u0001 é");
        o.put("list", List.of(1L, true, "x"));
        o.put("none", null);
        o.put("nan", Double.NaN);
        Map<String, Object> back = JsonParser.object(Json.write(o));
        assertEquals(o.get("text"), back.get("text"));
        assertEquals(List.of(1L, true, "x"), back.get("list"));
        assertTrue(back.containsKey("none") && back.get("none") == null);
        assertEquals(null, back.get("nan"));
    }
}
