package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write-combining cache reads back exactly what a plain file would, whatever the mix of calls;
 * a durable write through it survives a crash whatever the cache held over its range.
 */
class CombiningStoreFileTest {

    /**
     * Gathering (the default, chunks read whole), gathering with chunks read in load units of a
     * quarter and of a sixteenth of a chunk (a multi store's), and not gathering
     * ({@code -Dbobbob.writeCombining=false}). A discarded range (freed space) may read as anything
     * until it is written again; every other byte must read as the plain file's, whether a read
     * meets the cache, the file or both.
     */
    @ParameterizedTest
    @CsvSource({"true, 16, 16", "true, 18, 16", "true, 16, 12", "false, 16, 16"})
    void agreesWithAPlainFileUnderRandomWritesReadsTruncatesExtensionsDurableWritesDiscardsAndForces(
            boolean gathering, int chunkBits, int loadBits) throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            SimulatedDisk plain = new SimulatedDisk();
            SimulatedDisk under = new SimulatedDisk();
            CombiningStoreFile cached = new CombiningStoreFile(
                    under, gathering, chunkBits, loadBits, CombiningStoreFile.KEEP_BUFFERS_NANOS);
            long span = 3L << 20; // several chunks, and more than the cache holds
            long lastPos = 0;
            BitSet freed = new BitSet(); // discarded bytes: their content is no longer defined
            for (int op = 0; op < 8_000; op++) {
                int roll = r.nextInt(100);
                if (roll < 60) {
                    int len = r.nextInt(10) == 0 ? r.nextInt(100_000) : r.nextInt(3000);
                    int where = r.nextInt(10);
                    long pos = where < 5
                            ? Math.max(0, plain.size() - r.nextInt(200)) // appends
                            : where < 8
                                    ? Math.max(0, lastPos + r.nextInt(8192) - 2048) // close to the last write
                                    : r.nextLong(span);
                    lastPos = pos;
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    plain.writeFully(ByteBuffer.wrap(data), pos);
                    freed.clear((int) pos, (int) pos + len);
                    if (r.nextBoolean()) {
                        cached.writeNewObject(ByteBuffer.wrap(data), pos); // may load chunks
                    } else {
                        cached.writeFully(ByteBuffer.wrap(data), pos);
                    }
                } else if (roll < 95) {
                    long pos = r.nextLong(span + 1000);
                    int len = 1 + r.nextInt(r.nextBoolean() ? 200 : 150_000);
                    ByteBuffer a = ByteBuffer.allocate(len);
                    ByteBuffer b = ByteBuffer.allocate(len);
                    plain.readFullyZeroPadded(a, pos);
                    cached.readFullyZeroPadded(b, pos);
                    assertArrayEquals(
                            masked(a.array(), freed, pos),
                            masked(b.array(), freed, pos),
                            "seed " + seed + " op " + op + ": read at " + pos);
                } else if (roll < 96) {
                    long to = r.nextLong(Math.max(1, plain.size()));
                    plain.truncate(to);
                    cached.truncate(to);
                    freed.clear((int) to, Integer.MAX_VALUE);
                } else if (roll < 97) {
                    long to = plain.size() - 100 + r.nextInt(100_000); // adds zeros, or changes nothing
                    plain.extendTo(to);
                    cached.extendTo(to);
                } else if (roll < 98) {
                    // a journal entry or header slot: durable at once, whatever the cache holds around it
                    int len = 1 + r.nextInt(r.nextBoolean() ? 100 : 20_000);
                    long pos = r.nextBoolean() ? Math.max(0, lastPos + r.nextInt(8192) - 2048) : r.nextLong(span);
                    byte[] data = new byte[len];
                    r.nextBytes(data);
                    plain.writeFully(ByteBuffer.wrap(data), pos);
                    freed.clear((int) pos, (int) pos + len);
                    cached.writeDurably(ByteBuffer.wrap(data), pos);
                    byte[] crashed = under.crashImage(new Random(seed * 100_000 + op));
                    assertTrue(crashed.length >= pos + len, "seed " + seed + " op " + op + ": durable length");
                    assertArrayEquals(
                            data,
                            Arrays.copyOfRange(crashed, (int) pos, (int) pos + len),
                            "seed " + seed + " op " + op + ": a crash keeps a durable write");
                } else if (roll < 99 && r.nextBoolean()) {
                    // freed space (a delete before any sync covered the object): within the
                    // file below, so the size stays; the store never reads it again unwritten
                    long from = Math.max(0, lastPos + r.nextInt(8192) - 4096);
                    long to = Math.min(under.size(), from + 1 + r.nextInt(r.nextBoolean() ? 3000 : 100_000));
                    if (from < to) {
                        cached.discard(from, to);
                        freed.set((int) from, (int) to);
                    }
                } else if (roll < 99) {
                    cached.flush(); // written out, the chunks kept: reads then come from their buffers
                    assertArrayEquals(
                            masked(plain.image(), freed, 0),
                            masked(under.image(), freed, 0),
                            "after flush the file reads as the cache does");
                } else {
                    cached.force();
                    assertArrayEquals(
                            masked(plain.image(), freed, 0),
                            masked(under.image(), freed, 0),
                            "after force the file holds everything");
                }
                assertEquals(plain.size(), cached.size(), "seed " + seed + " op " + op + ": size");
            }
            cached.close();
            assertArrayEquals(
                    masked(plain.image(), freed, 0), masked(under.image(), freed, 0), "close writes the cache out");
            assertThrows(ClosedChannelException.class, () -> cached.write(ByteBuffer.allocate(1), 0));
            if (gathering) {
                assertTrue(under.mutations() < plain.mutations(), "fewer writes reached the file");
            } else {
                assertTrue(under.mutations() >= plain.mutations(), "every write reached the file (and the forces)");
            }
        }
    }

    /** {@code bytes} (read from {@code position}) with the freed ones set to 0. */
    private static byte[] masked(byte[] bytes, BitSet freed, long position) {
        byte[] out = bytes.clone();
        for (int i = freed.nextSetBit((int) position);
                i >= 0 && i < position + out.length;
                i = freed.nextSetBit(i + 1)) {
            out[(int) (i - position)] = 0;
        }
        return out;
    }

    /**
     * New objects that load chunks, racing overwrites of their neighbours in the same chunks: no
     * overwrite may be lost to a chunk loaded while it was under way and written out later.
     */
    @ParameterizedTest
    @CsvSource({"16, 16", "18, 14"})
    void loadingAChunkNeverLosesAnOverwriteInFlight(int chunkBits, int loadBits) throws Exception {
        int chunks = 8;
        int objectSize = 512;
        int perChunk = (1 << 16) / objectSize; // 128 objects a chunk: even ones overwritten, odd ones new
        for (int round = 0; round < 50; round++) {
            SimulatedDisk under = new SimulatedDisk(new byte[chunks << 16]);
            CombiningStoreFile cached = new CombiningStoreFile(
                    new YieldingWrites(under), true, chunkBits, loadBits, CombiningStoreFile.KEEP_BUFFERS_NANOS);
            int versions = 1 + round % 3; // few: a lost last version must not be rewritten later
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int parity = t; // thread t overwrites even objects whose index / 2 has parity t
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int v = 1; v <= versions; v++) {
                            for (int o = 0; o < chunks * perChunk; o += 2) {
                                if ((o / 2) % 2 == parity) {
                                    cached.writeFully(
                                            ByteBuffer.wrap(content(o, v, objectSize)), (long) o * objectSize);
                                }
                            }
                        }
                        return null;
                    }));
                }
                done.add(pool.submit(() -> {
                    start.await();
                    for (int o = 1; o < chunks * perChunk; o += 2) { // new objects, one after another
                        cached.writeNewObject(ByteBuffer.wrap(content(o, 1, objectSize)), (long) o * objectSize);
                    }
                    return null;
                }));
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            cached.force();
            byte[] image = under.image();
            for (int o = 0; o < chunks * perChunk; o++) {
                byte[] expected = content(o, o % 2 == 0 ? versions : 1, objectSize);
                byte[] actual = java.util.Arrays.copyOfRange(image, o * objectSize, (o + 1) * objectSize);
                assertArrayEquals(expected, actual, "round " + round + ", object " + o);
            }
            cached.close();
        }
    }

    /**
     * A multi store refilling one block of a 256 KiB chunk read in 64 KiB units: the chunk reads
     * the one unit its new objects fall in, not the chunk, and the file then holds every new object
     * and every old byte around them.
     */
    @Test
    void aChunkReadsOnlyTheLoadUnitsItsNewObjectsFallIn() throws Exception {
        byte[] old = new byte[1 << 20];
        new Random(5).nextBytes(old);
        SimulatedDisk disk = new SimulatedDisk(old.clone());
        long[] read = {0};
        StoreFile counting = new ForwardingStoreFile(disk) {
            @Override
            public int readOnce(ByteBuffer dst, long position) throws IOException {
                int n = super.readOnce(dst, position);
                read[0] += Math.max(0, n);
                return n;
            }
        };
        CombiningStoreFile cached =
                new CombiningStoreFile(counting, true, 18, 16, CombiningStoreFile.KEEP_BUFFERS_NANOS);
        byte[] expected = old.clone();
        for (int pos = 70_000; pos < 120_000; pos += 2048) { // every other KiB pair of unit 1 (64-128 KiB)
            byte[] object = content(pos, 1, 1000);
            cached.writeNewObject(ByteBuffer.wrap(object), pos);
            System.arraycopy(object, 0, expected, pos, object.length);
        }
        assertEquals(1 << 16, read[0], "unit 1 read once, nothing else");
        cached.force();
        assertArrayEquals(expected, disk.image());
        cached.close();
    }

    /**
     * A mapped view shows the file below, so the cache passes one on only where no cached chunk
     * holds bytes of its range.
     */
    @Test
    void aMappedViewIsPassedOnOnlyWhereNoCachedChunkHoldsBytesOfItsRange() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(new byte[1000]);
        StoreFile mapping = new ForwardingStoreFile(disk) {
            @Override
            public ByteBuffer mappedView(long position, int length) {
                return ByteBuffer.allocate(length); // stands for a map
            }
        };
        CombiningStoreFile cached = new CombiningStoreFile(mapping);
        cached.writeNewObject(ByteBuffer.wrap(content(1, 1, 100)), CombiningStoreFile.DEFAULT_CHUNK_SIZE + 50);
        assertNotNull(cached.mappedView(0, 900), "no chunk cached there");
        assertNull(cached.mappedView(CombiningStoreFile.DEFAULT_CHUNK_SIZE + 60, 10), "in the cached chunk");
        assertNull(cached.mappedView(CombiningStoreFile.DEFAULT_CHUNK_SIZE - 10, 20), "reaching into it");
        assertNotNull(cached.mappedView(2 * CombiningStoreFile.DEFAULT_CHUNK_SIZE, 10), "past it");
        cached.close();
    }

    /**
     * A force keeps the chunks' buffers while the store writes on (the next chunks reuse them),
     * releases them when no chunk was made within the keeping time, and close always releases them;
     * what is read back is the data either way.
     */
    @Test
    void aForceKeepsTheChunkBuffersOfAStoreThatWritesOnAndReleasesThemOnceItIsIdle() throws Exception {
        int chunk = CombiningStoreFile.DEFAULT_CHUNK_SIZE;
        SimulatedDisk disk = new SimulatedDisk();
        CombiningStoreFile writingOn = new CombiningStoreFile(disk, true, Long.MAX_VALUE);
        for (int i = 0; i < 3; i++) { // three chunks past the file's end
            writingOn.writeNewObject(ByteBuffer.wrap(content(i, 1, 1000)), (long) i * chunk);
        }
        assertEquals(0, writingOn.keptBuffers(), "all three in use");
        writingOn.force();
        assertEquals(3, writingOn.keptBuffers(), "kept for the chunks to come");
        writingOn.writeNewObject(ByteBuffer.wrap(content(3, 1, 1000)), 3L * chunk);
        writingOn.writeNewObject(ByteBuffer.wrap(content(4, 1, 1000)), 4L * chunk);
        assertEquals(1, writingOn.keptBuffers(), "two reused");
        writingOn.force();
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(content(i, 1, 1000), Arrays.copyOfRange(disk.image(), i * chunk, i * chunk + 1000));
        }
        writingOn.close();
        assertEquals(0, writingOn.keptBuffers(), "close releases them");

        CombiningStoreFile idle = new CombiningStoreFile(new SimulatedDisk(), true, 0);
        idle.writeNewObject(ByteBuffer.wrap(content(1, 1, 1000)), 0);
        idle.force();
        assertEquals(0, idle.keptBuffers(), "no chunk made within the keeping time: released");
        idle.close();
    }

    /**
     * A durable write holds none of the cache's locks while the disk takes it: writes of other
     * objects go on meanwhile. And no chunk made meanwhile takes its range for zeros past the
     * file's end: a new object past the range and then one just below it, in the same chunk, would
     * otherwise widen the chunk's dirty bytes over the range and later write zeros over it.
     */
    @Test
    void otherWritesGoOnDuringADurableWriteAndNeverWriteOverItsRange() throws Exception {
        SimulatedDisk disk = new SimulatedDisk(new byte[1000]); // the file ends at 1000
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StoreFile held = new ForwardingStoreFile(disk) {
            @Override
            public void writeDurably(ByteBuffer src, long position) throws IOException {
                inside.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("the other writes never finished");
                    }
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                super.writeDurably(src, position);
            }
        };
        CombiningStoreFile cached = new CombiningStoreFile(held);
        byte[] entry = content(1, 1, 4000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> durable = pool.submit(() -> {
                cached.writeDurably(ByteBuffer.wrap(entry), 1000);
                return null;
            });
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the durable write began");
            cached.writeNewObject(ByteBuffer.wrap(content(2, 1, 100)), 6000); // past the file's end
            cached.writeFully(ByteBuffer.wrap(content(3, 1, 100)), 900); // into the same chunk
            release.countDown();
            durable.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        cached.force();
        byte[] image = disk.image();
        assertArrayEquals(entry, Arrays.copyOfRange(image, 1000, 5000), "the durable write's range");
        assertArrayEquals(content(2, 1, 100), Arrays.copyOfRange(image, 6000, 6100), "the object past it");
        assertArrayEquals(content(3, 1, 100), Arrays.copyOfRange(image, 900, 1000), "the object before it");
        cached.close();
    }

    /**
     * New objects refilling holes of a file in offset order, chunk after chunk (as the allocator's
     * sweep places them): each chunk is loaded (one read) at its first object, since a recent one
     * went to the chunk before it, and written once; only the very first object goes straight
     * through. With 512 KiB chunks (a basic store's) that is eight times fewer calls than with the
     * default 64 KiB for the same bytes: the count fails if the chunk size is not used for the load
     * or the write-out.
     */
    @ParameterizedTest
    @ValueSource(ints = {CombiningStoreFile.DEFAULT_CHUNK_BITS, 19})
    void aRefillInOffsetOrderIsOneReadAndOneWritePerChunk(int chunkBits) throws Exception {
        int chunks = 8;
        byte[] old = new byte[chunks << chunkBits];
        new Random(3).nextBytes(old);
        SimulatedDisk disk = new SimulatedDisk(old.clone());
        int[] writes = {0};
        int[] reads = {0};
        StoreFile counted = new ForwardingStoreFile(disk) {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                writes[0]++;
                return super.write(src, position);
            }

            @Override
            public int readOnce(ByteBuffer dst, long position) throws IOException {
                reads[0]++;
                return super.readOnce(dst, position);
            }
        };
        CombiningStoreFile cached = new CombiningStoreFile(counted, true, chunkBits, Long.MAX_VALUE);
        byte[] expected = old.clone();
        int objects = 0;
        for (int pos = 500; pos + 300 <= old.length; pos += 1000) { // 300-byte objects, live bytes between them
            byte[] data = content(objects++, 1, 300);
            cached.writeNewObject(ByteBuffer.wrap(data), pos);
            System.arraycopy(data, 0, expected, pos, 300);
        }
        cached.force();
        assertArrayEquals(expected, disk.image(), "every object in place, every live byte between them kept");
        assertTrue(writes[0] <= chunks + 1, writes[0] + " writes for " + objects + " objects in " + chunks + " chunks");
        assertTrue(reads[0] <= chunks, reads[0] + " reads for " + chunks + " chunks");
        cached.close();
    }

    /**
     * Bytes appended past the file's end leave a 512 KiB chunk in writes of at most an append piece
     * (256 KiB), each ending at a multiple of it (the page cache keeps new bytes in folios as large
     * as the write that made them, and small writes into very large folios cost more later); all of
     * them arrive.
     */
    @Test
    void appendedBytesLeaveALargeChunkInAppendPieces() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        List<long[]> writes = new ArrayList<>();
        StoreFile counted = new ForwardingStoreFile(disk) {
            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                writes.add(new long[] {position, src.remaining()});
                return super.write(src, position);
            }
        };
        CombiningStoreFile cached = new CombiningStoreFile(counted, true, 19, Long.MAX_VALUE);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int objects = 0;
        for (long pos = 0; pos < 1_200_000; objects++) { // new objects one after another at the end
            byte[] data = content(objects, 1, 3000);
            cached.writeNewObject(ByteBuffer.wrap(data), pos);
            expected.write(data);
            pos += data.length;
        }
        cached.force();
        assertArrayEquals(expected.toByteArray(), Arrays.copyOf(disk.image(), expected.size()), "every byte arrived");
        for (long[] w : writes) {
            long piece = CombiningStoreFile.APPEND_PIECE;
            assertTrue(w[1] <= piece, "a write of " + w[1] + " bytes at " + w[0]);
            assertTrue(
                    (w[0] + w[1]) % piece == 0 || w[0] + w[1] == expected.size(), "a piece ending at " + (w[0] + w[1]));
        }
        assertTrue(writes.size() >= expected.size() / CombiningStoreFile.APPEND_PIECE, writes.size() + " writes");
        cached.close();
    }

    @Test
    void aChunkSizeOutsideItsBoundsIsRefused() {
        SimulatedDisk disk = new SimulatedDisk();
        assertThrows(IllegalArgumentException.class, () -> new CombiningStoreFile(disk, true, 11, 0));
        assertThrows(IllegalArgumentException.class, () -> new CombiningStoreFile(disk, true, 21, 0));
    }

    private static byte[] content(int object, int version, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (object * 31 + version * 7 + i);
        }
        return b;
    }

    /** Yields before each write, to widen the window in which a direct write is under way. */
    private record YieldingWrites(StoreFile disk) implements StoreFile {
        @Override
        public java.nio.file.Path path() {
            return disk.path();
        }

        @Override
        public int read(ByteBuffer dst, long position) throws java.io.IOException {
            return disk.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws java.io.IOException {
            Thread.yield();
            return disk.write(src, position);
        }

        @Override
        public long size() throws java.io.IOException {
            return disk.size();
        }

        @Override
        public void truncate(long size) throws java.io.IOException {
            disk.truncate(size);
        }

        @Override
        public void force() throws java.io.IOException {
            disk.force();
        }

        @Override
        public void close() throws java.io.IOException {
            disk.close();
        }
    }
}
