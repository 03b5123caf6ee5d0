package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.OnBareStores;
import org.bobbob.store.RecordEdits;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreStats;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.TestStores;
import org.bobbob.store.internal.format.HeaderSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata record's formats: format 1 files still open and are rewritten as format 2; a
 * format-2 store opens without building its allocators and answers every look-up from the record
 * exactly as the built allocators do; a record whose index disagrees is corrupted, never a wrong
 * answer that is then written back.
 */
class RecordFormatTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store.bob");
    }

    /** Where the format fixtures are, on the test class path. */
    private static final String FIXTURES = "/org/bobbob/store/format/";

    // ---------------------------------------------------------------- format 1

    /** The content the format-1 fixtures were written with (see {@code format/*-v1.txt}). */
    private static byte[] fixtureContent(int i, int size) {
        byte[] b = new byte[size];
        for (int j = 0; j < size; j++) {
            b[j] = (byte) (i * 31 + j * 7 + (j >> 8));
        }
        return b;
    }

    /** Unpacks fixture {@code name} to {@link #file()}; returns id → content from its manifest. */
    private Map<Long, byte[]> unpackFixture(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream(FIXTURES + name + ".bob.gz"))) {
            Files.copy(in, file());
        }
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream(FIXTURES + name + ".txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                int index = f[0].equals("prime") ? Integer.parseInt(f[3]) : Integer.parseInt(f[0]);
                objects.put(Long.parseLong(f[1]), fixtureContent(index, Integer.parseInt(f[2])));
            }
        }
        return objects;
    }

    private int[] headerVersions() throws IOException {
        byte[] head = new byte[(int) HeaderSlot.DATA_START];
        try (var ch = java.nio.channels.FileChannel.open(file())) {
            ch.read(ByteBuffer.wrap(head), 0);
        }
        int[] v = new int[2];
        for (int slot = 0; slot < 2; slot++) {
            v[slot] = HeaderSlot.decode(ByteBuffer.wrap(head, slot * HeaderSlot.SLOT_SIZE, HeaderSlot.SLOT_SIZE)
                            .slice())
                    .version();
        }
        return v;
    }

    @OnBareStores
    void aFormat1StoreOpensAndItsNextSyncRewritesItInTheCurrentFormat(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = unpackFixture(stores.name().toLowerCase() + "-v1");
        assertArrayEquals(new int[] {1, 1}, headerVersions());
        long added;
        try (Storer s = stores.open(file())) {
            assertTrue(((FileStore) s).allocatorBuilt(), "format 1 has no index: built at open");
            verify(s, objects);
            byte[] fresh = TestBytes.of(77, 3000);
            added = s.writeNewObjFromBytes(fresh);
            long gone = objects.keySet().iterator().next();
            s.deleteObj(gone);
            objects.remove(gone);
            objects.put(added, fresh);
        }
        assertArrayEquals(new int[] {HeaderSlot.VERSION, HeaderSlot.VERSION}, headerVersions());
        try (Storer s = stores.open(file())) {
            assertFalse(((FileStore) s).allocatorBuilt());
            verify(s, objects);
        }
    }

    // ---------------------------------------------------------------- format 2 and ids

    @OnBareStores
    void aFormat2StoreKeepsItsIdsAndItsNextSyncRewritesItInTheCurrentFormat(TestStores stores) throws Exception {
        Map<Long, byte[]> objects = unpackFixture(stores.name().toLowerCase() + "-v2");
        assertArrayEquals(new int[] {2, 2}, headerVersions());
        Set<Long> old = new HashSet<>(objects.keySet());
        long gone = objects.keySet().iterator().next();
        try (Storer s = stores.open(file())) {
            assertFalse(((FileStore) s).allocatorBuilt(), "format 2 has an index: opened lazily");
            verify(s, objects);
            s.deleteObj(gone);
            objects.remove(gone);
            s.sync(); // its space is reusable from here
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 200; i++) {
                byte[] b = TestBytes.of(500 + i, r.nextInt(3) == 0 ? 4097 + r.nextInt(5000) : r.nextInt(400));
                long id = s.writeNewObjFromBytes(b);
                assertFalse(old.contains(id), "new object got the old id " + id);
                objects.put(id, b);
            }
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(gone));
        }
        assertArrayEquals(new int[] {HeaderSlot.VERSION, HeaderSlot.VERSION}, headerVersions());
        try (Storer s = stores.open(file())) {
            assertFalse(((FileStore) s).allocatorBuilt());
            verify(s, objects);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(gone));
        }
    }

    // ---------------------------------------------------------------- format 3

    /**
     * A format-3 store (written by the format-3 code, before transactions) opens lazily with every
     * object and id, takes a transaction, and its next sync writes format 4; it reopens with all.
     */
    @OnBareStores
    void aFormat3StoreOpensTakesATransactionAndItsNextSyncRewritesItInTheCurrentFormat(TestStores stores)
            throws Exception {
        Map<Long, byte[]> objects = unpackFixture(stores.name().toLowerCase() + "-v3");
        assertArrayEquals(new int[] {3, 3}, headerVersions());
        Set<Long> old = new HashSet<>(objects.keySet());
        try (Storer s = stores.open(file())) {
            assertFalse(((FileStore) s).allocatorBuilt(), "format 3 has an index: opened lazily");
            verify(s, objects);
            long target = objects.keySet().stream().skip(3).findFirst().orElseThrow();
            byte[] replaced = TestBytes.of(901, objects.get(target).length);
            try (org.bobbob.store.StoreTransaction tx =
                    s.unwrap(org.bobbob.store.TransactionalStore.class).begin()) {
                byte[] fresh = TestBytes.of(900, 5000);
                long added = tx.writeNewObjFromBytes(fresh);
                assertFalse(old.contains(added), "new object got an old id " + added);
                tx.writeBytesToObj(target, replaced);
                tx.commit();
                objects.put(added, fresh);
                objects.put(target, replaced);
            }
        }
        assertArrayEquals(new int[] {HeaderSlot.VERSION, HeaderSlot.VERSION}, headerVersions());
        try (Storer s = stores.open(file())) {
            verify(s, objects);
        }
    }

    // ---------------------------------------------------------------- format 4

    /**
     * A format-4 store (written by the format-4 code) holding a prepared XA branch opens with every
     * object and id and the branch in doubt, its overwrite and delete not applied (a bare store
     * does not hide the branch's new object; the locking wrapper does); committing the branch applies it whole and
     * writes format 5; it reopens with all. Its manifest {@code -branch.txt} names what the branch
     * creates, overwrites and deletes.
     */
    @OnBareStores
    void aFormat4StoreWithAPreparedBranchOpensAndCommittingItWritesTheCurrentFormat(TestStores stores)
            throws Exception {
        String name = stores.name().toLowerCase() + "-v4";
        Map<Long, byte[]> objects = unpackFixture(name);
        assertArrayEquals(new int[] {4, 4}, headerVersions());
        String[] create;
        String[] overwrite;
        String[] delete;
        try (InputStream in = getClass().getResourceAsStream(FIXTURES + name + "-branch.txt")) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
            create = lines[1].split(" ");
            overwrite = lines[2].split(" ");
            delete = lines[3].split(" ");
        }
        long created = Long.parseLong(create[2]);
        long overwritten = Long.parseLong(overwrite[2]);
        long deleted = Long.parseLong(delete[2]);
        try (Storer s = stores.open(file());
                org.bobbob.store.XAStoreConnection c =
                        s.unwrap(org.bobbob.store.TransactionalStore.class).openXAConnection()) {
            verify(s, objects); // in doubt: the overwritten and deleted objects are as they were
            javax.transaction.xa.Xid[] inDoubt = c.getXAResource()
                    .recover(javax.transaction.xa.XAResource.TMSTARTRSCAN | javax.transaction.xa.XAResource.TMENDRSCAN);
            assertEquals(1, inDoubt.length);
            assertEquals(7, inDoubt[0].getFormatId());
            assertArrayEquals(
                    "v4-fixture".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    inDoubt[0].getGlobalTransactionId());
            c.getXAResource().commit(inDoubt[0], false);
        }
        objects.put(created, fixtureContent(Integer.parseInt(create[1]), Integer.parseInt(create[3])));
        objects.put(overwritten, fixtureContent(Integer.parseInt(overwrite[4]), Integer.parseInt(overwrite[3])));
        objects.remove(deleted);
        assertArrayEquals(new int[] {HeaderSlot.VERSION, HeaderSlot.VERSION}, headerVersions());
        try (Storer s = stores.open(file())) {
            verify(s, objects);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(deleted));
        }
    }

    /** Rewrites both header slots of the closed store with generation claim {@code claim}. */
    // ---------------------------------------------------------------- format 5

    /**
     * A format-5 store as a power loss leaves it after four commits whose journal entries carried
     * their objects' bytes and were made durable with their slots alone: the bytes those commits
     * wrote in place never reached the disk (the newest object's content is in the file once, in
     * its entry). It opens with every committed object and none of the deleted ones — opening
     * writes the entries' bytes again — takes a new object and reopens with it.
     */
    @OnBareStores
    void aFormat5StoreWhoseLastCommitsLiveOnlyInTheirEntriesOpensWithEveryObject(TestStores stores) throws Exception {
        String name = stores.name().toLowerCase() + "-v5-journal";
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream(FIXTURES + name + ".bob.gz"))) {
            Files.copy(in, file());
        }
        Map<Long, byte[]> objects = new LinkedHashMap<>();
        List<Long> deleted = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream(FIXTURES + name + ".txt.gz"))) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.trim().split(" ");
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                } else if (f[0].equals("deleted")) {
                    deleted.add(Long.parseLong(f[1]));
                } else {
                    int index = Integer.parseInt(f[0]);
                    int size = Integer.parseInt(f[2]);
                    // the small objects' content as the format-1 fixtures', the later ones' random
                    objects.put(
                            Long.parseLong(f[1]),
                            index < 6000 ? fixtureContent(index, size) : TestBytes.of(index, size));
                }
            }
        }
        assertEquals(6012, objects.size());
        assertArrayEquals(new int[] {5, 5}, headerVersions());
        byte[] newest = new ArrayList<>(objects.values()).get(objects.size() - 1);
        assertTrue(newest.length >= 100);
        assertEquals(1, occurrences(Files.readAllBytes(file()), newest), "the newest object is only in its entry");
        long added;
        try (Storer s = stores.open(file())) {
            verify(s, objects);
            for (long id : deleted) {
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), "deleted " + id);
            }
            byte[] fresh = TestBytes.of(5, 7000);
            added = s.writeNewObjFromBytes(fresh);
            objects.put(added, fresh);
            s.sync(); // a format-5 journal takes no more entries: a whole record in the current format
            HeaderSlot h = JournalTest.newest(file());
            assertEquals(HeaderSlot.VERSION, h.version());
            assertEquals(0, h.journalLength(), "a whole record");
        }
        assertArrayEquals(new int[] {HeaderSlot.VERSION, HeaderSlot.VERSION}, headerVersions());
        try (Storer s = stores.open(file())) {
            verify(s, objects);
        }
    }

    /** How many times {@code pattern} appears in {@code bytes}. */
    private static int occurrences(byte[] bytes, byte[] pattern) {
        int n = 0;
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                n++;
            }
        }
        return n;
    }

    private void forgeClaim(int claim) throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer b = ByteBuffer.allocate(HeaderSlot.SLOT_SIZE);
                ch.read(b, HeaderSlot.position(slot));
                HeaderSlot h = HeaderSlot.decode(b.flip()).slot();
                HeaderSlot forged = new HeaderSlot(
                        h.version(), h.kind(), h.sequence(), h.recordOffset(), h.recordLength(), h.end(), claim);
                ch.write(forged.encode(), HeaderSlot.position(slot));
            }
        }
    }

    /**
     * The generation wraps (its checks at 2^18 for extents and 2^22 for slots, the counter at 2^32):
     * round after round of writes, deletes and syncs across it, ids stay positive and distinct and
     * every stale id stays unknown.
     */
    @OnBareStores
    void idsStayDistinctAndStaleIdsUnknownWhereTheGenerationWraps(TestStores stores) throws Exception {
        boolean slots = stores == TestStores.MULTI;
        int checkBits = slots ? 22 : 18;
        int checkShift = slots ? 40 : 44;
        for (int claim : new int[] {(1 << checkBits) - 4, -4}) {
            Files.deleteIfExists(file());
            try (Storer s = stores.create(file())) {
                s.writeNewObjFromBytes(new byte[10]);
            }
            forgeClaim(claim); // the next open continues at claim + 1
            Set<Long> issued = new HashSet<>();
            Set<Long> stale = new HashSet<>();
            Set<Integer> checks = new HashSet<>();
            Map<Long, byte[]> live = new LinkedHashMap<>();
            SplittableRandom r = new SplittableRandom(claim);
            try (Storer s = stores.open(file())) {
                for (int round = 0; round < 8; round++) {
                    List<Long> previous = new ArrayList<>(live.keySet());
                    for (int i = 0; i < 40; i++) {
                        byte[] b = TestBytes.of(round * 100L + i, r.nextInt(slots ? 4096 : 9000));
                        long id = s.writeNewObjFromBytes(b);
                        assertTrue(id > 0 && issued.add(id), "id " + id + " at round " + round);
                        checks.add((int) (id >>> checkShift) & ((1 << checkBits) - 1));
                        live.put(id, b);
                    }
                    for (long id : previous) {
                        s.deleteObj(id);
                        live.remove(id);
                        stale.add(id);
                    }
                    s.sync(); // frees objects of the current generation: the next round is a later one
                    verify(s, live);
                    for (long id : stale) {
                        assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
                    }
                }
            }
            assertTrue(
                    checks.contains((1 << checkBits) - 1) && checks.contains(0),
                    "checks seen " + checks + ": the wrap was not crossed");
        }
    }

    // ---------------------------------------------------------------- lazy open

    /** A store with live, deleted, reused, empty and large objects and a prime object; returns id → content. */
    private Map<Long, byte[]> populate(TestStores stores, long seed, List<Long> everIssued) throws IOException {
        Map<Long, byte[]> live = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        try (Storer s = stores.create(file())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 2500; i++) {
                    int size = r.nextInt(20) == 0 ? 0 : (int) Math.exp(r.nextDouble() * Math.log(20_000));
                    byte[] b = TestBytes.of(seed * 100_000 + round * 10_000 + i, size);
                    long id = s.writeNewObjFromBytes(b);
                    live.put(id, b);
                    everIssued.add(id);
                }
                List<Long> ids = new ArrayList<>(live.keySet());
                for (int i = 0; i < ids.size(); i += 5) {
                    s.deleteObj(ids.get(i));
                    live.remove(ids.get(i));
                }
                s.sync(); // deleted space becomes reusable: the next round refills holes and slots
            }
            long prime = s.primeObject(100);
            try (ObjectWriter w = s.writeToObj(prime)) {
                w.write(ByteBuffer.wrap(TestBytes.filled(100, (byte) 9)));
            }
            live.put(prime, TestBytes.filled(100, (byte) 9));
            everIssued.add(prime);
        }
        return live;
    }

    /** Ids worth asking about: every id ever issued, its neighbours, other slots, and nonsense. */
    private static List<Long> probes(List<Long> everIssued, long seed) {
        List<Long> p = new ArrayList<>();
        for (long id : everIssued) {
            p.add(id);
            p.add(id + 1);
            p.add(id - 1);
            p.add(id ^ 0x3FF); // another slot of the same block, for slot ids
            p.add(id + (1L << 10)); // the same slot of the next block
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            p.add(r.nextLong());
            p.add(r.nextLong(1L << 62) | (1L << 62));
            p.add(r.nextLong(300_000_000L));
        }
        p.addAll(
                List.of(0L, -1L, 1L, 1023L, 1024L, 1025L, 1L << 62, (1L << 62) | 1023, Long.MAX_VALUE, Long.MIN_VALUE));
        return p;
    }

    @OnBareStores
    void aReopenedStoreAnswersFromItsRecordExactlyAsItsBuiltAllocatorDoes(TestStores stores) throws Exception {
        List<Long> issued = new ArrayList<>();
        Map<Long, byte[]> live = populate(stores, 11, issued);
        List<Long> probes = probes(issued, 12);
        try (Storer s = stores.open(file())) {
            FileStore fs = (FileStore) s;
            assertFalse(fs.allocatorBuilt(), "opening reads the record's index only");
            Map<Long, Optional<ObjectInfo>> fromRecord = new HashMap<>();
            for (long id : probes) {
                fromRecord.put(id, fs.objectInfo(id));
            }
            verify(s, live);
            long liveFound =
                    fromRecord.values().stream().filter(Optional::isPresent).count();
            assertTrue(liveFound >= live.size(), liveFound + " of " + live.size());
            assertFalse(fs.allocatorBuilt(), "reads do not build the allocator");

            StoreStats stats = fs.stats(); // builds it
            assertTrue(fs.allocatorBuilt());
            assertEquals(live.size(), stats.objects());
            assertEquals(live.values().stream().mapToLong(b -> b.length).sum(), stats.liveBytes());
            for (long id : probes) {
                assertEquals(fromRecord.get(id), fs.objectInfo(id), "object " + id);
            }
            verify(s, live);
        }
    }

    @Test
    void thePrimeObjectKeepsTheStoreLazyAndAnOverwriteBuildsItToRecordItsChecksum() throws Exception {
        List<Long> issued = new ArrayList<>();
        Map<Long, byte[]> live = populate(TestStores.MULTI, 21, issued);
        List<Long> ids = new ArrayList<>(live.keySet());
        long small = ids.stream()
                .filter(id -> id > 0 && (id & (1L << 62)) != 0 && live.get(id).length > 10)
                .findFirst()
                .orElseThrow();
        long large = ids.stream()
                .filter(id -> live.get(id).length > 5000)
                .findFirst()
                .orElseThrow();
        long prime = issued.get(issued.size() - 1);
        byte[] headBefore = headerBytes();
        try (Storer s = TestStores.MULTI.open(file())) {
            assertEquals(prime, s.primeObject(100), "an existing prime object is found without building");
            assertFalse(((FileStore) s).allocatorBuilt());
            assertArrayEquals(headBefore, headerBytes(), "no claim, no record: nothing was allocated");
            for (long id : new long[] {small, large}) {
                byte[] b = TestBytes.of(id, live.get(id).length);
                try (ObjectWriter w = s.writeToObj(id)) {
                    w.write(ByteBuffer.wrap(b));
                }
                live.put(id, b);
            }
            s.sync();
            assertTrue(((FileStore) s).allocatorBuilt(), "an overwrite changes its object's CRC32C: metadata");
        }
        try (Storer s = TestStores.MULTI.open(file())) {
            assertFalse(((FileStore) s).allocatorBuilt());
            verify(s, live); // the new bytes, under their new checksums
            s.deleteObj(small);
            assertTrue(((FileStore) s).allocatorBuilt());
            live.remove(small);
        }
        try (Storer s = TestStores.MULTI.open(file())) {
            verify(s, live);
            assertFalse(((FileStore) s).objectInfo(small).isPresent());
        }
    }

    private byte[] headerBytes() throws IOException {
        byte[] all = Files.readAllBytes(file());
        return java.util.Arrays.copyOf(all, (int) HeaderSlot.DATA_START);
    }

    // ---------------------------------------------------------------- a bad index

    private void editPayload(Consumer<ByteBuffer> edit) throws IOException {
        RecordEdits.editPayload(file(), edit);
    }

    private static final int FOOTER = RecordEdits.FOOTER;

    @OnBareStores
    void anIndexFooterThatIsNotOneIsCorruptedAtOpen(TestStores stores) throws Exception {
        populate(stores, 31, new ArrayList<>());
        editPayload(p -> p.putInt(p.limit() - 4, 0x12345678));
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> stores.open(file()));
        assertTrue(e.getMessage().contains("index footer has bad magic"), e.getMessage());
    }

    @OnBareStores
    void anIndexThatDisagreesWithTheRecordFailsTheFirstChangeAndTheFileIsLeftAsItWas(TestStores stores)
            throws Exception {
        Map<Long, byte[]> live = populate(stores, 41, new ArrayList<>());
        editPayload(p -> p.putLong(
                p.limit() - FOOTER + RecordEdits.FOOTER_LIVE_BYTES,
                p.getLong(p.limit() - FOOTER + RecordEdits.FOOTER_LIVE_BYTES) + 1));
        byte[] crafted = Files.readAllBytes(file());
        long victim = live.keySet().iterator().next();
        try (Storer s = stores.open(file())) {
            verify(s, live); // the look-ups do not depend on the totals
            StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> s.deleteObj(victim));
            assertTrue(e.getMessage().contains("its index says"), e.getMessage());
            assertThrows(StoreCorruptedException.class, () -> s.writeNewObjFromBytes(new byte[10]));
            assertTrue(((FileStore) s).objectInfo(victim).isPresent());
        }
        assertArrayEquals(crafted, Files.readAllBytes(file()), "nothing was written");
    }

    @OnBareStores
    void anIndexEntryPointingOutsideTheRecordIsCorruptedNotAWrongRead(TestStores stores) throws Exception {
        Map<Long, byte[]> live = populate(stores, 51, new ArrayList<>());
        int[] indexAt = new int[1];
        editPayload(p -> {
            indexAt[0] = p.getInt(p.limit() - FOOTER + 16);
            p.putInt(indexAt[0] + 8, p.limit() + 100); // the first extent entry's position
        });
        long firstExtent = live.keySet().stream()
                .filter(id -> id > 0 && (id & (1L << 62)) == 0)
                .min(Long::compare)
                .orElseThrow();
        // Found at open if the prime object's look-up passes that entry, else at the read.
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> {
            try (Storer s = stores.open(file())) {
                s.readBytesFromObj(firstExtent);
            }
        });
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    /**
     * A crash image (kill -9 of four threads committing transactions, TxCrashTest's stress case) in
     * which an entry frees the shadow object at the record's tail, and the entries after it name an
     * allocator end below that object once its space came free: the store opens, and reading every
     * object finds no problem. The record's objects are checked against the end the entries leave;
     * checked against the last entry's end before the entries were applied, it failed (BOB-301,
     * "object at 1719639 of 18692 bytes ends past the allocator end 1719639").
     */
    @Test
    void aRecordObjectFreedByAnEntryMayEndPastTheEndOfTheLastEntry() throws Exception {
        try (InputStream in =
                new GZIPInputStream(getClass().getResourceAsStream(FIXTURES + "multi-v6-freed-record-tail.bob.gz"))) {
            Files.copy(in, file());
        }
        try (Storer s = TestStores.MULTI.open(file())) {
            org.bobbob.store.VerifyReport report =
                    s.unwrap(org.bobbob.store.StoreVerifier.class).verify(true);
            assertEquals(List.of(), report.problems());
            assertTrue(report.objectsRead() > 6000, report.objectsRead() + " objects read");
        }
    }

    // ---------------------------------------------------------------- threads

    @Test
    void readersRacingTheBuildOfALazilyOpenedStoreAlwaysReadTheirObjects() throws Exception {
        List<Long> issued = new ArrayList<>();
        Map<Long, byte[]> live = populate(TestStores.MULTI, 61, issued);
        List<Long> ids = new ArrayList<>(live.keySet());
        List<Long> read = ids.subList(0, ids.size() / 2);
        List<Long> deleted = new ArrayList<>(ids.subList(ids.size() / 2, ids.size()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 12; round++) {
                try (Storer s = TestStores.CONCURRENT_MULTI.open(file())) {
                    CyclicBarrier start = new CyclicBarrier(4);
                    List<Future<Integer>> readers = new ArrayList<>();
                    for (int t = 0; t < 3; t++) {
                        int seed = round * 10 + t;
                        readers.add(pool.submit(() -> {
                            SplittableRandom r = new SplittableRandom(seed);
                            start.await();
                            for (int i = 0; i < 1500; i++) {
                                long id = read.get(r.nextInt(read.size()));
                                assertArrayEquals(live.get(id), s.readBytesFromObj(id), "object " + id);
                            }
                            return 1500;
                        }));
                    }
                    long gone = deleted.remove(deleted.size() - 1);
                    Future<Long> writer = pool.submit(() -> {
                        start.await();
                        s.deleteObj(gone); // the first change: builds the allocator under the readers
                        long added = s.writeNewObjFromBytes(TestBytes.of(gone, 500));
                        s.sync(); // a new record: the one the readers' index read from is freed (cut if at the end)
                        return added;
                    });
                    for (Future<Integer> f : readers) {
                        assertEquals(1500, f.get());
                    }
                    long added = writer.get();
                    live.remove(gone);
                    live.put(added, TestBytes.of(gone, 500));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (Storer s = TestStores.MULTI.open(file())) {
            verify(s, live);
        }
    }

    private static void verify(Storer s, Map<Long, byte[]> objects) throws IOException {
        for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
            assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
        }
    }
}
