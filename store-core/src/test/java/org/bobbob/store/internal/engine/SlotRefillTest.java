package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * After a reopen, the blocks with free slots are listed as a sync lists them: each size class
     * refills its freed slots in file order, lowest first, whatever the order of the deletes, so
     * that the classes' refills move through the file side by side. Closed, the store opens
     * from a whole record; copied while open after a commit small enough for the journal (what a
     * crash leaves), it opens by replaying the journal entry over the record.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void afterAReopenFreedSlotsAreRefilledInFileOrder(boolean copiedWhileOpen) throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        int n = 40_000;
        int[] sizes = {100, 1000}; // two size classes, filled side by side
        Map<Long, byte[]> live = new LinkedHashMap<>();
        int[] freed = new int[2];
        SimulatedDisk reopened;
        try (Storer s = new FileStore(new CombiningStoreFile(disk), AllocatorFactory.MULTI, OpenMode.CREATE, true)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] data = TestBytes.of(i, sizes[i % 2]);
                long id = s.writeNewObjFromBytes(data);
                ids.add(id);
                live.put(id, data);
            }
            s.sync();
            List<Integer> victims = new ArrayList<>();
            for (int i = 0; i < n; i += 37) {
                victims.add(i);
            }
            Collections.shuffle(victims, new Random(n));
            for (int i : victims) {
                s.deleteObj(ids.get(i));
                live.remove(ids.get(i));
                freed[i % 2]++;
            }
            s.sync();
            reopened = copiedWhileOpen ? new SimulatedDisk(disk.image()) : disk;
        }
        if (!copiedWhileOpen) {
            disk.reopen();
        }
        try (Storer s = new FileStore(new CombiningStoreFile(reopened), AllocatorFactory.MULTI, OpenMode.OPEN, true)) {
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            for (int c = 0; c < 2; c++) {
                long last = -1;
                for (int i = 0; i < freed[c]; i++) {
                    byte[] data = TestBytes.of(n + 2 * i + c, sizes[c]);
                    long id = s.writeNewObjFromBytes(data);
                    live.put(id, data);
                    long offset = info.objectInfo(id).orElseThrow().offset();
                    assertTrue(offset > last, "refill " + i + " of class " + c + " at " + offset + " after " + last);
                    last = offset;
                }
            }
            s.sync();
            for (Map.Entry<Long, byte[]> e : live.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
    }
}
