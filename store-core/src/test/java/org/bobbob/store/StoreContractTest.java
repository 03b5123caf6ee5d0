package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link StorerContract} on each of {@link TestStores}, and what the file stores promise beyond
 * it: freed space reused, one open at a time, create refusing an existing file, statistics.
 */
class StoreContractTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    /** The contract on the store at {@link #file()}, made and reopened through one of {@link TestStores}. */
    abstract class OnFile extends StorerContract {
        private final TestStores stores;

        OnFile(TestStores stores) {
            this.stores = stores;
        }

        @Override
        protected Storer create() throws IOException {
            return stores.create(file());
        }

        @Override
        protected Storer reopen() throws IOException {
            return stores.open(file());
        }
    }

    @Nested
    class Basic extends OnFile {
        Basic() {
            super(TestStores.BASIC);
        }
    }

    @Nested
    class Multi extends OnFile {
        Multi() {
            super(TestStores.MULTI);
        }
    }

    @Nested
    class ConcurrentBasic extends OnFile {
        ConcurrentBasic() {
            super(TestStores.CONCURRENT_BASIC);
        }
    }

    @Nested
    class ConcurrentMulti extends OnFile {
        ConcurrentMulti() {
            super(TestStores.CONCURRENT_MULTI);
        }
    }

    @Nested
    class InTransactions extends OnFile {
        InTransactions() {
            super(TestStores.IN_TRANSACTION);
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
            // Larger than what the write cache keeps (so written straight to the file) and than the
            // zeros a new store keeps ahead of its data: the read reaches past what is mapped, and
            // asks the channel for the file's size
            int size = 600_000;
            long id = s.writeNewObjFromBytes(TestBytes.of(1, size));
            Thread.currentThread().interrupt(); // FileChannel closes itself on an interrupted read
            try {
                assertThrows(java.io.InterruptedIOException.class, () -> s.readBytesFromObj(id));
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
            } finally {
                Thread.interrupted();
            }
            assertArrayEquals(TestBytes.of(1, size), s.readBytesFromObj(id), "the channel was reopened");
            long other = s.writeNewObjFromBytes(new byte[] {7});
            s.sync();
            assertArrayEquals(new byte[] {7}, s.readBytesFromObj(other));
            assertThrows(StoreException.class, () -> stores.open(file()), "the file lock was taken again");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void objectsLieAtDistinctOffsets(TestStores stores) throws Exception {
        try (Storer s = stores.create(file())) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            long a = s.writeNewObjFromBytes(new byte[100]);
            long b = s.writeNewObjFromBytes(new byte[100]);
            assertNotEquals(
                    info.objectInfo(a).orElseThrow().offset(),
                    info.objectInfo(b).orElseThrow().offset());
        }
    }
}
