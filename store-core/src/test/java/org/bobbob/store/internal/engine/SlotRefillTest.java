package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

/** The engine's writes as the file under it sees them, counted through the I/O seam. */
class SlotRefillTest {

    /**
     * Refilling the free slots of half-emptied blocks of small objects is gathered: new objects
     * in a block whose neighbours are being filled load the block's chunk and go out together,
     * not one file write each. Every byte still reads back, before and after a reopen.
     */
    @Test
    void refillingFreedSmallSlotsIsGatheredIntoFewWrites() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        SplittableRandom r = new SplittableRandom(17);
        Map<Long, byte[]> live = new LinkedHashMap<>();
        int n = 20_000;
        try (Storer s = new FileStore(new CombiningStoreFile(disk), AllocatorFactory.MULTI, OpenMode.CREATE, true)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] data = TestBytes.of(i, 16 + r.nextInt(240));
                long id = s.writeNewObjFromBytes(data);
                ids.add(id);
                live.put(id, data);
            }
            s.sync();
            for (int i = 0; i < n; i += 2) {
                s.deleteObj(ids.get(i));
                live.remove(ids.get(i));
            }
            s.sync();
            long before = disk.mutations();
            for (int i = 0; i < n / 2; i++) {
                byte[] data = TestBytes.of(n + i, 16 + r.nextInt(240));
                live.put(s.writeNewObjFromBytes(data), data);
            }
            s.sync();
            long writes = disk.mutations() - before;
            assertTrue(writes < n / 2 / 5, writes + " file writes for " + n / 2 + " new objects in freed slots");
            for (Map.Entry<Long, byte[]> e : live.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
        disk.reopen();
        try (Storer s = new FileStore(new CombiningStoreFile(disk), AllocatorFactory.MULTI, OpenMode.OPEN, true)) {
            for (Map.Entry<Long, byte[]> e : live.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "after reopen");
            }
        }
    }
}
