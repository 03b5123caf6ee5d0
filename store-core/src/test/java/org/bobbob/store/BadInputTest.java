package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.bobbob.store.internal.format.HeaderSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad calls and bad files: each gets its specific exception, and a store that was valid stays
 * valid (it is reopened and verified after every bad call).
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    /** A store holding a few objects, closed; returns id → content. */
    private Map<Long, byte[]> populate(TestStores stores) throws IOException {
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        try (Storer s = stores.create(file())) {
            for (int i = 0; i < 30; i++) {
                byte[] data = TestBytes.of(i, 10 + i * 397);
                objects.put(s.writeNewObjFromBytes(data), data);
            }
        }
        return objects;
    }

    private static void verify(Storer s, Map<Long, byte[]> objects) throws IOException {
        for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
            assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
        }
    }

    private void reopenAndVerify(TestStores stores, Map<Long, byte[]> objects) throws IOException {
        try (Storer s = stores.open(file())) {
            verify(s, objects);
        }
    }

    /** Writes {@code content} as the store file; opening it must be refused as corrupted. */
    private StoreCorruptedException assertOpenCorrupted(TestStores stores, byte[] content, String what)
            throws IOException {
        Files.write(file(), content);
        return assertThrows(StoreCorruptedException.class, () -> stores.open(file()), what);
    }

    /** Puts the intact file back: it opens and holds every object. */
    private void restoreAndVerify(TestStores stores, byte[] whole, Map<Long, byte[]> objects) throws IOException {
        Files.write(file(), whole);
        reopenAndVerify(stores, objects);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void badCallsThrowTheirExceptionAndChangeNothing(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        long someId = objects.keySet().iterator().next();
        long deleted;
        try (Storer s = stores.open(file())) {
            deleted = s.writeNewObjFromBytes(new byte[] {1, 2, 3});
            s.deleteObj(deleted);
            Map<String, Executable> illegal = new LinkedHashMap<>();
            illegal.put("newObj(-1)", () -> s.newObj(-1));
            illegal.put("lateWriteNewObj(-1)", () -> s.lateWriteNewObj(-1));
            illegal.put("primeObject(-1)", () -> s.primeObject(-1));
            illegal.put(
                    "writeBatchedObjs length mismatch",
                    () -> s.writeBatchedObjs(new long[] {someId}, new byte[1], new int[0]));
            illegal.put(
                    "writeBatchedObjs sum mismatch",
                    () -> s.writeBatchedObjs(new long[] {someId}, new byte[5], new int[] {4}));
            illegal.put(
                    "writeBatchedObjs negative size",
                    () -> s.writeBatchedObjs(new long[] {someId}, new byte[0], new int[] {-1}));
            illegal.put(
                    "writeBatchedObjs size larger than object",
                    () -> s.writeBatchedObjs(new long[] {someId}, new byte[11], new int[] {11}));
            for (Map.Entry<String, Executable> e : illegal.entrySet()) {
                assertThrows(IllegalArgumentException.class, e.getValue(), e.getKey());
            }
            assertThrows(NullPointerException.class, () -> s.writeNewObjFromBytes(null));
            assertThrows(NullPointerException.class, () -> s.writeBatchedObjs(null, new byte[0], new int[0]));

            long neverAllocated = someId + 3; // inside an object, or a free slot: never an object's id
            for (long bad : new long[] {0, -1, Long.MIN_VALUE, neverAllocated, deleted, Long.MAX_VALUE}) {
                ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(bad));
                assertEquals(bad, e.id());
                assertTrue(e.getMessage().contains(Long.toString(bad)), e.getMessage());
                assertThrows(ObjectNotFoundException.class, () -> s.writeToObj(bad));
                assertThrows(ObjectNotFoundException.class, () -> s.deleteObj(bad));
                assertThrows(
                        ObjectNotFoundException.class,
                        () -> s.writeBatchedObjs(new long[] {bad}, new byte[0], new int[] {0}));
            }
            assertThrows(WriteLimitExceededException.class, () -> s.writeBytesToObj(someId, new byte[11]));
            verify(s, objects);
        }
        reopenAndVerify(stores, objects);
    }

    @Test
    void batchedWriteOfObjectsNotAdjacentIsRefused() throws Exception {
        try (Storer s = BasicStore.create(file())) {
            long a = s.writeNewObjFromBytes(new byte[4]);
            s.writeNewObjFromBytes(new byte[4]);
            long c = s.writeNewObjFromBytes(new byte[4]);
            StoreException e = assertThrows(
                    StoreException.class, () -> s.writeBatchedObjs(new long[] {a, c}, new byte[8], new int[] {4, 4}));
            assertTrue(e.getMessage().contains("not adjacent"), e.getMessage());
            assertArrayEquals(new byte[4], s.readBytesFromObj(c), "nothing written");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void useAfterCloseIsStoreClosed(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        Storer s = stores.open(file());
        long id = objects.keySet().iterator().next();
        ObjectWriter w = s.writeToObj(id);
        w.close();
        s.close();
        assertThrows(StoreClosedException.class, () -> w.write(ByteBuffer.allocate(1)));
        assertThrows(StoreClosedException.class, () -> s.lateReadObj(id));
        assertThrows(StoreClosedException.class, () -> s.writeToObj(id));
        assertThrows(StoreClosedException.class, () -> s.lateWriteNewObj(1));
        assertThrows(StoreClosedException.class, () -> s.writeBatchedObjs(new long[0], new byte[0], new int[0]));
        reopenAndVerify(stores, objects);
    }

    @Test
    void aFileOfRandomBytesIsNotAStore() throws Exception {
        byte[] noise = new byte[8192];
        new SplittableRandom(42).nextBytes(noise);
        Files.write(file(), noise);
        for (TestStores stores : TestStores.values()) {
            StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> stores.open(file()));
            assertTrue(
                    e.getMessage().contains("BOB-302") && e.getMessage().contains(file().toString()), e.getMessage());
        }
        assertArrayEquals(noise, Files.readAllBytes(file()), "a failed open writes nothing");
        assertReleased();
    }

    @Test
    void anEmptyOrMissingFileIsReported() throws Exception {
        StoreException missing = assertThrows(StoreException.class, () -> BasicStore.open(file()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.write(file(), new byte[0]);
        StoreCorruptedException empty = assertThrows(StoreCorruptedException.class, () -> MultiStore.open(file(), 0));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aTruncatedFileIsCorrupted(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        byte[] whole = Files.readAllBytes(file());
        for (int length : new int[] {whole.length / 2, 700, 10}) {
            StoreCorruptedException e =
                    assertOpenCorrupted(stores, java.util.Arrays.copyOf(whole, length), "truncated to " + length);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertReleased();
        }
        restoreAndVerify(stores, whole, objects);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aFlippedByteInTheMetadataRecordIsCorrupted(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        byte[] whole = Files.readAllBytes(file());
        HeaderSlot header = HeaderSlot.decode(ByteBuffer.wrap(whole)).slot();
        assertNotNull(header);
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 20; round++) {
            byte[] bad = whole.clone();
            int at = (int) header.recordOffset() + r.nextInt(header.recordLength());
            bad[at] ^= (byte) (1 << r.nextInt(8));
            StoreCorruptedException e = assertOpenCorrupted(stores, bad, "flip at byte " + at);
            assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
            assertArrayEquals(bad, Files.readAllBytes(file()), "a failed open writes nothing");
        }
        restoreAndVerify(stores, whole, objects);
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aDamagedHeaderSlotFallsBackToTheOtherWhichNamesTheSameState(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = populate(stores);
        byte[] whole = Files.readAllBytes(file());
        for (int slot = 0; slot < 2; slot++) {
            byte[] bad = whole.clone();
            bad[slot * HeaderSlot.SLOT_SIZE + 20] ^= 0x10; // inside the sequence number: checksum fails
            Files.write(file(), bad);
            reopenAndVerify(stores, objects);
        }
        byte[] both = whole.clone();
        both[20] ^= 0x10;
        both[HeaderSlot.SLOT_SIZE + 20] ^= 0x10;
        StoreCorruptedException e = assertOpenCorrupted(stores, both, "both header slots damaged");
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void anUnknownFormatVersionIsReportedAsSuch() throws Exception {
        Map<Long, byte[]> objects = populate(TestStores.BASIC);
        byte[] whole = Files.readAllBytes(file());
        byte[] future = whole.clone();
        for (int slot = 0; slot < 2; slot++) {
            ByteBuffer b = ByteBuffer.wrap(future, slot * HeaderSlot.SLOT_SIZE, 52)
                    .slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(8, 99);
            CRC32C crc = new CRC32C();
            crc.update(future, slot * HeaderSlot.SLOT_SIZE, 48);
            b.putInt(48, (int) crc.getValue());
        }
        StoreCorruptedException e = assertOpenCorrupted(TestStores.BASIC, future, "format version 99");
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        restoreAndVerify(TestStores.BASIC, whole, objects);
    }

    @Test
    void openingAStoreAsTheOtherKindIsRefused() throws Exception {
        Map<Long, byte[]> objects = populate(TestStores.MULTI);
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> BasicStore.open(file()));
        assertTrue(e.getMessage().contains("multi store, not a basic store"), e.getMessage());
        reopenAndVerify(TestStores.MULTI, objects);
    }

    /** A failed open released the file: this process can lock it and the file can be moved. */
    private void assertReleased() throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            assertNotNull(lock, "the failed open still holds the file lock");
        }
        Path moved = dir.resolve("moved.bob");
        Files.move(file(), moved);
        Files.move(moved, file());
    }
}
