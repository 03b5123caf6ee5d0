package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.junit.jupiter.api.Test;

/** The record reserve: the previous record's space, kept for the next record (see {@link AllocatorState}). */
class RecordReserveTest {

    /**
     * A record that grows sync by sync after the store emptied: each record outgrows the one
     * before, so each commit takes new space at the tail, frees the reserve and keeps the old record
     * as the next reserve — or, when the old record ends the file, frees it too. A reserve freed
     * that way must not stay the reserve: the next record would be written over space since given
     * to objects (FileSpace's assertion calls it a double free). Every object reads back, before
     * and after a reopen.
     */
    @Test
    void aRecordGrowingSyncBySyncNeverLandsOnReusedSpace() throws Exception {
        AllocatorFactory kind = AllocatorFactory.MULTI; // its record sizes meet the case at object 1 636
        SimulatedDisk disk = new SimulatedDisk();
        Map<Long, byte[]> live = new LinkedHashMap<>();
        try (Storer s = new FileStore(new CombiningStoreFile(disk), kind, OpenMode.CREATE, true)) {
            long[] ids = new long[6_000];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = s.writeNewObjFromBytes(TestBytes.of(i, 4096));
                }
                for (long id : ids) {
                    s.deleteObj(id);
                }
                s.sync();
            }
            for (int i = 0; i < 2_000; i++) {
                byte[] data = TestBytes.of(10_000 + i, 4096);
                live.put(s.writeNewObjFromBytes(data), data);
                s.sync();
            }
            for (Map.Entry<Long, byte[]> e : live.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
            }
        }
        disk.reopen();
        try (Storer s = new FileStore(new CombiningStoreFile(disk), kind, OpenMode.OPEN, true)) {
            for (Map.Entry<Long, byte[]> e : live.entrySet()) {
                assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "after reopen");
            }
        }
    }
}
