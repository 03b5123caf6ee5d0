package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link PreallocatingStoreFile}: zeros ahead of the data after a force, never over data. */
class PreallocatingStoreFileTest {
    private static ByteBuffer bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + 1);
        }
        return ByteBuffer.wrap(b);
    }

    /** A mapped view, like a read, ends at the data's end: the zeros ahead are no data. */
    @Test
    void aMappedViewEndsAtTheDataEnd() throws Exception {
        StoreFile mapping = new ForwardingStoreFile(new SimulatedDisk()) {
            @Override
            public ByteBuffer mappedView(long position, int length) {
                return ByteBuffer.allocate(length); // stands for a map
            }
        };
        PreallocatingStoreFile file = PreallocatingStoreFile.over(mapping);
        file.writeFully(bytes(10_000, 1), 0);
        file.force();
        assertTrue(mapping.size() > 10_000, "zeros ahead");
        assertNotNull(file.mappedView(9_000, 1_000), "data");
        assertNull(file.mappedView(9_000, 1_001), "reaching past the data's end");
        file.close();
    }

    @Test
    void aForceAfterGrowthWritesZerosAheadThatSizeAndReadsDoNotShow() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PreallocatingStoreFile file = PreallocatingStoreFile.over(disk);
        file.writeFully(bytes(10_000, 1), 0);
        assertEquals(10_000, disk.size(), "no zeros before a force");
        file.force();
        assertEquals(10_000 + PreallocatingStoreFile.AHEAD_MIN, disk.size(), "64 KiB of zeros ahead");
        assertEquals(10_000, file.size(), "the data's end");
        ByteBuffer past = ByteBuffer.allocate(100);
        assertEquals(-1, file.read(past, 10_000), "reads stop at the data's end");
        ByteBuffer across = ByteBuffer.allocate(100);
        assertEquals(50, file.read(across, 9_950));

        // A write into the zeros goes through, and moves the data's end; the file does not grow.
        long fileEnd = disk.size();
        file.writeFully(bytes(5_000, 2), 12_000);
        assertEquals(17_000, file.size());
        assertEquals(fileEnd, disk.size());
        ByteBuffer gap = ByteBuffer.allocate(2_000);
        file.readFullyZeroPadded(gap, 10_000);
        assertArrayEquals(new byte[2_000], gap.array(), "the zeros between read as zeros");

        // Only what the data grew by counts: nothing new, no new zeros.
        file.force();
        file.force();
        assertEquals(fileEnd, disk.size());

        file.close();
        assertEquals(17_000, disk.image().length, "close cuts the zeros off");
    }

    @Test
    void theZerosAheadScaleWithWhatTheDataGrewByWithinTheirBounds() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PreallocatingStoreFile file = PreallocatingStoreFile.over(disk);
        int grown = 72 << 20; // a bulk load: 16 times would be over 1 GiB
        for (int pos = 0; pos < grown; pos += 1 << 20) {
            file.writeFully(ByteBuffer.allocate(1 << 20), pos);
        }
        file.force();
        assertEquals(grown + grown / 64, disk.size(), "at most a sixty-fourth of the data ahead");

        SimulatedDisk small = new SimulatedDisk();
        PreallocatingStoreFile commits = PreallocatingStoreFile.over(small);
        commits.writeFully(bytes(8_192, 3), 0);
        commits.force();
        long first = small.size();
        assertEquals(8_192 + PreallocatingStoreFile.AHEAD_MIN, first, "at least 64 KiB ahead");
        // Commits of 8 KiB each: the zeros are topped up only once fewer than half are left.
        int refills = 0;
        long end = 8_192;
        for (int i = 0; i < 40; i++) {
            long before = small.size();
            commits.writeFully(bytes(8_192, i), end);
            end += 8_192;
            commits.force();
            if (small.size() > before) {
                refills++;
            }
            assertTrue(small.size() >= end, "the file holds the data");
        }
        assertTrue(refills > 0 && refills <= 10, "refills: " + refills);
    }

    @Test
    void zerosThatTheDiskRefusesAreCutOffAndTheForceGoesOn() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PreallocatingStoreFile file = PreallocatingStoreFile.over(disk);
        file.writeFully(bytes(3_000, 4), 0);
        disk.failAt(1, false); // the first zero write fails (a full disk)
        file.force();
        assertEquals(3_000, disk.size(), "cut back to the data");
        byte[] durable = disk.crashImage(new Random(7)); // nothing is pending after the force
        assertArrayEquals(bytes(3_000, 4).array(), durable, "the data was forced, without zeros");
    }

    /**
     * Four threads append past the file's end while another forces without pause: zeros are
     * written ahead again and again, and never over a byte a writer wrote.
     */
    @Test
    void zerosNeverLandOnDataWrittenPastTheEndMeanwhile() throws Exception {
        SimulatedDisk disk = new SimulatedDisk();
        PreallocatingStoreFile file = PreallocatingStoreFile.over(disk);
        int writers = 4;
        int perWriter = 400;
        int size = 3_000;
        AtomicLong next = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    start.await();
                    long[] at = new long[perWriter];
                    for (int i = 0; i < perWriter; i++) {
                        at[i] = next.getAndAdd(size);
                        file.writeFully(bytes(size, writer * perWriter + i), at[i]);
                    }
                    return at;
                }));
            }
            Future<Integer> forcer = pool.submit(() -> {
                start.await();
                int forces = 0;
                while (!done.get()) {
                    file.force();
                    forces++;
                }
                return forces;
            });
            start.countDown();
            List<long[]> written = new ArrayList<>();
            for (Future<long[]> f : results) {
                written.add(f.get(60, TimeUnit.SECONDS));
            }
            done.set(true);
            assertTrue(forcer.get(60, TimeUnit.SECONDS) > 0);
            assertEquals((long) writers * perWriter * size, file.size());
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < perWriter; i++) {
                    ByteBuffer got = ByteBuffer.allocate(size);
                    file.readFullyZeroPadded(got, written.get(w)[i]);
                    assertArrayEquals(
                            bytes(size, w * perWriter + i).array(), got.array(), "writer " + w + " write " + i);
                }
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }
}
