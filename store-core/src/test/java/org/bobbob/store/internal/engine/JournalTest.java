package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.TestStores;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.HeaderSlots;
import org.bobbob.store.internal.format.Journal;
import org.bobbob.store.internal.io.StoreFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The journal of format 5 (docs/FORMAT.md, <i>Journal</i>): once a store's record is large, a
 * commit appends an entry of what changed instead of rewriting the record; a copy of the file
 * taken after any commit (what a crash leaves: everything up to the last commit is forced) opens
 * with exactly the committed objects, by replaying the entries; a full journal and close fold it
 * into a whole record; a damaged entry is reported, never half applied.
 */
class JournalTest {
    /** Objects that make the record larger than {@link AllocatorState#JOURNAL_FROM}. */
    private static final int FILLER = 6000;

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    /** The newest valid header slot of the file at {@code p}. */
    static HeaderSlot newest(Path p) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
        try (FileChannel ch = FileChannel.open(p)) {
            ch.read(head, 0);
        }
        return HeaderSlots.newest(head.array());
    }

    /**
     * The state the file at {@code p} opens to, as a header slot: its newest valid slot, with the
     * salted journal entries written after it (format 6: an entry counts without a slot).
     */
    static HeaderSlot state(Path p) throws IOException {
        HeaderSlot h = newest(p);
        if (h.journalSalt() == 0) {
            return h;
        }
        try (FileChannel ch = FileChannel.open(p)) {
            Journal.Entries e = Journal.read(
                    new Peek(p, ch),
                    h.journalOffset(),
                    h.journalLength(),
                    h.lastEntryLength(),
                    h.journalSalt(),
                    h.journalCapacity());
            return e.scanned() ? h.withEntries(e.length(), e.lastLength(), e.end(), e.claim()) : h;
        }
    }

    /** Reads of a file a store may hold open (no lock taken): what {@link #state} needs. */
    private record Peek(Path path, FileChannel ch) implements StoreFile {
        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return ch.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void truncate(long size) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public void force() {}

        @Override
        public void close() {}
    }

    /** A store with {@link #FILLER} small objects, synced: its record is large enough for a journal. */
    private Map<Long, byte[]> fill(Storer s, SplittableRandom r) throws IOException {
        Map<Long, byte[]> objects = new HashMap<>();
        for (int i = 0; i < FILLER; i++) {
            byte[] b = TestBytes.of(i, 16 + r.nextInt(200));
            objects.put(s.writeNewObjFromBytes(b), b);
        }
        s.sync();
        HeaderSlot h = newest(file());
        assertEquals(0, h.journalLength(), "the first sync of a new store writes a whole record");
        assertTrue(h.recordLength() >= AllocatorState.JOURNAL_FROM, "record of " + h.recordLength() + " bytes");
        return objects;
    }

    private static void verify(Storer s, Map<Long, byte[]> objects, List<Long> gone, String context)
            throws IOException {
        for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
            assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), context + ": object " + e.getKey());
        }
        for (long id : gone) {
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), context + ": deleted " + id);
        }
    }

    /**
     * Seeded random creates (slot and extent sizes), same-size overwrites, deletes and
     * transactions, a commit after each step: nearly every commit appends an entry (the record stays
     * where it is; one whose objects' bytes no longer fit the journal writes a whole record and
     * starts a new journal, about one in twenty here), and a copy of the file after every tenth commit opens with exactly the
     * committed objects, takes a new object, and reopens with it. Deletes empty whole blocks, whose
     * numbers new blocks elsewhere reuse.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI", "CONCURRENT_MULTI"})
    void aCopyAfterAnyCommitOpensWithExactlyTheCommittedObjects(TestStores stores) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        List<Long> gone = new ArrayList<>();
        try (Storer s = stores.create(file())) {
            Map<Long, byte[]> objects = fill(s, r);
            List<Long> ids = new ArrayList<>(objects.keySet());
            HeaderSlot whole = newest(file());
            int entries = 0;
            int lastLength = 0;
            for (int step = 1; step <= 200; step++) {
                if (step % 4 == 0) {
                    try (StoreTransaction t = s.unwrap(TransactionalStore.class).begin()) {
                        byte[] b = TestBytes.of(step, 1 + r.nextInt(9000));
                        long id = t.writeNewObjFromBytes(b);
                        long target = ids.get(r.nextInt(ids.size()));
                        byte[] replaced = TestBytes.of(-step, objects.get(target).length);
                        t.writeBytesToObj(target, replaced);
                        t.commit();
                        objects.put(id, b);
                        ids.add(id);
                        objects.put(target, replaced);
                    }
                } else {
                    for (int op = 0; op < 8; op++) {
                        int kind = r.nextInt(10);
                        if (kind < 4) {
                            byte[] b = TestBytes.of(step * 100 + op, 1 + r.nextInt(r.nextBoolean() ? 300 : 9000));
                            long id = s.writeNewObjFromBytes(b);
                            objects.put(id, b);
                            ids.add(id);
                        } else if (kind < 6) {
                            long id = ids.get(r.nextInt(ids.size()));
                            byte[] b = TestBytes.of(step * 100 + op + 50, objects.get(id).length);
                            s.writeBytesToObj(id, b);
                            objects.put(id, b);
                        } else {
                            long id = ids.remove(r.nextInt(ids.size()));
                            s.deleteObj(id);
                            objects.remove(id);
                            gone.add(id);
                        }
                    }
                    s.sync();
                }
                HeaderSlot h = state(file());
                if (h.journalLength() > lastLength) {
                    entries++;
                    assertEquals(whole.recordOffset(), h.recordOffset(), "step " + step + ": the record stays");
                } else {
                    assertEquals(0, h.journalLength(), "step " + step + ": a full journal folds into a record");
                    whole = h;
                }
                lastLength = h.journalLength();
                if (step % 10 == 0) {
                    Path copy = dir.resolve("copy-" + step + ".bob");
                    Files.copy(file(), copy);
                    long added;
                    try (Storer c = stores.open(copy)) {
                        verify(c, objects, gone, "copy after step " + step);
                        added = c.writeNewObjFromBytes(TestBytes.of(7777, 5000));
                    }
                    try (Storer c = stores.open(copy)) {
                        verify(c, objects, gone, "copy after step " + step + ", reopened");
                        assertArrayEquals(TestBytes.of(7777, 5000), c.readBytesFromObj(added));
                    }
                    Files.delete(copy);
                }
            }
            assertTrue(entries >= 180, entries + " of 200 commits wrote an entry, the others a whole record");
            verify(s, objects, gone, "the store itself");
        }
        HeaderSlot closed = newest(file());
        assertEquals(0, closed.journalLength(), "close folds the journal into a whole record");
        try (Storer s = stores.open(file())) {
            if (s instanceof FileStore f) {
                assertFalse(f.allocatorBuilt(), "a closed store opens lazily: no journal to replay");
            }
            for (long id : gone) {
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
            }
        }
    }

    /**
     * Commits until the journal has no room: the next commit writes a whole record elsewhere and the
     * journal starts again; the file does not keep growing by journals; a copy then opens with all.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aFullJournalIsFoldedIntoAWholeRecord(TestStores stores) throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        try (Storer s = stores.create(file())) {
            Map<Long, byte[]> objects = fill(s, r);
            long sizeAfterFill = Files.size(file());
            HeaderSlot first = newest(file());
            int folds = 0;
            int lastLength = 0;
            for (int commit = 0; commit < 8000 && folds < 2; commit++) {
                for (int i = 0; i < 10; i++) {
                    byte[] b = TestBytes.of(commit * 10 + i, 16 + r.nextInt(100));
                    objects.put(s.writeNewObjFromBytes(b), b);
                }
                s.sync();
                HeaderSlot h = state(file());
                if (h.journalLength() < lastLength) {
                    folds++;
                    assertEquals(0, h.journalLength(), "a fold writes a whole record");
                    assertTrue(h.recordOffset() != first.recordOffset() || folds > 1, "a new record");
                }
                lastLength = h.journalLength();
            }
            assertEquals(2, folds, "the journal filled and was folded twice");
            long liveBytes = objects.values().stream().mapToLong(b -> b.length).sum();
            assertTrue(
                    Files.size(file()) < sizeAfterFill + 2 * liveBytes + (4 << 20),
                    "file " + Files.size(file()) + " bytes after adding " + liveBytes);
            Path copy = dir.resolve("copy.bob");
            Files.copy(file(), copy);
            try (Storer c = stores.open(copy)) {
                verify(c, objects, List.of(), "copy after two folds");
            }
        }
    }

    /**
     * An entry that continues a salted journal (format 6) writes no header slot: the slots stay as
     * the journal's first entry left them while the state goes on, a copy opens with every commit,
     * and an entry-shaped leftover with another salt after the last entry is not one of them.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void entriesAfterTheFirstCountWithoutASlotAndAnotherSaltEndsTheJournal(TestStores stores) throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        Path copy = dir.resolve("copy.bob");
        Map<Long, byte[]> objects;
        HeaderSlot started;
        try (Storer s = stores.create(file())) {
            objects = fill(s, r);
            byte[] first = TestBytes.of(70_000, 800);
            objects.put(s.writeNewObjFromBytes(first), first);
            s.sync();
            started = newest(file());
            assertTrue(
                    started.journalLength() > 0 && started.journalSalt() != 0, "a slot starts the journal: " + started);
            for (int i = 1; i <= 4; i++) {
                byte[] b = TestBytes.of(70_000 + i, 800 + i);
                objects.put(s.writeNewObjFromBytes(b), b);
                s.sync();
                assertEquals(started, newest(file()), "commit " + i + " wrote no slot");
            }
            HeaderSlot now = state(file());
            assertTrue(now.journalLength() > started.journalLength(), "the entries go on: " + now);
            Files.copy(file(), copy);
        }
        HeaderSlot h = state(copy);
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // the last entry again, salted for another journal, where a next entry would go
            int last = h.lastEntryLength();
            ByteBuffer entry = ByteBuffer.allocate(last).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(entry, h.journalOffset() + h.journalLength() - last);
            entry.putLong(8, h.journalSalt() + 1);
            entry.putInt(last - 4, Crc32c.of(entry.array(), 0, last - 4));
            ch.write(entry.rewind(), h.journalOffset() + h.journalLength());
        }
        try (Storer s = stores.open(copy)) {
            verify(s, objects, List.of(), "the copy");
        }
    }

    /**
     * A damaged byte in a journal entry before the last makes the store refuse to open (BOB-301,
     * naming the journal): it was forced before the slot that names it, so it is damage, not a
     * crash. The original, intact, opens with everything.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aDamagedJournalEntryIsReportedNotApplied(TestStores stores) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        Path copy = dir.resolve("copy.bob");
        Map<Long, byte[]> objects;
        try (Storer s = stores.create(file())) {
            objects = fill(s, r);
            for (int i = 0; i < 5; i++) {
                byte[] b = TestBytes.of(90_000 + i, 700);
                objects.put(s.writeNewObjFromBytes(b), b);
                s.sync();
            }
            Files.copy(file(), copy);
        }
        HeaderSlot h = state(copy);
        assertTrue(h.journalLength() > 0, "the copy names journal entries");
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = h.journalOffset() + 20; // inside the first of five entries
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x20)).rewind();
            ch.write(one, at);
        }
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> stores.open(copy));
        assertEquals(ErrorCode.CORRUPTED, e.code());
        assertTrue(e.getMessage().contains("journal"), e.getMessage());
        try (Storer s = stores.open(file())) {
            verify(s, objects, List.of(), "the intact store");
        }
    }

    /**
     * A torn last entry — what a crash in the one force that writes an entry, its slot and its
     * objects' bytes can leave — is the commit that never returned: the store opens at the commit
     * before, with every object it had, and the next commit writes over the torn bytes.
     */
    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aTornLastEntryIsTheCommitThatNeverReturned(TestStores stores) throws Exception {
        SplittableRandom r = new SplittableRandom(13);
        Path copy = dir.resolve("copy.bob");
        Map<Long, byte[]> objects;
        long last;
        try (Storer s = stores.create(file())) {
            objects = fill(s, r);
            for (int i = 0; i < 4; i++) {
                byte[] b = TestBytes.of(80_000 + i, 900);
                objects.put(s.writeNewObjFromBytes(b), b);
                s.sync();
            }
            last = s.writeNewObjFromBytes(TestBytes.of(80_004, 900));
            s.sync();
            Files.copy(file(), copy);
        }
        HeaderSlot h = state(copy);
        assertTrue(h.lastEntryLength() > 0 && h.lastEntryLength() < h.journalLength(), "five entries: " + h);
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = h.journalOffset() + h.journalLength() - h.lastEntryLength() / 2;
            ch.write(ByteBuffer.wrap(new byte[16]), at); // the tail of the last entry never reached the disk
        }
        long again;
        try (Storer s = stores.open(copy)) {
            verify(s, objects, List.of(last), "without the torn commit");
            again = s.writeNewObjFromBytes(TestBytes.of(3, 1200));
            s.sync();
        }
        try (Storer s = stores.open(copy)) {
            verify(s, objects, List.of(), "after a commit over the torn entry");
            assertArrayEquals(TestBytes.of(3, 1200), s.readBytesFromObj(again));
        }
    }
}
