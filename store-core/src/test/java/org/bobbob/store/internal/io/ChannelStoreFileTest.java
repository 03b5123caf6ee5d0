package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChannelStoreFile}'s two kinds of read: {@code read} through the memory maps, {@code
 * readOnce} through the channel, with the same bytes; its mapped views; and that a store opened
 * lazily maps its file (its record answers look-ups through the map) and closing unmaps it. Whether
 * the file is mapped is read from {@code /proc/self/maps}, the kernel's list of this process's maps
 * (Linux).
 */
class ChannelStoreFileTest {
    @TempDir
    Path dir;

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 5);
        }
        return b;
    }

    private static boolean mapped(Path file) throws IOException {
        String name = file.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> line.endsWith(name));
    }

    /** How many maps of {@code file} the process holds. */
    private static long maps(Path file) throws IOException {
        String name = file.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith(name))
                .count();
    }

    private void assumeMapsVisibleAndUsed() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "no /proc/self/maps (not Linux)");
        String type = Files.getFileStore(dir).type();
        assumeTrue(!type.equals("tmpfs") && !type.equals("ramfs"), "reads are not mapped on " + type);
    }

    /**
     * A durable write lands where it is asked, grows the file, consumes its buffer (heap or direct),
     * is seen by reads through the maps and the channel, is not cut short by an interrupt (its
     * descriptor is not a channel an interrupt closes), and leaves the file locked.
     */
    @Test
    void aDurableWriteLandsKeepsTheLockAndIgnoresInterrupts() throws Exception {
        Path path = dir.resolve("d");
        byte[] data = pattern(20_000);
        try (ChannelStoreFile file = ChannelStoreFile.open(path, true)) {
            file.writeFully(ByteBuffer.wrap(data), 0);
            ByteBuffer heap = ByteBuffer.wrap(pattern(5000), 100, 3000);
            file.writeDurably(heap, 30_000);
            assertFalse(heap.hasRemaining(), "the buffer is consumed");
            assertEquals(33_000, file.size());
            ByteBuffer direct = ByteBuffer.allocateDirect(700);
            direct.put(pattern(700)).flip();
            Thread.currentThread().interrupt();
            try {
                file.writeDurably(direct, 4096);
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays pending");
            } finally {
                Thread.interrupted();
            }
            ByteBuffer mappedRead = ByteBuffer.allocate(3000);
            file.readFullyZeroPadded(mappedRead, 30_000);
            assertArrayEquals(Arrays.copyOfRange(pattern(5000), 100, 3100), mappedRead.array());
            ByteBuffer once = ByteBuffer.allocate(700);
            file.readOnceFullyZeroPadded(once, 4096);
            assertArrayEquals(pattern(700), once.array());
            StoreException locked = assertThrows(StoreException.class, () -> ChannelStoreFile.open(path, false));
            assertEquals(ErrorCode.LOCKED, locked.code(), locked.getMessage());
        }
        try (ChannelStoreFile again = ChannelStoreFile.open(path, false)) {
            assertEquals(33_000, again.size(), "closed: the lock and both descriptors are released");
        }
    }

    @Test
    void readOnceReadsWhatReadReadsWithoutMappingTheFile() throws Exception {
        assumeMapsVisibleAndUsed();
        Path path = dir.resolve("f");
        byte[] data = pattern(300_000);
        try (ChannelStoreFile file = ChannelStoreFile.open(path, true)) {
            file.writeFully(ByteBuffer.wrap(data), 0);
            for (int[] at : new int[][] {{0, 100}, {4095, 2}, {70_000, 65_536}, {299_990, 10}, {0, 300_000}}) {
                ByteBuffer once = ByteBuffer.allocate(at[1]);
                file.readOnceFullyZeroPadded(once, at[0]);
                byte[] want = java.util.Arrays.copyOfRange(data, at[0], at[0] + at[1]);
                assertArrayEquals(want, once.array(), "readOnce at " + at[0]);
            }
            assertEquals(-1, file.readOnce(ByteBuffer.allocate(10), 300_000), "end of file");
            ByteBuffer large = ByteBuffer.allocate(300_000);
            assertEquals(ChannelStoreFile.READ_ONCE_MAX, file.readOnce(large, 0), "one call reads a part");
            assertEquals(ChannelStoreFile.READ_ONCE_MAX, large.position());
            assertFalse(mapped(path), "readOnce maps nothing");

            ByteBuffer viaMap = ByteBuffer.allocate(65_536);
            file.readFullyZeroPadded(viaMap, 70_000);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 70_000, 135_536), viaMap.array());
            assertTrue(mapped(path), "read maps the file");
            file.unmap();
        }
    }

    /**
     * A write-back in the background forces the grown file without mapping it again (which would
     * drop the page-table entries of the map reads use); a force, the store's sync, maps it.
     */
    @Test
    void aWriteBackForcesWithoutMappingTheGrownFileAgain() throws Exception {
        assumeMapsVisibleAndUsed();
        Path path = dir.resolve("g");
        byte[] data = pattern(1 << 20);
        try (ChannelStoreFile file = ChannelStoreFile.open(path, true)) {
            file.writeFully(ByteBuffer.wrap(data), 0);
            file.readFullyZeroPadded(ByteBuffer.allocate(100), 0);
            assertEquals(1, maps(path), "a read maps the file");
            file.writeFully(ByteBuffer.wrap(data), data.length);
            file.forceInBackground();
            assertEquals(1, maps(path), "a write-back maps nothing");
            file.force();
            assertEquals(2, maps(path), "a force maps the grown file (the old map stays until unmap)");
            ByteBuffer tail = ByteBuffer.allocate(1000);
            file.readFullyZeroPadded(tail, data.length + 5_000);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 5_000, 6_000), tail.array());
            file.unmap();
            assertEquals(0, maps(path), "unmapped");
        }
    }

    /**
     * Whether to map is asked once per file system, not per directory: files in two directories
     * of one file system have one key, and a file on another has another.
     */
    @Test
    void filesOfOneFileSystemShareOneAnswerOnWhetherToMap() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"), "no device numbers");
        Path a = Files.createFile(Files.createDirectories(dir.resolve("a")).resolve("f"));
        Path b = Files.createFile(Files.createDirectories(dir.resolve("b/c")).resolve("g"));
        assertEquals(ChannelStoreFile.fileSystemOf(a), ChannelStoreFile.fileSystemOf(b));
        Path proc = Path.of("/proc/self/status");
        if (Files.exists(proc)) {
            assertNotEquals(ChannelStoreFile.fileSystemOf(a), ChannelStoreFile.fileSystemOf(proc));
        }
    }

    /**
     * A store opened lazily answers look-ups from its record through the file's map, made by the
     * first look-up: opening checks the record with reads and maps nothing, so a store opened and
     * closed unread never maps the file; closing unmaps what a look-up mapped.
     */
    @Test
    void aStoreOpenedLazilyMapsItsRecordAtItsFirstLookUpAndClosingUnmapsIt() throws Exception {
        assumeMapsVisibleAndUsed();
        Path path = dir.resolve("s.bob");
        long id;
        byte[] data = pattern(50_000);
        try (Storer s = StoreManager.open("bobbob:multi:" + path + "?create=true")) {
            for (int i = 0; i < 2_000; i++) {
                s.writeNewObjFromBytes(pattern(1 + i % 3000));
            }
            id = s.writeNewObjFromBytes(data);
        }
        assertFalse(mapped(path), "closed");
        Storer unread = StoreManager.open("bobbob:multi:" + path);
        assertFalse(mapped(path), "opening checks the record with reads: nothing mapped");
        unread.close();
        assertFalse(mapped(path), "opened and closed unread");
        try (Storer s = StoreManager.open("bobbob:multi:" + path)) {
            assertEquals(
                    50_000,
                    s.unwrap(ObjectInfoProvider.class)
                            .objectInfo(id)
                            .orElseThrow()
                            .size());
            assertEquals(1, maps(path), "the first look-up maps the file, whose record answers it");
            assertArrayEquals(data, s.readBytesFromObj(id));
            assertEquals(1, maps(path), "reads use the same map");
        }
        assertFalse(mapped(path), "closing unmaps it");
    }

    /**
     * A mapped view shows the file's bytes, read-only; a range that spans two map segments, or
     * lies past the end, has none (the caller reads it instead).
     */
    @Test
    void aMappedViewShowsTheFileAndLeavesOutWhatItCannotMapInOnePiece() throws Exception {
        assumeMapsVisibleAndUsed();
        Path path = dir.resolve("v");
        byte[] data = pattern(200_000);
        long segment = 1L << MappedReads.SEGMENT_BITS;
        try (ChannelStoreFile file = ChannelStoreFile.open(path, true)) {
            file.writeFully(ByteBuffer.wrap(data), 0);
            file.writeFully(ByteBuffer.wrap(data, 0, 100), segment + 50); // sparse: a file past one segment
            ByteBuffer view = file.mappedView(1_000, 150_000);
            assertTrue(view.isReadOnly());
            byte[] seen = new byte[150_000];
            view.get(0, seen);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1_000, 151_000), seen);
            file.writeFully(ByteBuffer.wrap(new byte[] {42}), 1_005);
            assertEquals(42, view.get(5), "a later write shows in the view");
            assertNull(file.mappedView(segment - 10, 20), "spans two segments");
            assertNull(file.mappedView(segment + 100, 100), "past the end");
            assertEquals(data[7], file.mappedView(segment + 50, 10).get(7));
            file.unmap();
        }
    }
}
