package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.Backup;
import org.bobbob.store.BackupReport;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.io.BackupTap;
import org.bobbob.store.internal.io.ChannelStoreFile;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.ForwardingStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.bobbob.store.internal.io.StoreFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An online backup's copy ({@link BackupCopy}): whichever way its metadata is written — a journal
 * entry after the store's, the first entry of a new journal, a whole record — it opens as exactly
 * the store's state at the sync point, also with more than 65 536 changes since the last commit,
 * a full journal, a prepared XA branch, a lazily opened or an older-format store; the store itself
 * commits nothing for it and goes on as before; and a crash at any step of writing the copy leaves
 * a file that is no store, or the whole copy.
 *
 * <p>The sync point is made deterministic with the seam ({@link FileStore#backupSeam}): the changes
 * a test makes just before the pause are in the copy; those it makes from the progress callback,
 * while the file is copied (overwrites, deletes, new objects, syncs), are not.
 */
class BackupCopyTest {
    @TempDir
    Path dir;

    /** The store kinds: the two engines, and the multi one in a {@code ConcurrentStore}. */
    enum Kind {
        BASIC,
        MULTI,
        CONCURRENT_MULTI;

        /** The store at {@code path}, its engine's backups going through {@code seam} (null: files). */
        Storer open(Path path, OpenMode mode, FileStore.BackupSeam seam) throws IOException {
            FileStore engine =
                    (FileStore) (this == BASIC ? Engines.basic(path, mode, true) : Engines.multi(path, mode, true));
            if (seam != null) {
                engine.backupSeam(seam);
            }
            return this == CONCURRENT_MULTI ? Engines.locking(engine, 0, Duration.ofSeconds(30)) : engine;
        }
    }

    /** A store and what it holds, changed only through here. */
    private static final class Source implements AutoCloseable {
        final Storer store;
        final Map<Long, byte[]> model = new HashMap<>();
        final List<Long> small = new ArrayList<>();
        final List<Long> large = new ArrayList<>();
        final SplittableRandom random;
        int op;

        Source(Storer store, long seed) {
            this.store = store;
            this.random = new SplittableRandom(seed);
        }

        byte[] bytes(int size) {
            return TestBytes.of(random.nextLong(), size);
        }

        long create(int size) throws IOException {
            byte[] b = bytes(size);
            long id = store.writeNewObjFromBytes(b);
            model.put(id, b);
            (size > 4096 ? large : small).add(id);
            return id;
        }

        void overwrite(long id) throws IOException {
            byte[] b = bytes(model.get(id).length);
            store.writeBytesToObj(id, b);
            model.put(id, b);
        }

        void delete(long id) throws IOException {
            store.deleteObj(id);
            model.remove(id);
            small.remove(id);
            large.remove(id);
        }

        /** {@code n} small objects, enough past 5 000 for a record of more than 32 KiB, and 4 of 200 KB. */
        void populate(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                create(20 + random.nextInt(50));
            }
            for (int i = 0; i < 4; i++) {
                create(200_000);
            }
        }

        /** {@code n} overwrites of random small objects: one checksum change each. */
        void overwrites(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                overwrite(small.get(random.nextInt(small.size())));
            }
        }

        /** A mix of every kind of change: overwrites, deletes, new small and large objects. */
        void mixed(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> delete(small.get(random.nextInt(small.size())));
                    case 1 -> create(20 + random.nextInt(3000));
                    default -> overwrite(small.get(random.nextInt(small.size())));
                }
            }
            overwrite(large.get(random.nextInt(large.size())));
            delete(large.get(0));
            create(150_000);
        }

        @Override
        public void close() throws IOException {
            store.close();
        }

        /** Changes while the file is copied (from the progress callback): none may reach the copy. The first call syncs. */
        void duringCopy() {
            try {
                mixed(20);
                overwrite(large.get(random.nextInt(large.size())));
                if (++op % 2 == 1) {
                    store.sync();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every live object's bytes, by id, as {@code s} lists them. */
    static Map<Long, byte[]> contents(Storer s) throws IOException {
        Map<Long, byte[]> out = new TreeMap<>();
        for (long id : s.unwrap(ObjectLister.class).objectIds()) {
            out.put(id, s.readBytesFromObj(id));
        }
        return out;
    }

    static void assertHolds(Map<Long, byte[]> expected, Storer s, String context) throws IOException {
        Map<Long, byte[]> actual = contents(s);
        assertEquals(new TreeMap<>(expected).keySet(), actual.keySet(), context + ": the objects");
        for (Map.Entry<Long, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), context + ": object " + e.getKey());
        }
    }

    /** A backup seam that creates files, and runs {@code before} just before the pause. */
    static FileStore.BackupSeam before(IoAction before) {
        return new FileStore.BackupSeam() {
            @Override
            public StoreFile create(Path target) throws IOException {
                return ChannelStoreFile.createNew(target);
            }

            @Override
            public void beforePause() throws IOException {
                before.run();
            }
        };
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** How the store stands when the backup begins, and which metadata its copy must get. */
    enum Scenario {
        /** A journal with room: the copy's entry follows the store's. */
        ENTRY,
        /** A large record and no journal yet: the copy's entry starts a new journal past its end. */
        NEW_JOURNAL,
        /**
         * A record below 32 KiB: whole records only, and no change log (the backup commits first,
         * outside its pause, and holds the log from there).
         */
        WHOLE_SMALL,
        /** The changes do not fit the journal's free bytes: a whole record. */
        WHOLE_FULL_JOURNAL,
        /** More than 65 536 changes at the pause, made while the backup held the log: a whole record. */
        WHOLE_MANY_CHANGES,
        /** The log gave up before the backup began: the backup commits first, outside its pause. */
        LOG_GAVE_UP,
        /** A store opened lazily, unchanged since: its allocator state is built by the backup. */
        LAZY
    }

    static List<Arguments> kindsAndScenarios() {
        List<Arguments> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (Scenario s : Scenario.values()) {
                out.add(Arguments.of(k, s));
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("kindsAndScenarios")
    void theCopyHoldsExactlyTheSyncPointWhicheverWayItsMetadataIsWritten(Kind kind, Scenario scenario)
            throws Exception {
        Path file = dir.resolve("store.bob");
        Path copy = dir.resolve("copy.bob");
        int objects = scenario == Scenario.WHOLE_SMALL ? 60 : 6000;
        long seed = kind.ordinal() * 100 + scenario.ordinal();
        Map<Long, byte[]> atPause = new HashMap<>();
        Source[] src = new Source[1];
        FileStore.BackupSeam seam = before(() -> {
            Source s = src[0];
            switch (scenario) {
                case WHOLE_FULL_JOURNAL -> s.overwrites(12_000);
                case WHOLE_MANY_CHANGES -> s.overwrites(70_000);
                case LAZY -> {}
                default -> s.mixed(300);
            }
            atPause.putAll(s.model);
            assertHolds(atPause, s.store, "the store just before the pause");
        });
        if (scenario == Scenario.LAZY) {
            Source s = new Source(kind.open(file, OpenMode.CREATE, null), seed);
            s.populate(objects);
            s.store.close();
            Source reopened = new Source(kind.open(file, OpenMode.OPEN, seam), seed + 1);
            reopened.model.putAll(s.model);
            reopened.small.addAll(s.small);
            reopened.large.addAll(s.large);
            src[0] = reopened;
        } else {
            src[0] = new Source(kind.open(file, OpenMode.CREATE, seam), seed);
        }
        Source s = src[0];
        HeaderSlot before;
        BackupReport report;
        try (Storer store = s.store) {
            if (scenario != Scenario.LAZY) {
                s.populate(objects);
                store.sync(); // a whole record
                if (scenario == Scenario.ENTRY || scenario == Scenario.WHOLE_FULL_JOURNAL) {
                    s.overwrites(1);
                    store.sync(); // the first journal entry
                }
                if (scenario == Scenario.LOG_GAVE_UP) {
                    s.overwrites(70_000); // more than the log keeps: the store's next commit writes a whole record
                }
            } else {
                assertFalse(engine(store).allocatorBuilt(), "opened lazily");
            }
            before = JournalTest.newest(file);
            HeaderSlot[] firstPart =
                    new HeaderSlot[2]; // the store's header after the pause; its state after its first sync
            report = store.unwrap(Backup.class).backupTo(copy, done -> {
                try {
                    boolean first = firstPart[0] == null;
                    if (first) {
                        firstPart[0] = JournalTest.newest(file);
                    }
                    s.duringCopy();
                    if (first) {
                        firstPart[1] = JournalTest.state(file); // an entry may count without a slot
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            HeaderSlot after = firstPart[0];
            HeaderSlot copied = JournalTest.newest(copy);
            switch (scenario) {
                case ENTRY -> {
                    assertTrue(before.journalLength() > 0, "the store has journal entries");
                    assertEquals(before.recordOffset(), copied.recordOffset(), "the store's record");
                    assertEquals(before.journalOffset(), copied.journalOffset(), "the store's journal");
                    assertTrue(copied.journalLength() > before.journalLength(), "one more entry");
                }
                case NEW_JOURNAL, LAZY -> {
                    assertEquals(0, before.journalOffset(), "no journal in the store");
                    assertEquals(before.recordOffset(), copied.recordOffset(), "the store's record");
                    assertTrue(copied.journalOffset() >= before.end(), "a new journal past the end");
                    assertEquals(copied.journalLength(), copied.lastEntryLength(), "one entry");
                }
                case WHOLE_SMALL, WHOLE_FULL_JOURNAL, WHOLE_MANY_CHANGES -> {
                    assertEquals(0, copied.journalLength(), "a whole record");
                    assertNotEquals(before.recordOffset(), copied.recordOffset(), "a record of the copy's own");
                    if (scenario == Scenario.WHOLE_FULL_JOURNAL) {
                        assertTrue(before.journalLength() > 0, "the store has a journal");
                    }
                }
                case LOG_GAVE_UP -> {
                    assertTrue(after.sequence() > before.sequence(), "the backup committed first");
                    assertEquals(0, after.journalLength(), "a whole record: the log had given up");
                    assertEquals(after.recordOffset(), copied.recordOffset(), "that commit's record");
                    assertTrue(copied.journalLength() > 0, "and the changes since as an entry");
                }
            }
            assertEquals(HeaderSlot.VERSION, copied.version());
            if (scenario == Scenario.WHOLE_SMALL) {
                assertTrue(after.sequence() > before.sequence(), "no log: the backup committed first");
            } else if (scenario != Scenario.LOG_GAVE_UP) {
                assertEquals(before, after, "the backup committed nothing");
            }
            if (scenario == Scenario.WHOLE_MANY_CHANGES) {
                assertEquals(0, firstPart[1].journalLength(), "the store's own commit after 70 000 changes: whole");
            } else if (scenario == Scenario.ENTRY) {
                assertTrue(firstPart[1].journalLength() > before.journalLength(), "the store's own commit: an entry");
            }
            assertHolds(s.model, store, "the store after the backup");
        }
        assertEquals(Files.size(copy), report.bytes());
        assertEquals(atPause.size(), report.objects());
        FileReport check = Engines.check(copy, true, done -> {});
        assertTrue(check.verify().ok(), check.verify().problems().toString());
        assertEquals(atPause.size(), check.objects());
        try (Storer c = kind.open(copy, OpenMode.OPEN, null)) {
            assertHolds(atPause, c, "the copy");
            long id = c.writeNewObjFromBytes(TestBytes.of(5, 300)); // the copy is a store like any other
            assertFalse(atPause.containsKey(id), "a new id");
            c.deleteObj(atPause.keySet().iterator().next());
        }
        try (Storer c = kind.open(copy, OpenMode.OPEN, null)) {
            assertEquals(atPause.size(), contents(c).size());
        }
        try (Storer again = kind.open(file, OpenMode.OPEN, null)) {
            assertHolds(s.model, again, "the store, reopened");
        }
    }

    private static FileStore engine(Storer s) {
        return s instanceof FileStore f ? f : (FileStore) ((LockingStore) s).inner();
    }

    /** A file whose every force fails: a copy that cannot be made durable. */
    private static final class FailingForce extends ForwardingStoreFile {
        FailingForce(StoreFile inner) {
            super(inner);
        }

        @Override
        public void force() throws IOException {
            throw new IOException("injected: the copy's disk fails");
        }
    }

    private static final Xid XID = new Xid() {
        @Override
        public int getFormatId() {
            return 7;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return "backup-global".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] getBranchQualifier() {
            return "backup-branch".getBytes(StandardCharsets.US_ASCII);
        }
    };

    static List<Arguments> kindsJournaledOrNot() {
        List<Arguments> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            out.add(Arguments.of(k, false));
            out.add(Arguments.of(k, true));
        }
        return out;
    }

    /**
     * A prepared XA branch and an active transaction at the sync point: the copy holds the branch in
     * doubt (its new objects hidden, its target and victim as they were) until it is committed there,
     * and rolls the active one back; the store's own branch and transaction go on.
     */
    @ParameterizedTest
    @MethodSource("kindsJournaledOrNot")
    void aPreparedBranchStaysInDoubtInTheCopyAndAnActiveTransactionRollsBack(Kind kind, boolean journaled)
            throws Exception {
        Path file = dir.resolve("store.bob");
        Path copy = dir.resolve("copy.bob");
        Map<Long, byte[]> atPause = new HashMap<>();
        long[] branchNew = new long[2];
        long[] activeNew = new long[1];
        long target;
        long victim;
        byte[] targetAfter = TestBytes.of(71, 900);
        Source s = new Source(
                Engines.locking(
                        (FileStore)
                                (kind == Kind.BASIC
                                        ? Engines.basic(file, OpenMode.CREATE, true)
                                        : Engines.multi(file, OpenMode.CREATE, true)),
                        0,
                        Duration.ofSeconds(30)),
                11);
        FileStore engine = engine(s.store);
        try (Storer store = s.store) {
            s.populate(journaled ? 6000 : 40);
            target = s.create(900);
            victim = s.create(300);
            s.small.remove(target); // the branch holds them: the others' changes leave them alone
            s.small.remove(victim);
            store.sync();
            TransactionalStore tx = store.unwrap(TransactionalStore.class);
            try (XAStoreConnection xa = tx.openXAConnection();
                    StoreTransaction active = tx.begin()) {
                engine.backupSeam(before(() -> {
                    try {
                        xa.getXAResource().start(XID, XAResource.TMNOFLAGS);
                        Storer b = xa.getStorer();
                        branchNew[0] = b.writeNewObjFromBytes(TestBytes.of(72, 500));
                        branchNew[1] = b.writeNewObjFromBytes(TestBytes.of(73, 20_000));
                        b.writeBytesToObj(target, targetAfter);
                        b.deleteObj(victim);
                        xa.getXAResource().end(XID, XAResource.TMSUCCESS);
                        assertEquals(XAResource.XA_OK, xa.getXAResource().prepare(XID));
                    } catch (javax.transaction.xa.XAException e) {
                        throw new IOException(e);
                    }
                    activeNew[0] = active.writeNewObjFromBytes(TestBytes.of(74, 700));
                    s.mixed(50);
                    atPause.putAll(s.model);
                }));
                store.unwrap(Backup.class).backupTo(copy, done -> s.duringCopy());
                active.rollback();
                xa.getXAResource().rollback(XID); // the store decides otherwise than the copy will
            }
            assertHolds(s.model, store, "the store after its branch rolled back");
        }
        FileReport check = Engines.check(copy, true, done -> {});
        assertTrue(check.verify().ok(), check.verify().problems().toString());
        try (Storer c = Engines.locking(
                        (FileStore)
                                (kind == Kind.BASIC
                                        ? Engines.basic(copy, OpenMode.OPEN, true)
                                        : Engines.multi(copy, OpenMode.OPEN, true)),
                        0,
                        Duration.ofSeconds(30));
                XAStoreConnection xa = c.unwrap(TransactionalStore.class).openXAConnection()) {
            assertHolds(atPause, c, "the copy, the branch in doubt");
            assertThrows(ObjectNotFoundException.class, () -> c.readBytesFromObj(activeNew[0]), "rolled back");
            Xid[] found = xa.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            assertEquals(1, found.length, "the prepared branch");
            assertArrayEquals(XID.getGlobalTransactionId(), found[0].getGlobalTransactionId());
            xa.getXAResource().commit(found[0], false);
            assertArrayEquals(targetAfter, c.readBytesFromObj(target));
            assertThrows(ObjectNotFoundException.class, () -> c.readBytesFromObj(victim));
            assertArrayEquals(TestBytes.of(72, 500), c.readBytesFromObj(branchNew[0]));
            assertArrayEquals(TestBytes.of(73, 20_000), c.readBytesFromObj(branchNew[1]));
        }
    }

    // ---------------------------------------------------------------- a crash while the copy is written

    /** The store on a simulated disk, as {@code Engines} stacks it: tap, write-combining cache, engine. */
    private static FileStore onDisk(SimulatedDisk disk, OpenMode mode) throws IOException {
        BackupTap tap = new BackupTap(disk);
        return new FileStore(
                new CombiningStoreFile(tap),
                tap,
                AllocatorFactory.MULTI,
                mode,
                true,
                FileStore.DEFAULT_LOCK_TIMEOUT_MILLIS);
    }

    /** The store's image: objects enough for a journal, closed. */
    private static byte[] image(long seed) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        try (FileStore s = onDisk(disk, OpenMode.CREATE)) {
            new Source(s, seed).populate(6000);
        }
        return disk.image();
    }

    /**
     * The store opened from {@code image} with the changes of {@code scenario} made: its state
     * then, which a backup now must copy.
     */
    private static Source prepared(byte[] image, Scenario scenario, FileStore[] engine) throws IOException {
        FileStore s = onDisk(new SimulatedDisk(image), OpenMode.OPEN);
        engine[0] = s;
        Source src = new Source(s, 3);
        src.model.putAll(contents(s));
        for (long id : src.model.keySet()) {
            (src.model.get(id).length > 4096 ? src.large : src.small).add(id);
        }
        src.small.sort(null);
        src.large.sort(null);
        if (scenario == Scenario.ENTRY) {
            src.overwrites(1);
            s.sync();
            src.mixed(100);
        } else if (scenario == Scenario.NEW_JOURNAL) {
            src.mixed(100);
        } else {
            src.overwrites(12_000); // too many for half a new journal: the store's commit writes a whole record
            s.sync();
            src.overwrites(12_000); // and the copy's metadata too
        }
        return src;
    }

    /** The target as a simulated disk, through the seam. */
    private static FileStore.BackupSeam onto(SimulatedDisk target) {
        return path -> target;
    }

    @ParameterizedTest
    @EnumSource(
            value = Scenario.class,
            names = {"ENTRY", "NEW_JOURNAL", "WHOLE_FULL_JOURNAL"})
    void aCrashAtEveryStepOfWritingTheCopyLeavesNoStoreOrTheWholeCopyAndTheStoreGoesOn(Scenario scenario)
            throws Exception {
        byte[] image = image(1);
        FileStore[] engine = new FileStore[1];
        long steps;
        Map<Long, byte[]> expected;
        try (Source src = prepared(image, scenario, engine)) {
            expected = new HashMap<>(src.model);
            SimulatedDisk counting = new SimulatedDisk();
            engine[0].backupSeam(onto(counting));
            engine[0].backupTo(dir.resolve("counted.bob"));
            steps = counting.mutations();
            HeaderSlot named = newestSlot(counting.image());
            switch (scenario) {
                case ENTRY -> assertTrue(named.journalLength() > named.lastEntryLength(), "after the store's entries");
                case NEW_JOURNAL ->
                    assertTrue(
                            named.journalLength() > 0 && named.journalLength() == named.lastEntryLength(),
                            "a new journal");
                default -> assertEquals(0, named.journalLength(), "a whole record");
            }
            try (FileStore copy =
                    new FileStore(new SimulatedDisk(counting.image()), AllocatorFactory.MULTI, OpenMode.OPEN, true)) {
                assertHolds(expected, copy, "the copy made without a fault");
            }
        }
        assertTrue(steps >= 6, "parts, the metadata, a force, two slots, a force: " + steps);
        System.out.printf("%s: a crash at each of %d steps of writing the copy%n", scenario, steps);
        int none = 0;
        int whole = 0;
        for (long n = 1; n <= steps; n++) {
            SimulatedDisk target = new SimulatedDisk();
            try (Source src = prepared(image, scenario, engine)) {
                engine[0].backupSeam(onto(target));
                target.failAt(n, true);
                Path named = dir.resolve("failed-" + n + ".bob");
                assertThrows(IOException.class, () -> engine[0].backupTo(named), "fault at step " + n);
                assertFalse(Files.exists(named));
                // the store goes on as if no backup had been tried
                assertHolds(expected, src.store, "the store after a failed backup, step " + n);
                src.mixed(10);
                engine[0].backupSeam(before(() -> {}));
                Path good = dir.resolve("good-" + n + ".bob");
                Map<Long, byte[]> now = new HashMap<>(src.model);
                engine[0].backupTo(good);
                try (FileStore copy = (FileStore) Engines.multi(good, OpenMode.OPEN, true)) {
                    assertHolds(now, copy, "a backup after the failed one, step " + n);
                }
                Files.delete(good);
            }
            Random images = new Random(n);
            for (int i = 0; i < 3; i++) {
                byte[] crashed = target.crashImage(images);
                String context = scenario + ", crash at step " + n + " of " + steps + ", image " + i;
                try (FileStore copy =
                        new FileStore(new SimulatedDisk(crashed), AllocatorFactory.MULTI, OpenMode.OPEN, true)) {
                    assertHolds(expected, copy, context);
                    whole++;
                } catch (StoreException e) {
                    assertTrue(
                            e.code() == ErrorCode.NOT_A_STORE || e.code() == ErrorCode.CORRUPTED, context + ": " + e);
                    assertFalse(hasValidSlot(crashed), context + ": a valid slot, yet " + e);
                    none++;
                }
            }
        }
        assertTrue(none > 0 && whole > 0, "both outcomes seen: " + none + " no store, " + whole + " whole");
    }

    /** The newest valid header slot of {@code image}. */
    private static HeaderSlot newestSlot(byte[] image) throws IOException {
        return RecordLoader.newestValid(
                Path.of("image"), RecordLoader.decodeSlots(Path.of("image"), ByteBuffer.wrap(Arrays.copyOf(image, (int)
                        HeaderSlot.DATA_START))));
    }

    private static boolean hasValidSlot(byte[] image) {
        ByteBuffer head = ByteBuffer.wrap(Arrays.copyOf(image, (int) HeaderSlot.DATA_START));
        for (int slot = 0; slot < 2; slot++) {
            HeaderSlot.Decoded d = HeaderSlot.decode(head.duplicate()
                    .position(slot * HeaderSlot.SLOT_SIZE)
                    .limit((slot + 1) * HeaderSlot.SLOT_SIZE)
                    .slice());
            if (d.status() == HeaderSlot.Status.VALID) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy whose base is a record of an older format (1 to 4: no journal) takes the changes since
     * as a whole record in the current format, built by replaying them onto that record as an
     * entry: here, the fixture files of {@code RecordFormatTest} with three objects deleted since.
     * (A store opened from such a file keeps a change log only when its record is at least 32 KiB,
     * which the fixtures are not; a backup of one commits first.)
     */
    @ParameterizedTest
    @ValueSource(
            strings = {"basic-v1", "basic-v2", "basic-v3", "basic-v4", "multi-v1", "multi-v2", "multi-v3", "multi-v4"})
    void anOlderFormatRecordTakesTheChangesAsAWholeRecordInTheCurrentFormat(String name) throws Exception {
        AllocatorFactory factory = name.startsWith("basic") ? AllocatorFactory.BASIC : AllocatorFactory.MULTI;
        Path original = dir.resolve(name + ".bob");
        try (InputStream in =
                new GZIPInputStream(getClass().getResourceAsStream("/org/bobbob/store/format/" + name + ".bob.gz"))) {
            Files.copy(in, original);
        }
        long prime = 0;
        List<Long> listed = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/org/bobbob/store/format/" + name + ".txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.trim().split(" ");
                if (line.startsWith("prime")) {
                    prime = Long.parseLong(f[1]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    listed.add(Long.parseLong(f[1]));
                }
            }
        }
        try (InputStream in = getClass().getResourceAsStream("/org/bobbob/store/format/" + name + "-branch.txt")) {
            if (in != null) { // the v4 fixtures' prepared branch holds these: they are not the store's to delete
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        listed.remove(Long.valueOf(line.trim().split(" ")[2]));
                    }
                }
            }
        }
        int n = listed.size();
        long[] gone = {listed.get(n - 1), listed.get(n - 3), listed.get(n - 6)};
        Path stored = dir.resolve("stored.bob");
        Files.copy(original, stored);
        Map<Long, byte[]> expected;
        try (Storer s = Engines.locking(
                (FileStore)
                        (factory == AllocatorFactory.BASIC
                                ? Engines.basic(stored, OpenMode.OPEN, true)
                                : Engines.multi(stored, OpenMode.OPEN, true)),
                0,
                Duration.ofSeconds(30))) {
            for (long id : gone) {
                s.deleteObj(id);
            }
            expected = contents(s); // what the store holds after the deletes, as it says
        }
        Path copy = dir.resolve("copy.bob");
        Files.copy(original, copy);
        try (ChannelStoreFile f = ChannelStoreFile.open(copy, false)) {
            AllocatorState state = new AllocatorState(copy, factory);
            HeaderSlot base = RecordLoader.load(f, factory, state, f.size()).header();
            assertTrue(base.version() < HeaderSlot.JOURNAL_VERSION);
            MetaWriter head = new MetaWriter().putVarLong(prime);
            state.transactions().write(head);
            ChangeLog changes = new ChangeLog();
            for (long id : gone) {
                changes.freed(id);
            }
            BackupCopy.write(
                    f,
                    new BackupCopy.Point(
                            base,
                            RecordLoader.recordExtent(base.recordLength()),
                            head,
                            changes.snapshot(),
                            0,
                            f.size()),
                    factory);
        }
        HeaderSlot named = JournalTest.newest(copy);
        assertEquals(HeaderSlot.VERSION, named.version());
        assertEquals(0, named.journalLength(), "a whole record");
        FileReport check = Engines.check(copy, true, done -> {});
        assertTrue(check.verify().ok(), check.verify().problems().toString());
        try (Storer c = Engines.locking(
                (FileStore)
                        (factory == AllocatorFactory.BASIC
                                ? Engines.basic(copy, OpenMode.OPEN, true)
                                : Engines.multi(copy, OpenMode.OPEN, true)),
                0,
                Duration.ofSeconds(30))) {
            assertHolds(expected, c, name + "'s copy");
            assertEquals(prime, c.primeObject(1), "the prime object");
            if (name.endsWith("v4")) {
                try (XAStoreConnection xa = c.unwrap(TransactionalStore.class).openXAConnection()) {
                    assertEquals(
                            1,
                            xa.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length,
                            "the fixture's prepared branch, still in doubt");
                }
            }
        }
    }

    /** A backup that fails writing its copy to a real file deletes the file; the store goes on. */
    @Test
    void aFailedBackupDeletesItsFileAndTheNextOneSucceeds() throws Exception {
        Path file = dir.resolve("store.bob");
        Path copy = dir.resolve("copy.bob");
        try (Storer store = Kind.MULTI.open(file, OpenMode.CREATE, null)) {
            Source s = new Source(store, 9);
            s.populate(6000);
            store.sync();
            s.mixed(100);
            FileStore engine = (FileStore) store;
            engine.backupSeam(path -> new FailingForce(ChannelStoreFile.createNew(path)));
            IOException e = assertThrows(
                    IOException.class, () -> store.unwrap(Backup.class).backupTo(copy));
            assertFalse(Files.exists(copy), "the partial copy is deleted: " + e);
            assertHolds(s.model, store, "the store after the failed backup");
            engine.backupSeam(before(() -> {}));
            store.unwrap(Backup.class).backupTo(copy);
            try (Storer c = Kind.MULTI.open(copy, OpenMode.OPEN, null)) {
                assertHolds(s.model, c, "the copy");
            }
        }
    }
}
