package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-object CRC32C: every write path records the checksum of what the object then holds, every
 * read compares, and a damaged byte is a {@link StoreCorruptedException} (BOB-305) naming the id,
 * never the damaged bytes; {@code verifyChecksums=false} turns the comparison off.
 */
class ChecksumTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("crc.bob");
    }

    /** Writes objects through every write path; returns id → what it must read. */
    private static Map<Long, byte[]> writeEveryWay(Storer s) throws IOException {
        Map<Long, byte[]> expect = new LinkedHashMap<>();
        for (int size : new int[] {1, 100, 4096, 5000, 70_000}) {
            byte[] b = TestBytes.of(size, size);
            expect.put(s.writeNewObjFromBytes(b), b);
            expect.put(s.newObj(size), new byte[size]);
            // a Late writer that writes only a prefix: the rest reads as zeros
            try (ObjectWriter w = s.lateWriteNewObj(size)) {
                w.write(ByteBuffer.wrap(b, 0, size / 2));
                byte[] partial = new byte[size];
                System.arraycopy(b, 0, partial, 0, size / 2);
                expect.put(w.id(), partial);
            }
            // an overwrite of a prefix: the rest keeps its old bytes
            long over = s.writeNewObjFromBytes(b);
            byte[] head = TestBytes.of(-size, size / 3);
            try (ObjectWriter w = s.writeToObj(over)) {
                w.write(ByteBuffer.wrap(head));
            }
            byte[] mixed = b.clone();
            System.arraycopy(head, 0, mixed, 0, head.length);
            expect.put(over, mixed);
        }
        long prime = s.primeObject(300);
        expect.put(prime, new byte[300]);
        if (s.isWrapperFor(RunAllocator.class)) {
            AllocatedRun run = s.unwrap(RunAllocator.class).allocateRun(40, 10);
            byte[] data = TestBytes.of(9, 10 * 30);
            int[] sizes = new int[10];
            Arrays.fill(sizes, 30); // each object written short: 30 of its 40 bytes
            s.writeBatchedObjs(run.ids(), data, sizes);
            for (int i = 0; i < 10; i++) {
                expect.put(run.ids()[i], Arrays.copyOf(Arrays.copyOfRange(data, i * 30, i * 30 + 30), 40));
            }
        }
        return expect;
    }

    private static void readAll(Storer s, Map<Long, byte[]> expect) throws IOException {
        for (Map.Entry<Long, byte[]> e : expect.entrySet()) {
            assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
            assertArrayEquals(e.getValue(), readStreaming(s, e.getKey()), "streamed object " + e.getKey());
        }
    }

    private static byte[] readStreaming(Storer s, long id) throws IOException {
        try (ObjectReader r = s.lateReadObj(id)) {
            return r.asInputStream().readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void everyWritePathRecordsTheChecksumOfWhatTheObjectHolds(TestStores stores) throws Exception {
        Map<Long, byte[]> expect;
        try (Storer s = stores.create(file())) {
            expect = writeEveryWay(s);
            readAll(s, expect);
        }
        try (Storer s = stores.open(file())) {
            readAll(s, expect); // the checksums came through the record
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.class)
    void aDamagedByteIsAChecksumMismatchNamingTheIdNeverTheBytes(TestStores stores) throws Exception {
        Map<Long, byte[]> expect;
        long victim;
        long at;
        try (Storer s = stores.create(file())) {
            expect = writeEveryWay(s);
            victim = expect.keySet().stream()
                    .filter(id -> expect.get(id).length == 5000)
                    .findFirst()
                    .orElseThrow();
            at = s.unwrap(ObjectInfoProvider.class)
                            .objectInfo(victim)
                            .orElseThrow()
                            .offset()
                    + 4321;
        }
        flipByte(at);
        try (Storer s = stores.open(file())) {
            StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> s.readBytesFromObj(victim));
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
            assertTrue(e.getMessage().contains(Long.toString(victim)), e.getMessage());
            e = assertThrows(StoreCorruptedException.class, () -> readStreaming(s, victim));
            assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
            expect.remove(victim);
            readAll(s, expect); // the others are fine
        }
        Properties off = new Properties();
        off.setProperty("verifyChecksums", "false");
        off.setProperty("concurrent", "false");
        try (Storer s = StoreManager.open("bobbob:" + kind(stores) + ":" + file(), off)) {
            byte[] damaged = s.readBytesFromObj(victim);
            assertEquals(5000, damaged.length, "verifyChecksums=false: the bytes as they are");
        }
    }

    private static String kind(TestStores stores) {
        return stores == TestStores.BASIC || stores == TestStores.CONCURRENT_BASIC ? "basic" : "multi";
    }

    private void flipByte(long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            ch.write(b.rewind(), position);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void aBadValueOfVerifyChecksumsIsABadUrl(TestStores stores) {
        StoreException e = assertThrows(
                StoreException.class,
                () -> StoreManager.open("bobbob:" + kind(stores) + ":" + file() + "?verifyChecksums=perhaps"));
        assertEquals(ErrorCode.BAD_URL, e.code());
    }
}
