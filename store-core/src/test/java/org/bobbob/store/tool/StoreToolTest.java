package org.bobbob.store.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bobbob.store.MultiStore;
import org.bobbob.store.RecordEdits;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return StoreTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
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
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("objects 50, live bytes 123000,"), out.toString(StandardCharsets.UTF_8));
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
}
