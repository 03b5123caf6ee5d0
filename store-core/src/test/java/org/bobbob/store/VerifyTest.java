package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.bobbob.store.internal.engine.CompactReport;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.FileReport;
import org.bobbob.store.internal.format.HeaderSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code verify}: the read-only check of a store file ({@code Engines.check}, what the tool runs)
 * and the {@link StoreVerifier} of a running store. It passes on every healthy store and finds
 * every fault the bad-file tests plant, without changing the file.
 */
class VerifyTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    /** A store with small and large objects, some deleted and some overwritten; closed. */
    private Map<Long, byte[]> populate(TestStores stores) throws IOException {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        try (Storer s = stores.create(file())) {
            fill(s, objects, 300);
        }
        return objects;
    }

    private static void fill(Storer s, Map<Long, byte[]> objects, int count) throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = TestBytes.of(i, i % 50 == 0 ? 70_000 + i : r.nextInt(3000));
            long id = s.writeNewObjFromBytes(data);
            objects.put(id, data);
            ids.add(id);
        }
        for (int i = 0; i < count; i += 7) {
            s.deleteObj(ids.get(i));
            objects.remove(ids.get(i));
        }
        for (int i = 3; i < count; i += 11) {
            long id = ids.get(i);
            if (objects.containsKey(id)) {
                byte[] data = TestBytes.of(-i, objects.get(id).length);
                s.writeBytesToObj(id, data);
                objects.put(id, data);
            }
        }
        s.sync();
    }

    private static FileReport check(Path file, boolean readAll) throws IOException {
        return Engines.check(file, readAll, done -> {});
    }

    private static void assertProblem(FileReport report, ErrorCode code, String what) {
        assertFalse(report.verify().ok(), what + ": no problem found");
        assertEquals(
                code,
                report.verify().problems().get(0).code(),
                what + ": " + report.verify().problems());
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aHealthyClosedStorePassesAndItsFiguresAreTheStoresOwn(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        byte[] before = Files.readAllBytes(file());
        FileReport report = check(file(), true);
        assertTrue(report.verify().ok(), report.verify().problems().toString());
        assertEquals(objects.size(), report.objects());
        assertEquals(objects.size(), report.verify().objectsRead());
        long live = objects.values().stream().mapToLong(b -> b.length).sum();
        assertEquals(live, report.liveBytes());
        assertEquals(live, report.verify().bytesRead());
        assertEquals(Files.size(file()), report.fileBytes());
        long holeBytes = report.holes().stream()
                .mapToLong(FileReport.SizeClassFigures::bytes)
                .sum();
        assertEquals(report.freeBytes(), holeBytes, "the hole histogram adds up to the free bytes");
        assertArrayEquals(before, Files.readAllBytes(file()), "verify writes nothing");
        try (Storer s = stores.open(file())) {
            for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI", "CONCURRENT_MULTI"})
    void aRunningStorePassesItsOwnVerifyWhileItKeepsChanging(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        try (Storer s = stores.create(file())) {
            fill(s, objects, 6000); // record past the journal threshold: commits append entries
            long extra = s.writeNewObjFromBytes(TestBytes.of(99, 100)); // not yet synced
            objects.put(extra, TestBytes.of(99, 100));
            VerifyReport report = s.unwrap(StoreVerifier.class).verify(true);
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(objects.size(), report.objectsRead(), "every object listed now is read");
            assertEquals(objects.values().stream().mapToLong(b -> b.length).sum(), report.bytesRead());
            s.sync();
            assertEquals(
                    objects.size(), s.unwrap(StoreVerifier.class).verify(false).objects());
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aStoreThatWasNotClosedPassesWithItsJournalAndTheCheckLeavesItAsItWas(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        Path copy = dir.resolve("crashed.bob");
        try (Storer s = stores.create(file())) {
            fill(s, objects, 6000);
            long id = s.writeNewObjFromBytes(TestBytes.of(5, 500));
            objects.put(id, TestBytes.of(5, 500));
            s.sync(); // a journal entry
            Files.copy(file(), copy); // what a crash right here leaves: no close
        }
        byte[] before = Files.readAllBytes(copy);
        FileReport report = check(copy, true);
        assertTrue(report.verify().ok(), report.verify().problems().toString());
        assertEquals(objects.size(), report.objects());
        assertTrue(report.journalBytes() > 0, "the state names a journal");
        assertArrayEquals(before, Files.readAllBytes(copy));
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aFlippedByteInTheRecordIsBob301AndTheFileIsLeftAsItWas(TestStores stores) throws Exception {
        populate(stores);
        byte[] whole = Files.readAllBytes(file());
        HeaderSlot header = HeaderSlot.decode(ByteBuffer.wrap(whole)).slot();
        SplittableRandom r = new SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            byte[] bad = whole.clone();
            int at = (int) header.recordOffset() + r.nextInt(header.recordLength());
            bad[at] ^= (byte) (1 << r.nextInt(8));
            Files.write(file(), bad);
            assertProblem(check(file(), false), ErrorCode.CORRUPTED, "flip at " + at);
            assertArrayEquals(bad, Files.readAllBytes(file()), "verify writes nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void anIndexOrTotalThatDisagreesWithTheRecordIsBob301(TestStores stores) throws Exception {
        populate(stores);
        RecordEdits.editPayload(file(), p -> {
            int at = p.limit() - RecordEdits.FOOTER + RecordEdits.FOOTER_LIVE_BYTES;
            p.putLong(at, p.getLong(at) + 1);
        });
        assertProblem(check(file(), false), ErrorCode.CORRUPTED, "footer's live bytes off by one");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10})
    void aTruncatedFileIsBob301(int divisor) throws Exception {
        populate(TestStores.MULTI);
        byte[] whole = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(whole, Math.max(700, whole.length / divisor)));
        FileReport report = check(file(), false);
        assertProblem(report, ErrorCode.CORRUPTED, "truncated");
        assertTrue(
                report.verify().problems().get(0).message().contains("truncated"),
                report.verify().problems().toString());
    }

    @Test
    void aDamagedHeaderSlotIsANoteAndBothDamagedIsBob301() throws Exception {
        populate(TestStores.BASIC);
        byte[] whole = Files.readAllBytes(file());
        byte[] one = whole.clone();
        one[HeaderSlot.SLOT_SIZE + 20] ^= 0x10;
        Files.write(file(), one);
        FileReport report = check(file(), true);
        assertTrue(report.verify().ok(), report.verify().problems().toString());
        assertTrue(
                report.verify().notes().get(0).startsWith("header slot 1"),
                report.verify().notes().toString());
        byte[] both = one.clone();
        both[20] ^= 0x10;
        Files.write(file(), both);
        assertProblem(check(file(), false), ErrorCode.CORRUPTED, "both slots damaged");
    }

    @Test
    void randomBytesAreNotAStoreAndAMissingFileThrows() throws Exception {
        byte[] noise = new byte[5000];
        new SplittableRandom(1).nextBytes(noise);
        Files.write(file(), noise);
        assertProblem(check(file(), false), ErrorCode.NOT_A_STORE, "random bytes");
        StoreException missing = assertThrows(StoreException.class, () -> check(dir.resolve("none.bob"), false));
        assertEquals(ErrorCode.FILE_MISSING, missing.code());
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void readAllFindsEveryObjectWhoseBytesWereFlippedByItsId(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        List<Long> flipped = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        try (Storer s = stores.open(file())) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                if (e.getValue().length > 0 && flipped.size() < 3) {
                    ObjectInfo where = info.objectInfo(e.getKey()).orElseThrow();
                    at.add(where.offset() + e.getValue().length / 2);
                    flipped.add(e.getKey());
                }
            }
        }
        byte[] all = Files.readAllBytes(file());
        for (long offset : at) {
            all[(int) offset] ^= 0x01;
        }
        Files.write(file(), all);
        assertTrue(check(file(), false).verify().ok(), "metadata alone is fine");
        FileReport report = check(file(), true);
        assertEquals(
                flipped.size(),
                report.verify().problems().size(),
                report.verify().problems().toString());
        for (VerifyReport.Problem p : report.verify().problems()) {
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, p.code());
            assertTrue(flipped.contains(p.id()), p.toString());
        }
    }

    @Test
    void aStoreOpenInThisProcessIsLockedAndOnlyItsOwnVerifierChecksIt() throws Exception {
        try (Storer s = MultiStore.create(file(), 0)) {
            s.writeNewObjFromBytes(TestBytes.of(1, 100));
            s.sync();
            StoreException locked = assertThrows(StoreException.class, () -> check(file(), false));
            assertEquals(ErrorCode.LOCKED, locked.code());
            assertTrue(s.unwrap(StoreVerifier.class).verify(true).ok());
        }
        assertTrue(check(file(), false).verify().ok(), "the shared lock of the check is released");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"basic-v1", "multi-v1", "basic-v2", "multi-v2", "basic-v3", "multi-v3", "basic-v4", "multi-v4"})
    void everyFormatFixturePasses(String name) throws Exception {
        try (InputStream in =
                new GZIPInputStream(getClass().getResourceAsStream("/org/bobbob/store/format/" + name + ".bob.gz"))) {
            Files.copy(in, file());
        }
        FileReport report = check(file(), true);
        assertTrue(report.verify().ok(), name + ": " + report.verify().problems());
        assertTrue(report.objects() > 0, name);
        if (name.endsWith("v4")) {
            assertEquals(1, report.inDoubt().size(), "the v4 fixtures hold a prepared XA branch");
        }
    }

    /**
     * Deleting the newest objects frees the file's tail, but the syncs after it write their journal
     * and record past it: close gives the tail back all the same, compact does on a copy taken while
     * the store ran, and {@code info} counts that copy's free end.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void closeAndCompactGiveBackTheTailThatDeletesFreed(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        Path running = dir.resolve("running.bob");
        long kept = 0;
        try (Storer s = stores.create(file())) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) { // a record large enough for a journal
                byte[] data = TestBytes.of(i, 100 + (i % 7) * 1000);
                long id = s.writeNewObjFromBytes(data);
                objects.put(id, data);
                ids.add(id);
                kept += i < 2000 ? data.length : 0;
            }
            s.sync();
            for (long id : ids.subList(2000, 20_000)) {
                s.deleteObj(id);
                objects.remove(id);
            }
            s.sync();
            for (int i = 0; i < 3; i++) {
                byte[] data = TestBytes.of(-i, 10);
                objects.put(s.writeNewObjFromBytes(data), data);
                s.sync();
            }
            Files.copy(file(), running);
        }
        long small = kept * 3 / 2 + (1 << 20); // the objects left, their slots' slack, a record
        FileReport closed = check(file(), false);
        assertTrue(closed.fileBytes() < small, "close gave the tail back: " + closed);
        assertEquals(closed.end(), closed.fileBytes());
        assertEquals(0, closed.freeTailBytes());

        FileReport copy = check(running, false);
        long accounted = copy.liveBytes()
                + copy.freeBytes()
                + copy.slotBytes()
                + copy.freeTailBytes()
                + copy.recordBytes()
                + copy.journalBytes();
        assertTrue(copy.fileBytes() < accounted + small, "info accounts for the copy's length: " + copy);
        CompactReport report = Engines.compact(running);
        assertTrue(report.bytesAfter() < small, report.toString());
        assertEquals(Files.size(running), report.bytesAfter());
        FileReport compacted = check(running, true);
        assertTrue(compacted.verify().ok(), compacted.verify().problems().toString());
        assertEquals(0, compacted.freeTailBytes());
        for (Path p : List.of(file(), running)) {
            try (Storer s = stores.open(p)) {
                for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), p + ": object " + e.getKey());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void compactOfAStoreThatWasNotClosedKeepsEveryObjectAndIdAndReportsTheHoleItCannotGiveBack(TestStores stores)
            throws Exception {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        Path crashed = dir.resolve("crashed.bob");
        try (Storer s = stores.create(file())) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] data = TestBytes.of(i, 5000 + i);
                long id = s.writeNewObjFromBytes(data);
                objects.put(id, data);
                ids.add(id);
            }
            s.sync();
            List<Long> deleted = new ArrayList<>(ids.subList(100, 110)); // a hole, which stays
            deleted.addAll(ids.subList(390, 400)); // a tail under the 64 KiB a sync cuts by itself
            for (long id : deleted) {
                s.deleteObj(id);
                objects.remove(id);
            }
            s.sync();
            Files.copy(file(), crashed); // not closed: the tail the deletes freed is still in the file
        }
        CompactReport report = Engines.compact(crashed);
        assertTrue(report.bytesAfter() <= report.bytesBefore(), report.toString());
        assertEquals(Files.size(crashed), report.bytesAfter());
        assertEquals(objects.size(), report.objects());
        assertTrue(report.holesLeft() >= 1 && report.freeBytesLeft() >= 10 * 5000, report.toString());
        assertTrue(check(crashed, true).verify().ok());
        try (Storer s = stores.open(crashed)) {
            for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            }
        }
    }
}
