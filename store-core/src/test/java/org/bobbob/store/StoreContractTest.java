package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every store promises through the {@link Storer} interface, run on each of {@link TestStores}. */
class StoreContractTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void shouldRoundTripBytesOfEverySize(TestStores stores) throws Exception {
        int[] sizes = {0, 1, 15, 16, 17, 100, 4095, 4096, 4097, 65536, 1 << 20};
        Map<Long, byte[]> written = new HashMap<>();
        try (Storer s = stores.create(file())) {
            for (int size : sizes) {
                byte[] data = TestBytes.of(size, size);
                long id = s.writeNewObjFromBytes(data);
                assertTrue(id > 0, "ids are positive");
                written.put(id, data);
            }
            assertEquals(sizes.length, written.size(), "ids are distinct");
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "exact length and content");
            }
        }
        try (Storer s = stores.open(file())) {
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "after reopen");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void newObjReadsAsZerosEvenInReusedSpace(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long old = s.writeNewObjFromBytes(TestBytes.filled(300, (byte) 0x7F));
            s.deleteObj(old);
            s.sync(); // the freed space is reusable now
            long id = s.newObj(300);
            assertArrayEquals(new byte[300], s.readBytesFromObj(id));
            try (ObjectWriter w = s.lateWriteNewObj(300)) {
                w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                id = w.id();
            }
            byte[] expected = new byte[300];
            expected[0] = 1;
            expected[1] = 2;
            expected[2] = 3;
            assertArrayEquals(expected, s.readBytesFromObj(id), "bytes not written by a late writer read as zeros");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void overwriteInPlaceKeepsTheTail(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long id = s.writeNewObjFromBytes(TestBytes.filled(10, (byte) 9));
            s.writeBytesToObj(id, new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2, 9, 9, 9, 9, 9, 9, 9, 9}, s.readBytesFromObj(id));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void writingPastTheSizeWritesNothingAndFails(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long id = s.writeNewObjFromBytes(TestBytes.filled(8, (byte) 5));
            assertThrows(WriteLimitExceededException.class, () -> s.writeBytesToObj(id, new byte[9]));
            try (ObjectWriter w = s.writeToObj(id)) {
                w.write(ByteBuffer.wrap(new byte[6]));
                assertThrows(WriteLimitExceededException.class, () -> w.write(ByteBuffer.wrap(new byte[3])));
            }
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 5, 5}, s.readBytesFromObj(id));
            long empty = s.writeNewObjFromBytes(new byte[0]); // an empty write fits a size-0 object
            assertEquals(0, s.readBytesFromObj(empty).length);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void deletedIdsAreNotFoundAndSecondDeleteThrows(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long id = s.writeNewObjFromBytes(new byte[] {1});
            s.deleteObj(id);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
            assertThrows(ObjectNotFoundException.class, () -> s.writeToObj(id));
            assertThrows(ObjectNotFoundException.class, () -> s.deleteObj(id));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void freedSpaceIsReusedAfterSyncAndTheFileDoesNotGrow(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long[] ids = new long[200];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.writeNewObjFromBytes(TestBytes.of(i, 1000));
            }
            s.sync();
            long sizeBefore = Files.size(file());
            for (int i = 0; i < ids.length; i += 2) {
                s.deleteObj(ids[i]);
            }
            s.sync();
            for (int i = 0; i < ids.length; i += 2) {
                ids[i] = s.writeNewObjFromBytes(TestBytes.of(i + 1000, 1000));
            }
            s.sync();
            assertTrue(
                    Files.size(file()) <= sizeBefore + 8192,
                    "file grew from " + sizeBefore + " to " + Files.size(file()) + " although the holes fit");
            for (int i = 0; i < ids.length; i++) {
                byte[] expect = TestBytes.of(i % 2 == 0 ? i + 1000 : i, 1000);
                assertArrayEquals(expect, s.readBytesFromObj(ids[i]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void deleteCloseOpenReusesTheHole(TestStores stores) throws Exception {
        Set<Long> kept = new HashSet<>();
        long deleted;
        try (Storer s = stores.create(file())) {
            deleted = s.writeNewObjFromBytes(TestBytes.of(1, 5000));
            kept.add(s.writeNewObjFromBytes(TestBytes.of(2, 5000)));
            s.deleteObj(deleted);
        }
        long sizeAfterDelete = Files.size(file());
        try (Storer s = stores.open(file())) {
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(deleted));
            long again = s.writeNewObjFromBytes(TestBytes.of(3, 5000));
            assertFalse(kept.contains(again));
            s.sync();
            assertTrue(Files.size(file()) <= sizeAfterDelete + 512, "the new object went into the hole");
            assertArrayEquals(TestBytes.of(3, 5000), s.readBytesFromObj(again));
            for (long id : kept) {
                assertArrayEquals(TestBytes.of(2, 5000), s.readBytesFromObj(id));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void primeObjectKeepsItsIdAcrossReopen(TestStores stores) throws Exception {
        long prime;
        try (Storer s = stores.create(file())) {
            s.writeNewObjFromBytes(new byte[40]); // the prime object need not be the first allocation
            prime = s.primeObject(16);
            assertEquals(prime, s.primeObject(16));
            assertEquals(prime, s.primeObject(8), "a smaller size is fine");
            assertArrayEquals(new byte[16], s.readBytesFromObj(prime));
            s.writeBytesToObj(prime, TestBytes.of(7, 16));
            assertThrows(StoreException.class, () -> s.primeObject(17));
        }
        try (Storer s = stores.open(file())) {
            assertEquals(prime, s.primeObject(16));
            assertArrayEquals(TestBytes.of(7, 16), s.readBytesFromObj(prime));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void streamViewsRoundTripAndCloseTheHandle(TestStores stores) throws Exception {
        byte[] data = TestBytes.of(11, 100_000);
        try (Storer s = stores.create(file())) {
            long id;
            ObjectWriter w = s.lateWriteNewObj(data.length);
            id = w.id();
            try (OutputStream out = w.asOutputStream()) {
                out.write(data, 0, 10);
                out.write(data[10]);
                out.write(data, 11, data.length - 11);
            }
            assertThrows(StoreClosedException.class, () -> w.write(ByteBuffer.allocate(1)), "closed by the stream");
            ObjectReader r = s.lateReadObj(id);
            try (InputStream in = r.asInputStream()) {
                assertEquals(data[0], (byte) in.read());
                byte[] rest = in.readAllBytes();
                assertEquals(data.length - 1, rest.length);
                assertEquals(-1, in.read());
            }
            assertThrows(StoreClosedException.class, () -> r.read(ByteBuffer.allocate(1)));
            r.close(); // idempotent
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void objectInfoDescribesLiveObjectsOnly(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            long id = s.writeNewObjFromBytes(new byte[100]);
            ObjectInfo oi = info.objectInfo(id).orElseThrow();
            assertEquals(100, oi.size());
            assertTrue(oi.allocatedSize() >= 100 && oi.allocatedSize() <= 125, "at most 25% slack: " + oi);
            long other = s.writeNewObjFromBytes(new byte[100]);
            assertNotEquals(oi.offset(), info.objectInfo(other).orElseThrow().offset());
            s.deleteObj(id);
            assertTrue(info.objectInfo(id).isEmpty());
            assertTrue(info.objectInfo(0).isEmpty());
            assertTrue(info.objectInfo(-5).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void secondOpenOfTheSameFileFailsNamingThePath(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            StoreException e = assertThrows(StoreException.class, () -> stores.open(file()));
            assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
            s.writeNewObjFromBytes(new byte[1]); // the first store is unharmed
        }
        stores.open(file()).close(); // the lock went with the close
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void closeIsIdempotentAndLaterCallsFail(TestStores stores) throws Exception {
        Storer s = stores.create(file());
        long id = s.writeNewObjFromBytes(new byte[] {4});
        ObjectReader open = s.lateReadObj(id);
        open.close();
        s.close();
        s.close();
        assertThrows(StoreClosedException.class, () -> s.readBytesFromObj(id));
        assertThrows(StoreClosedException.class, () -> s.newObj(1));
        assertThrows(StoreClosedException.class, () -> s.deleteObj(id));
        assertThrows(StoreClosedException.class, s::sync);
        assertThrows(StoreClosedException.class, () -> s.primeObject(1));
        try (Storer again = stores.open(file())) {
            assertArrayEquals(new byte[] {4}, again.readBytesFromObj(id));
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void createRefusesAnExistingStore(TestStores stores) throws Exception {
        stores.create(file()).close();
        assertThrows(StoreException.class, () -> stores.create(file()));
        stores.open(file()).close();
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void statisticsCountLiveObjects(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            StatisticsProvider stats = s.unwrap(StatisticsProvider.class);
            long a = s.writeNewObjFromBytes(new byte[10]);
            s.writeNewObjFromBytes(new byte[5000]);
            s.deleteObj(a);
            StoreStats st = stats.stats();
            assertEquals(1, st.objects());
            assertEquals(5000, st.liveBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void anInterruptedReaderFailsAloneAndTheStoreCarriesOn(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            long id = s.writeNewObjFromBytes(TestBytes.of(1, 5000));
            Thread.currentThread().interrupt(); // FileChannel closes itself on an interrupted read
            try {
                assertThrows(java.io.InterruptedIOException.class, () -> s.readBytesFromObj(id));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            } finally {
                Thread.interrupted();
            }
            assertArrayEquals(TestBytes.of(1, 5000), s.readBytesFromObj(id), "the channel was reopened");
            long other = s.writeNewObjFromBytes(new byte[] {7});
            s.sync();
            assertArrayEquals(new byte[] {7}, s.readBytesFromObj(other));
            assertThrows(StoreException.class, () -> stores.open(file()), "the file lock was taken again");
        }
    }
}
