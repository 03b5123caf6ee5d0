package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.bobbob.store.internal.alloc.ObjectIds;
import org.bobbob.store.internal.format.MetaWriter;
import org.junit.jupiter.api.Test;

/**
 * The change log writes every change it was given, in order, however many segments they fill;
 * clears keep it usable; a snapshot keeps its changes while the log goes on and is cleared.
 */
class ChangeLogTest {

    /** One change as the log takes it. */
    private record Change(int kind, long id, int size, int crc) {}

    private static List<Change> changes(SplittableRandom r, int n) {
        List<Change> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = 1 + r.nextLong(1L << 40);
            out.add(new Change(
                    1 + r.nextInt(3), ObjectIds.isSlot(id) ? id >>> 8 : id, r.nextInt(1 << 20), r.nextInt()));
        }
        return out;
    }

    private static void log(ChangeLog log, List<Change> changes) {
        for (Change c : changes) {
            switch (c.kind) {
                case 1 -> log.allocated(c.id, c.size, c.crc, 0);
                case 2 -> log.freed(c.id);
                default -> log.checksum(c.id, c.crc);
            }
        }
    }

    /** The entry form of docs/FORMAT.md's journal, written out by hand. */
    private static byte[] expected(List<Change> changes) {
        MetaWriter out = new MetaWriter();
        out.putVarLong(changes.size());
        for (Change c : changes) {
            out.putByte(c.kind).putVarLong(c.id);
            if (c.kind == 1) {
                out.putVarLong(c.size).putInt(c.crc);
            } else if (c.kind == 3) {
                out.putInt(c.crc);
            }
        }
        return bytes(out);
    }

    private static byte[] bytes(MetaWriter out) {
        ByteBuffer record = out.toRecord();
        byte[] b = new byte[record.remaining()];
        record.get(b);
        return b;
    }

    private static byte[] written(ChangeLog log) {
        MetaWriter out = new MetaWriter();
        log.writeTo(out);
        return bytes(out);
    }

    @Test
    void aLargeBatchIsWrittenWholeAndInOrderAndTheLogIsUsableAfterItsClear() {
        SplittableRandom r = new SplittableRandom(3);
        ChangeLog log = new ChangeLog();
        int many = ChangeLog.SEGMENT_CHANGES * (ChangeLog.KEPT_SEGMENTS * 3) + 17;
        List<Change> batch = changes(r, many);
        log(log, batch);
        assertTrue(log.complete());
        assertArrayEquals(expected(batch), written(log));
        TreeSet<Long> touched = new TreeSet<>();
        for (Change c : batch) {
            if (c.kind != 2) {
                touched.add(c.id);
            }
        }
        assertArrayEquals(touched.stream().mapToLong(Long::longValue).toArray(), log.touched());

        log.clear();
        List<Change> next = changes(r, ChangeLog.SEGMENT_CHANGES * 2 + 5);
        log(log, next);
        assertArrayEquals(expected(next), written(log), "after a clear");
    }

    @Test
    void pastItsBoundTheLogIsIncompleteUntilCleared() {
        ChangeLog log = new ChangeLog();
        log(log, changes(new SplittableRandom(4), ChangeLog.MAX_CHANGES));
        assertTrue(log.complete());
        log.freed(1);
        assertFalse(log.complete());
        log.clear();
        assertTrue(log.complete());
        assertArrayEquals(expected(List.of()), written(log));
    }

    @Test
    void aSnapshotKeepsItsChangesWhileTheLogGoesOnAndIsCleared() {
        SplittableRandom r = new SplittableRandom(5);
        ChangeLog log = new ChangeLog();
        List<Change> before = changes(r, ChangeLog.SEGMENT_CHANGES * 2 + 100); // ends inside a segment
        log(log, before);
        ChangeLog.Snapshot snapshot = log.snapshot();
        List<Change> after = changes(r, ChangeLog.SEGMENT_CHANGES * 3);
        log(log, after);
        List<Change> all = new ArrayList<>(before);
        all.addAll(after);
        assertArrayEquals(expected(all), written(log));
        log.clear();
        List<Change> again = changes(r, ChangeLog.SEGMENT_CHANGES * 4); // would write over the shared segments
        log(log, again);
        assertEquals(before.size(), snapshot.count());
        MetaWriter out = new MetaWriter();
        snapshot.writeTo(out);
        assertArrayEquals(expected(before), bytes(out), "the snapshot's changes");
        assertArrayEquals(expected(again), written(log));
    }
}
