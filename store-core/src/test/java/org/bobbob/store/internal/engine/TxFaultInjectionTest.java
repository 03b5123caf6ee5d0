package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.PreallocatingStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.bobbob.store.internal.io.StoreFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at every write and force of a transaction's commit and of an XA prepare, with whole
 * records and with journal entries (format 5), through the I/O seam ({@link SimulatedDisk}: unsynced writes may be lost or reordered in the crash image):
 * the reopened store is in the state before the transaction or after it, never between, and no
 * object is torn. After a crash during prepare, a branch that was recovered commits to the whole
 * after-state.
 */
class TxFaultInjectionTest {
    private static final int IMAGES_PER_POINT = 3;

    private static Storer open(FaultInjectionTest.FileStack stack, SimulatedDisk disk, OpenMode mode)
            throws IOException {
        StoreFile file = stack.combining ? new CombiningStoreFile(PreallocatingStoreFile.over(disk)) : disk;
        return new FileStore(file, stack.allocators, mode, true);
    }

    /** The store as StoreManager gives it: calls outside transactions respect what they hold and hide. */
    private static Storer locking(Storer bare) {
        return LockingStore.wrap(bare, 0, java.time.Duration.ofSeconds(5));
    }

    /** The objects before the transaction: {@code kept}, {@code target} (overwritten) and {@code victim} (deleted). */
    private record Before(byte[] image, long kept, long target, long victim) {}

    /**
     * The state before: three objects and a small record (commits write whole records); with
     * {@code journaled}, also enough objects that commits write journal entries, and one entry
     * already in the journal (the image is taken after a commit, before close folds it).
     */
    private static Before before(FaultInjectionTest.FileStack stack, boolean journaled) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        long kept;
        long target;
        long victim;
        try (Storer s = open(stack, disk, OpenMode.CREATE)) {
            kept = s.writeNewObjFromBytes(TestBytes.of(1, 3000));
            target = s.writeNewObjFromBytes(TestBytes.of(2, 9000));
            victim = s.writeNewObjFromBytes(TestBytes.of(3, 200));
            s.writeNewObjFromBytes(new byte[10]); // the next open's claim needs no more than its slots
            for (int i = 0; journaled && i < 6000; i++) {
                s.writeNewObjFromBytes(new byte[20 + i % 50]);
            }
        }
        if (!journaled) {
            return new Before(disk.image(), kept, target, victim);
        }
        byte[] withEntry;
        SimulatedDisk reopened = new SimulatedDisk(disk.image());
        try (Storer s = open(stack, reopened, OpenMode.OPEN);
                StoreTransaction t = s.unwrap(TransactionalStore.class).begin()) {
            t.writeNewObjFromBytes(TestBytes.of(4, 100));
            t.commit();
            withEntry = reopened.image();
        }
        assertTrue(JournalTest.newest(imageFile(withEntry)).journalLength() > 0, "the image names a journal entry");
        return new Before(withEntry, kept, target, victim);
    }

    /** {@code image} in a temporary file, for reading its header. */
    private static java.nio.file.Path imageFile(byte[] image) throws IOException {
        java.nio.file.Path p = java.nio.file.Files.createTempFile("image", ".bob");
        p.toFile().deleteOnExit();
        java.nio.file.Files.write(p, image);
        return p;
    }

    /** Every file stack, with whole records and with a journal. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stacks() {
        return java.util.Arrays.stream(FaultInjectionTest.FileStack.values())
                .flatMap(stack -> java.util.stream.Stream.of(
                        org.junit.jupiter.params.provider.Arguments.of(stack, false),
                        org.junit.jupiter.params.provider.Arguments.of(stack, true)));
    }

    /** The transaction's changes, made through {@code t}; returns the ids of its two new objects. */
    private static long[] change(Storer t, Before b) throws IOException {
        long n1 = t.writeNewObjFromBytes(TestBytes.of(10, 700));
        long n2 = t.writeNewObjFromBytes(TestBytes.of(11, 20_000));
        try (ObjectWriter w = t.writeToObj(b.target())) { // a copied shadow, then overwritten whole
            w.write(java.nio.ByteBuffer.wrap(TestBytes.of(12, 9000)));
        }
        t.deleteObj(b.victim());
        return new long[] {n1, n2};
    }

    /** Checks the store is wholly before or wholly after the transaction; returns which (true: after). */
    private static boolean beforeOrAfter(Storer s, Before b, long[] created, String context) throws IOException {
        assertArrayEquals(TestBytes.of(1, 3000), s.readBytesFromObj(b.kept()), context);
        byte[] target = s.readBytesFromObj(b.target()); // whole: a torn one fails its checksum
        boolean after = java.util.Arrays.equals(TestBytes.of(12, 9000), target);
        if (!after) {
            assertArrayEquals(TestBytes.of(2, 9000), target, context + ": target neither old nor new");
            assertArrayEquals(
                    TestBytes.of(3, 200), s.readBytesFromObj(b.victim()), context + ": delete without the rest");
            for (long id : created) {
                assertThrows(
                        ObjectNotFoundException.class, () -> s.readBytesFromObj(id), context + ": new object " + id);
            }
        } else {
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(b.victim()), context + ": victim");
            assertArrayEquals(TestBytes.of(10, 700), s.readBytesFromObj(created[0]), context);
            assertArrayEquals(TestBytes.of(11, 20_000), s.readBytesFromObj(created[1]), context);
        }
        return after;
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void aCrashAtEveryStepOfACommitLeavesTheStoreBeforeOrAfterIt(FaultInjectionTest.FileStack stack, boolean journaled)
            throws Exception {
        Before b = before(stack, journaled);
        long first;
        long last;
        long[] created;
        SimulatedDisk counting = new SimulatedDisk(b.image());
        try (Storer s = open(stack, counting, OpenMode.OPEN);
                StoreTransaction t = s.unwrap(TransactionalStore.class).begin()) {
            created = change(t, b);
            first = counting.mutations();
            t.commit();
            last = counting.mutations();
        }
        assertTrue(
                last - first >= (journaled ? 2 : 4),
                "a commit writes a record, forces, writes its slot durably (an entry with its objects' bytes,"
                        + " written durably, counts without a slot), then copies: " + (last - first));
        int befores = 0;
        int afters = 0;
        for (long n = first + 1; n <= last; n++) {
            SimulatedDisk disk = new SimulatedDisk(b.image());
            try (Storer s = open(stack, disk, OpenMode.OPEN);
                    StoreTransaction t = s.unwrap(TransactionalStore.class).begin()) {
                assertArrayEquals(created, change(t, b), "the same ids in every run");
                disk.failAt(n - first, true);
                t.commit();
            } catch (IOException crashed) {
                // the crash point: what is durable is checked below
            }
            Random images = new Random(n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + (journaled ? " journaled" : "") + ", crash at mutation " + (n - first)
                        + " of the commit, image " + i;
                try (Storer reopened = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                    if (beforeOrAfter(reopened, b, created, context)) {
                        afters++;
                    } else {
                        befores++;
                    }
                }
            }
        }
        assertTrue(befores > 0 && afters > 0, "both outcomes seen: " + befores + " before, " + afters + " after");
    }

    private static final Xid XID = new Xid() {
        @Override
        public int getFormatId() {
            return 99;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return "global".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] getBranchQualifier() {
            return "branch".getBytes(StandardCharsets.US_ASCII);
        }
    };

    @ParameterizedTest
    @MethodSource("stacks")
    void aCrashAtEveryStepOfAPrepareLeavesNoBranchOrAWholeOne(FaultInjectionTest.FileStack stack, boolean journaled)
            throws Exception {
        Before b = before(stack, journaled);
        long first;
        long last;
        long[] created;
        SimulatedDisk counting = new SimulatedDisk(b.image());
        try (Storer s = open(stack, counting, OpenMode.OPEN);
                XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
            c.getXAResource().start(XID, XAResource.TMNOFLAGS);
            created = change(c.getStorer(), b);
            c.getXAResource().end(XID, XAResource.TMSUCCESS);
            first = counting.mutations();
            assertEquals(XAResource.XA_OK, c.getXAResource().prepare(XID));
            last = counting.mutations();
        }
        assertTrue(
                last - first >= (journaled ? 1 : 3),
                "a prepare writes a record, forces, writes its slot durably (an entry with its objects' bytes,"
                        + " written durably, counts without a slot): " + (last - first));
        int prepared = 0;
        int absent = 0;
        for (long n = first + 1; n <= last + 1; n++) { // last + 1: right after the prepare returned
            SimulatedDisk disk = new SimulatedDisk(b.image());
            try (Storer s = open(stack, disk, OpenMode.OPEN);
                    XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
                c.getXAResource().start(XID, XAResource.TMNOFLAGS);
                change(c.getStorer(), b);
                c.getXAResource().end(XID, XAResource.TMSUCCESS);
                disk.failAt(n - first, true);
                c.getXAResource().prepare(XID);
            } catch (IOException | javax.transaction.xa.XAException crashed) {
                // the crash point
            }
            Random images = new Random(n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + (journaled ? " journaled" : "") + ", crash at mutation " + (n - first)
                        + " of the prepare, image " + i;
                try (Storer reopened = locking(open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN));
                        XAStoreConnection c =
                                reopened.unwrap(TransactionalStore.class).openXAConnection()) {
                    assertTrue(!beforeOrAfter(reopened, b, created, context), context + ": applied before a decision");
                    Xid[] found = c.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
                    if (found.length == 1) {
                        prepared++;
                        c.getXAResource().commit(found[0], false);
                        assertTrue(beforeOrAfter(reopened, b, created, context + ", committed"), context);
                    } else {
                        assertEquals(0, found.length, context);
                        absent++;
                    }
                }
            }
        }
        assertTrue(prepared > 0 && absent > 0, "both outcomes seen: " + prepared + " prepared, " + absent + " not");
    }
}
