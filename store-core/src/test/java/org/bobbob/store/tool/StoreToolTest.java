package org.bobbob.store.tool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bobbob.store.BasicStore;
import org.bobbob.store.MultiStore;
import org.bobbob.store.RecordEdits;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StoreTool.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path storeOf(int objects) throws Exception {
        Path file = dir.resolve("s.bob");
        try (Storer s = MultiStore.create(file, 0)) {
            for (int i = 0; i < objects; i++) {
                s.writeNewObjFromBytes(new byte[10 + i * 100]);
            }
        }
        return file;
    }

    @Test
    void infoPrintsTheFigures() throws Exception {
        Path file = storeOf(50);
        assertEquals(0, run("info", "bobbob:multi:" + file));
        assertTrue(
                out.toString(StandardCharsets.UTF_8).startsWith("objects 50, live bytes 123000,"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoChecksTheWholeRecordThatOpeningOnlyIndexes() throws Exception {
        Path file = storeOf(50);
        RecordEdits.editPayload(file, p -> {
            int at = p.limit() - RecordEdits.FOOTER + RecordEdits.FOOTER_LIVE_BYTES;
            p.putLong(at, p.getLong(at) + 1);
        });
        assertEquals(1, run("info", "bobbob:multi:" + file));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("BOB-301") && e.contains("its index says"), e);
    }

    @Test
    void badUsageAndAMissingStoreHaveTheirOwnStatus() throws Exception {
        assertEquals(2, run("nonsense"));
        assertEquals(1, run("info", "bobbob:multi:" + dir.resolve("missing.bob")));
    }

    @Test
    void noVerbDeletesOrRewritesAnExistingStore() throws Exception {
        Path file = storeOf(20);
        byte[] before = Files.readAllBytes(file);
        assertEquals(2, run("demo", file.toString()));
        assertEquals(2, run("create", file.toString()));
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("usage: java -jar store-core.jar info"),
                err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(0, run("info", file.toString()));
        assertArrayEquals(before, Files.readAllBytes(file), "info changes nothing in a synced store");
    }

    @Test
    void infoTakesABareFilePathOfEitherKind() throws Exception {
        Path multi = storeOf(3);
        Path basic = dir.resolve("b.bob");
        try (Storer s = BasicStore.create(basic)) {
            s.writeNewObjFromBytes(new byte[7]);
        }
        assertEquals(0, run("info", multi.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("info", basic.toString()), err.toString(StandardCharsets.UTF_8));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith("objects 3, live bytes 330,") && o.contains("objects 1, live bytes 7,"), o);
        assertEquals("basic", StoreManager.kindOf(basic));
        assertEquals("multi", StoreManager.kindOf(multi));
    }

    @Test
    void errorsQuoteOnlyWhatTheUserTypedAndCreateNothing() throws Exception {
        Path missing = dir.resolve("missing.bob");
        assertEquals(1, run("info", missing.toString()));
        assertEquals(1, run("info", "bobbob:multi:" + missing));
        assertEquals(1, run("info", "bobbob:multi:" + missing + "?diskTokens=x"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertFalse(e.contains("create"), e);
        assertTrue(e.contains("[BOB-203] store file " + missing + " does not exist"), e);
        assertTrue(e.contains("[BOB-501] bad store URL 'bobbob:multi:" + missing + "?diskTokens=x'"), e);
        assertFalse(Files.exists(missing));
    }

    @Test
    void aFileThatIsNotAStoreIsReportedAndLeftAlone() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a store");
        assertEquals(1, run("info", notes.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[BOB-302]"), err.toString(StandardCharsets.UTF_8));
        assertEquals("not a store", Files.readString(notes));
    }
}
