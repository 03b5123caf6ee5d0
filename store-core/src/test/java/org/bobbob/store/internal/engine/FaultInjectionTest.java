package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.bobbob.store.DurabilityModel;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.HeaderSlots;
import org.bobbob.store.internal.format.Journal;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.PreallocatingStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.bobbob.store.internal.io.StoreFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The durability promise checked at every failure point of a seeded workload, through the I/O
 * seam: the N-th write, truncate or force fails, then (crash mode) the disk keeps only what was
 * forced plus a random, reordered, partly torn subset of the rest; or (transient mode) the store
 * carries on and must end consistent after its next successful sync.
 */
class FaultInjectionTest {
    /**
     * The engine's allocators, and whether its file goes through the write-combining cache and the
     * zeros kept ahead of its data, as in production.
     */
    enum FileStack {
        BASIC(AllocatorFactory.BASIC, false),
        MULTI(AllocatorFactory.MULTI, false),
        BASIC_COMBINING(AllocatorFactory.BASIC, true),
        MULTI_COMBINING(AllocatorFactory.MULTI, true);

        final AllocatorFactory allocators;
        final boolean combining;

        FileStack(AllocatorFactory allocators, boolean combining) {
            this.allocators = allocators;
            this.combining = combining;
        }
    }

    private static final int OPS = 60;
    private static final int IMAGES_PER_POINT = 3;

    private static Storer open(FileStack stack, SimulatedDisk disk, OpenMode mode) throws IOException {
        StoreFile file = stack.combining ? new CombiningStoreFile(PreallocatingStoreFile.over(disk)) : disk;
        return new FileStore(file, stack.allocators, mode, true);
    }

    /** Runs the workload until it ends or an I/O error stops it (crash mode); returns the model. */
    private static DurabilityModel run(Storer s, long seed, boolean crash) throws IOException {
        DurabilityModel model = new DurabilityModel();
        model.synced(); // the empty store is durable: created before the workload
        return run(s, seed, crash, model);
    }

    /** The workload on a store whose durable state {@code model} describes. */
    private static DurabilityModel run(Storer s, long seed, boolean crash, DurabilityModel model) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long seeds = 1;
        for (int op = 0; op < OPS; op++) {
            List<Long> live = new ArrayList<>(model.liveIds());
            live.sort(null);
            int roll = r.nextInt(100);
            try {
                if (roll < 50 || live.isEmpty()) {
                    int size = r.nextInt(4) == 0 ? 4097 + r.nextInt(9000) : r.nextInt(700);
                    long objSeed = seeds++;
                    long id = s.writeNewObjFromBytes(TestBytes.of(objSeed, size));
                    model.created(id, objSeed, size);
                } else if (roll < 65) {
                    long id = live.get(r.nextInt(live.size()));
                    model.deleting(id);
                    s.deleteObj(id);
                } else if (roll < 85) {
                    long id = live.get(r.nextInt(live.size()));
                    long objSeed = seeds++;
                    model.overwriting(id, objSeed, true);
                    try {
                        s.writeBytesToObj(id, TestBytes.of(objSeed, model.sizeOf(id)));
                    } catch (IOException e) {
                        model.overwriteFailed(id);
                        throw e;
                    }
                } else {
                    s.sync();
                    model.synced();
                }
            } catch (IOException e) {
                if (crash) {
                    return model;
                }
            }
        }
        return model;
    }

    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aCrashAtEveryMutationReopensAtTheLastSync(FileStack stack) throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            long total = countMutations(stack, seed);
            int checked = 0;
            for (long n = 1; n <= total; n++) {
                SimulatedDisk disk = new SimulatedDisk();
                Storer s;
                DurabilityModel model;
                try {
                    disk.failAt(n, true);
                    s = open(stack, disk, OpenMode.CREATE);
                } catch (IOException creating) {
                    checkCreationCrash(stack, disk, n);
                    continue;
                }
                model = run(s, seed, true);
                Random images = new Random(seed * 1_000_003 + n);
                for (int i = 0; i < IMAGES_PER_POINT; i++) {
                    String context =
                            stack + " seed " + seed + ", crash at mutation " + n + "/" + total + ", image " + i;
                    try (Storer after = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                        checked += model.verify(after, context);
                        after.writeNewObjFromBytes(new byte[100]);
                        after.sync();
                    }
                }
            }
            assertTrue(checked > total, "too few objects checked: " + checked);
        }
    }

    /**
     * The commit a store makes by itself to reuse freed space (churn within one sync window):
     * 4 MB of objects synced, half deleted without a sync, then one new object — which
     * commits before it is placed. A crash at every mutation of that call reopens at the last sync
     * or at the commit, never between; the new object is never placed over the deleted ones'
     * bytes while a durable state still names them.
     */
    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aCrashAtEveryStepOfTheCommitThatReusesFreedSpace(FileStack stack) throws Exception {
        SimulatedDisk base = new SimulatedDisk();
        DurabilityModel model = new DurabilityModel();
        List<Long> ids = new ArrayList<>();
        try (Storer s = open(stack, base, OpenMode.CREATE)) {
            for (int i = 0; i < 400; i++) {
                long id = s.writeNewObjFromBytes(TestBytes.of(i, 10_000));
                model.created(id, i, 10_000);
                ids.add(id);
            }
            s.sync();
            model.synced();
        }
        byte[] start = base.image();
        long before;
        long after;
        SimulatedDisk counting = new SimulatedDisk(start);
        try (Storer s = open(stack, counting, OpenMode.OPEN)) {
            s.writeNewObjFromBytes(new byte[10]); // the open's generation claim, out of the way
            for (int i = 0; i < ids.size(); i += 2) {
                s.deleteObj(ids.get(i));
            }
            before = counting.mutations();
            s.writeNewObjFromBytes(TestBytes.of(-1, 10_000));
            after = counting.mutations();
        }
        // a commit: the record and a force, then the next header slot and a force
        assertTrue(after - before >= 4, "the new object did not commit first: " + (after - before) + " mutations");
        int checked = 0;
        for (long n = before + 1; n <= after; n++) {
            DurabilityModel m = new DurabilityModel();
            for (int i = 0; i < ids.size(); i++) {
                m.created(ids.get(i), i, 10_000);
            }
            m.synced();
            SimulatedDisk disk = new SimulatedDisk(start);
            try (Storer s = open(stack, disk, OpenMode.OPEN)) {
                s.writeNewObjFromBytes(new byte[10]);
                for (int i = 0; i < ids.size(); i += 2) {
                    m.deleting(ids.get(i));
                    s.deleteObj(ids.get(i));
                }
                disk.failAt(n - before, true);
                long id = s.writeNewObjFromBytes(TestBytes.of(-1, 10_000));
                m.created(id, -1, 10_000);
            } catch (IOException crashed) {
                // the crash point: what is durable is checked below
            }
            Random images = new Random(n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + ", crash at mutation " + n + " of the commit-to-reuse, image " + i;
                try (Storer reopened = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                    checked += m.verify(reopened, context);
                }
            }
        }
        assertTrue(checked > 0, "nothing checked");
    }

    /** A store after a workload (seed), synced and closed on {@code disk}; returns its model. */
    private static DurabilityModel populated(FileStack stack, long seed, SimulatedDisk disk) throws IOException {
        try (Storer s = open(stack, disk, OpenMode.CREATE)) {
            DurabilityModel model = run(s, seed, false);
            s.sync();
            model.synced();
            return model;
        }
    }

    /**
     * The same crash points in a workload on a reopened store: it starts answering from its record
     * (nothing built), and the first overwrite (which records its object's new CRC32C), allocation
     * or delete builds its allocator state.
     */
    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aCrashAtEveryMutationOfAReopenedStoreReopensAtTheLastSync(FileStack stack) throws Exception {
        long seed = 5;
        SimulatedDisk first = new SimulatedDisk();
        populated(stack, seed, first);
        byte[] start = first.image();
        long total;
        SimulatedDisk counting = new SimulatedDisk(start);
        try (Storer s = open(stack, counting, OpenMode.OPEN)) {
            assertTrue(!((FileStore) s).allocatorBuilt(), "a reopened store starts from its record");
            DurabilityModel model = populated(stack, seed, new SimulatedDisk());
            assertTrue(overwriteThenSync(s, model));
            assertTrue(((FileStore) s).allocatorBuilt(), "an overwrite records a new CRC32C: it builds");
            run(s, seed + 1, true, model);
        }
        total = counting.mutations();
        int checked = 0;
        for (long n = 1; n <= total; n++) {
            DurabilityModel model = populated(stack, seed, new SimulatedDisk());
            SimulatedDisk disk = new SimulatedDisk(start);
            disk.failAt(n, true);
            Storer s = open(stack, disk, OpenMode.OPEN);
            if (overwriteThenSync(s, model)) {
                run(s, seed + 1, true, model);
            }
            Random images = new Random(seed * 1_000_003 + n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + " reopened, crash at mutation " + n + "/" + total + ", image " + i;
                try (Storer after = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                    checked += model.verify(after, context);
                    after.writeNewObjFromBytes(new byte[100]);
                    after.sync();
                }
            }
        }
        assertTrue(checked > total, "too few objects checked: " + checked);
    }

    /**
     * The same crash points in a store whose record is large enough for a journal: each sync of
     * the workload appends an entry that carries the bytes of every object written since the
     * commit before and makes only that entry and its header slot durable, so the objects' own
     * bytes of several commits are never forced before the crash, and a crash image may hold any
     * of them lost, torn or reordered. Opening writes them again from the entries.
     */
    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aCrashAtEveryMutationOfAJournaledStoreReopensAtTheLastSync(FileStack stack) throws Exception {
        long seed = 7;
        SimulatedDisk first = new SimulatedDisk();
        journaled(stack, seed, first);
        byte[] start = first.image();
        long total;
        SimulatedDisk counting = new SimulatedDisk(start);
        long syncs;
        try (Storer s = open(stack, counting, OpenMode.OPEN)) {
            DurabilityModel model = journaled(stack, seed, new SimulatedDisk());
            run(s, seed + 1, true, model);
            syncs = s.unwrap(StatisticsProvider.class).stats().syncs();
            total = counting.mutations();
            assertTrue(syncs >= 5, "the workload synced " + syncs + " times");
            assertEquals(0, counting.forces(), "its syncs wrote journal entries with their objects' bytes, unforced");
        }
        int checked = 0;
        for (long n = 1; n <= total; n++) {
            DurabilityModel model = journaled(stack, seed, new SimulatedDisk());
            SimulatedDisk disk = new SimulatedDisk(start);
            disk.failAt(n, true);
            try (Storer s = open(stack, disk, OpenMode.OPEN)) {
                run(s, seed + 1, true, model);
            } catch (IOException closing) {
                // the crash: close fails too
            }
            Random images = new Random(seed * 1_000_003 + n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + " journaled, crash at mutation " + n + "/" + total + ", image " + i;
                try (Storer after = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                    checked += model.verify(after, context);
                }
            }
        }
        assertTrue(checked > total, "too few objects checked: " + checked);
    }

    /**
     * A sync whose journal entry cannot carry its objects' bytes (more than {@link
     * AllocatorState#CAPTURE_MAX} of them) in a journal that already has entries: opening counts
     * such an entry once it is whole, slot or no slot, so the sync forces the objects before it
     * writes the entry. A crash at every step of that sync reopens at the sync before or at this
     * one, never at this one's entry with objects it names lost (still in the write cache) or torn.
     */
    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aCrashAtEveryStepOfASyncTooLargeForItsEntryReopensAtOneSyncOrTheOther(FileStack stack) throws Exception {
        long seed = 11;
        SimulatedDisk first = new SimulatedDisk();
        journaled(stack, seed, first);
        first.reopen();
        Storer setUp = open(stack, first, OpenMode.OPEN);
        for (int i = 0; i < 2; i++) { // the first entry starts the journal, the second continues it
            setUp.writeNewObjFromBytes(TestBytes.of(-20_000 - i, 300));
            setUp.sync();
        }
        byte[] start = first.image(); // left open: close would fold the journal into a record
        SimulatedDisk counting = new SimulatedDisk(start);
        long before;
        long after;
        try (Storer s = open(stack, counting, OpenMode.OPEN)) {
            DurabilityModel model = journaledWithEntries(stack, seed);
            long written = writeTooMuchForAnEntry(s, model);
            assertTrue(written > AllocatorState.CAPTURE_MAX, written + " bytes written");
            long forces = counting.forces();
            before = counting.mutations();
            s.sync();
            after = counting.mutations();
            assertTrue(counting.forces() > forces, "the sync forced the objects' bytes");
            HeaderSlot slot = HeaderSlots.newest(counting.image());
            Journal.Entries entries = Journal.read(
                    counting,
                    slot.journalOffset(),
                    slot.journalLength(),
                    slot.lastEntryLength(),
                    slot.journalSalt(),
                    slot.journalCapacity());
            assertTrue(entries.scanned(), "the entry continued the journal, without a slot");
        }
        int checked = 0;
        for (long n = before + 1; n <= after; n++) {
            DurabilityModel model = journaledWithEntries(stack, seed);
            SimulatedDisk disk = new SimulatedDisk(start);
            Storer s = open(stack, disk, OpenMode.OPEN);
            writeTooMuchForAnEntry(s, model);
            disk.failAt(n - before, true);
            try {
                s.sync();
                model.synced();
            } catch (IOException crashed) {
                // the crash point: what is durable is checked below
            }
            Random images = new Random(seed * 1_000_003 + n);
            for (int i = 0; i < IMAGES_PER_POINT; i++) {
                String context = stack + ", crash at mutation " + (n - before) + "/" + (after - before)
                        + " of a sync too large for its entry, image " + i;
                try (Storer reopened = open(stack, new SimulatedDisk(disk.crashImage(images)), OpenMode.OPEN)) {
                    checked += model.verify(reopened, context);
                }
            }
        }
        assertTrue(checked > 0, "nothing checked");
    }

    /** The model of the store {@link #aCrashAtEveryStepOfASyncTooLargeForItsEntryReopensAtOneSyncOrTheOther} starts from. */
    private static DurabilityModel journaledWithEntries(FileStack stack, long seed) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        DurabilityModel model = journaled(stack, seed, disk);
        disk.reopen();
        Storer s = open(stack, disk, OpenMode.OPEN);
        for (int i = 0; i < 2; i++) {
            long id = s.writeNewObjFromBytes(TestBytes.of(-20_000 - i, 300));
            model.created(id, -20_000 - i, 300);
            s.sync();
            model.synced();
        }
        return model;
    }

    /** 130 new objects of 9 000 bytes, a few overwrites and deletes; returns the bytes written. */
    private static long writeTooMuchForAnEntry(Storer s, DurabilityModel model) throws IOException {
        List<Long> live = new ArrayList<>(model.liveIds());
        live.sort(null);
        long written = 0;
        for (int i = 0; i < 130; i++) {
            long id = s.writeNewObjFromBytes(TestBytes.of(30_000 + i, 9000));
            model.created(id, 30_000 + i, 9000);
            written += 9000;
        }
        for (int i = 0; i < 4; i++) {
            long id = live.get(i * 7);
            model.overwriting(id, 40_000 + i, true);
            s.writeBytesToObj(id, TestBytes.of(40_000 + i, model.sizeOf(id)));
            written += model.sizeOf(id);
            long gone = live.get(i * 7 + 3);
            model.deleting(gone);
            s.deleteObj(gone);
        }
        return written;
    }

    /**
     * A store after a workload (seed) and {@value #JOURNAL_FILLER} small objects more (its record
     * then takes a journal), synced and closed on {@code disk}; returns its model.
     */
    private static DurabilityModel journaled(FileStack stack, long seed, SimulatedDisk disk) throws IOException {
        try (Storer s = open(stack, disk, OpenMode.CREATE)) {
            DurabilityModel model = run(s, seed, false);
            for (int i = 0; i < JOURNAL_FILLER; i++) {
                int size = 20 + i % 50;
                long id = s.writeNewObjFromBytes(TestBytes.of(-1 - i, size));
                model.created(id, -1 - i, size);
            }
            s.sync();
            model.synced();
            return model;
        }
    }

    private static final int JOURNAL_FILLER = 6000;

    /** Overwrites the three lowest live objects, then syncs; false if an I/O error stopped it. */
    private static boolean overwriteThenSync(Storer s, DurabilityModel model) {
        List<Long> live = new ArrayList<>(model.liveIds());
        live.sort(null);
        try {
            for (int i = 0; i < Math.min(3, live.size()); i++) {
                long id = live.get(i);
                model.overwriting(id, 10_000 + i, true);
                try {
                    s.writeBytesToObj(id, TestBytes.of(10_000 + i, model.sizeOf(id)));
                } catch (IOException e) {
                    model.overwriteFailed(id);
                    throw e;
                }
            }
            s.sync();
            model.synced();
            return true;
        } catch (IOException crashed) {
            return false;
        }
    }

    /** A crash while the store is first written: the file is an empty store or not yet a store. */
    private static void checkCreationCrash(FileStack stack, SimulatedDisk disk, long n) throws IOException {
        byte[] image = disk.crashImage(new Random(n));
        try (Storer after = open(stack, new SimulatedDisk(image), OpenMode.OPEN)) {
            assertEquals(0, after.unwrap(StatisticsProvider.class).stats().objects());
        } catch (StoreCorruptedException notYetAStore) {
            // acceptable: no header was durable yet
        }
    }

    @ParameterizedTest
    @EnumSource(FileStack.class)
    void aTransientFailureAtEveryMutationLeavesAConsistentStore(FileStack stack) throws Exception {
        long seed = 3;
        long total = countMutations(stack, seed);
        for (long n = 1; n <= total; n++) {
            SimulatedDisk disk = new SimulatedDisk();
            Storer s;
            try {
                disk.failAt(n, false);
                s = open(stack, disk, OpenMode.CREATE);
            } catch (IOException creating) {
                continue; // nothing to keep consistent yet
            }
            DurabilityModel model = run(s, seed, false);
            try {
                s.sync();
            } catch (IOException injectedIntoThisSync) {
                s.sync(); // the fault is spent: the next sync must succeed
            }
            model.synced();
            try {
                s.close(); // writes both header slots: the fault may land there
            } catch (IOException injectedIntoClose) {
                // close's contract: the file is released and reopens at its last sync
            }
            disk.reopen();
            try (Storer after = open(stack, new SimulatedDisk(disk.image()), OpenMode.OPEN)) {
                model.verify(after, stack + " transient fault at mutation " + n + "/" + total);
                // Space accounting survived the failure: a reopened store's view equals the live set.
                assertEquals(
                        model.liveIds().size(),
                        after.unwrap(StatisticsProvider.class).stats().objects());
            }
        }
    }

    private static long countMutations(FileStack stack, long seed) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        try (Storer s = open(stack, disk, OpenMode.CREATE)) {
            run(s, seed, true);
        }
        return disk.mutations();
    }
}
