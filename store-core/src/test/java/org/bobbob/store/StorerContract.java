package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every store promises through the {@link Storer} interface, whatever keeps its bytes: a
 * file store, a remote one. A subclass says how to make and reopen the store it checks; each test
 * calls {@link #create()} once, and {@link #reopen()} only after closing what {@code create()}
 * gave. Used by store-core's {@code StoreContractTest} (each of {@link TestStores}) and, through
 * store-core's test jar, by the tests of other providers.
 *
 * <p>What only a file store promises (space reuse, the file lock) is in {@code StoreContractTest}.
 */
public abstract class StorerContract {

    /** For subclasses. */
    protected StorerContract() {}

    /** A new, empty store, which this test owns and closes. */
    protected abstract Storer create() throws IOException;

    /** The store {@link #create()} made, opened again after it was closed. */
    protected abstract Storer reopen() throws IOException;

    @Test
    void shouldRoundTripBytesOfEverySize() throws Exception {
        int[] sizes = {0, 1, 15, 16, 17, 100, 4095, 4096, 4097, 65536, 1 << 20};
        Map<Long, byte[]> written = new HashMap<>();
        try (Storer s = create()) {
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
        try (Storer s = reopen()) {
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "after reopen");
            }
        }
    }

    @Test
    void newObjReadsAsZerosEvenInReusedSpace() throws Exception {
        try (Storer s = create()) {
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

    @Test
    void overwriteInPlaceKeepsTheTail() throws Exception {
        try (Storer s = create()) {
            long id = s.writeNewObjFromBytes(TestBytes.filled(10, (byte) 9));
            s.writeBytesToObj(id, new byte[] {1, 2});
            assertArrayEquals(new byte[] {1, 2, 9, 9, 9, 9, 9, 9, 9, 9}, s.readBytesFromObj(id));
        }
    }

    @Test
    void writingPastTheSizeWritesNothingAndFails() throws Exception {
        try (Storer s = create()) {
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

    @Test
    void deletedIdsAreNotFoundAndSecondDeleteThrows() throws Exception {
        try (Storer s = create()) {
            long id = s.writeNewObjFromBytes(new byte[] {1});
            s.deleteObj(id);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
            assertThrows(ObjectNotFoundException.class, () -> s.writeToObj(id));
            assertThrows(ObjectNotFoundException.class, () -> s.deleteObj(id));
        }
    }

    @Test
    void primeObjectKeepsItsIdAcrossReopen() throws Exception {
        long prime;
        try (Storer s = create()) {
            s.writeNewObjFromBytes(new byte[40]); // the prime object need not be the first allocation
            prime = s.primeObject(16);
            assertEquals(prime, s.primeObject(16));
            assertEquals(prime, s.primeObject(8), "a smaller size is fine");
            assertArrayEquals(new byte[16], s.readBytesFromObj(prime));
            s.writeBytesToObj(prime, TestBytes.of(7, 16));
            assertThrows(StoreException.class, () -> s.primeObject(17));
        }
        try (Storer s = reopen()) {
            assertEquals(prime, s.primeObject(16));
            assertArrayEquals(TestBytes.of(7, 16), s.readBytesFromObj(prime));
        }
    }

    @Test
    void streamViewsRoundTripAndCloseTheHandle() throws Exception {
        byte[] data = TestBytes.of(11, 100_000);
        try (Storer s = create()) {
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

    @Test
    void objectInfoDescribesLiveObjectsOnly() throws Exception {
        try (Storer s = create()) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            long id = s.writeNewObjFromBytes(new byte[100]);
            ObjectInfo oi = info.objectInfo(id).orElseThrow();
            assertEquals(100, oi.size());
            assertTrue(oi.allocatedSize() >= 100 && oi.allocatedSize() <= 125, "at most 25% slack: " + oi);
            s.deleteObj(id);
            assertTrue(info.objectInfo(id).isEmpty());
            assertTrue(info.objectInfo(0).isEmpty());
            assertTrue(info.objectInfo(-5).isEmpty());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() throws Exception {
        Storer s = create();
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
        try (Storer again = reopen()) {
            assertArrayEquals(new byte[] {4}, again.readBytesFromObj(id));
        }
    }

    @Test
    void idZeroAndNegativeIdsAreNotFound() throws Exception {
        try (Storer s = create()) {
            for (long id : new long[] {0, -1, Long.MIN_VALUE}) {
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), "read " + id);
                assertThrows(ObjectNotFoundException.class, () -> s.writeToObj(id), "write " + id);
                assertThrows(ObjectNotFoundException.class, () -> s.deleteObj(id), "delete " + id);
            }
        }
    }
}
