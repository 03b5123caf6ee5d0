package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MappedReads} and a cut of the file: a read copying from the maps holds the cut off until
 * it has copied (the bytes it copies exist until then), and reads after the cut leave the cut-off
 * range to the channel. Without the wait the paused read would copy from pages the cut removed and
 * fault the JVM.
 */
class MappedReadsTest {
    @TempDir
    Path dir;

    @Test
    void aCutWaitsForAReadCopyingUnderTheOldLimit() throws Exception {
        assumeTrue(!Files.getFileStore(dir).type().equals("tmpfs"), "maps are not used on tmpfs");
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        AtomicBoolean pauseNext = new AtomicBoolean();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        MappedReads mapped = new MappedReads(() -> {
            if (pauseNext.getAndSet(false)) {
                inside.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (FileChannel ch = FileChannel.open(
                dir.resolve("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), 0);
            mapped.grow(ch);
            assertEquals(data.length, mapped.limit());

            pauseNext.set(true);
            ByteBuffer tail = ByteBuffer.allocate(100_000);
            AtomicReference<Integer> copied = new AtomicReference<>();
            Thread reader = new Thread(() -> copied.set(mapped.read(tail, 900_000)));
            reader.start();
            inside.await();

            AtomicReference<Throwable> cutFailure = new AtomicReference<>();
            Thread cutter = new Thread(() -> {
                try {
                    mapped.cut(ch, 100_000);
                } catch (Throwable t) {
                    cutFailure.set(t);
                }
            });
            cutter.start();
            while (cutter.getState() != Thread.State.TIMED_WAITING && cutter.isAlive()) {
                Thread.onSpinWait(); // until the cutter parks in its wait for the reader
            }
            assertEquals(Thread.State.TIMED_WAITING, cutter.getState(), "the cut waits for the read");
            assertEquals(100_000, mapped.limit(), "new reads already stop at the new end");
            assertEquals(data.length, ch.size(), "the file is not cut while the read copies");

            go.countDown();
            reader.join();
            cutter.join();
            assertEquals(null, cutFailure.get());
            assertEquals(100_000, copied.get());
            assertArrayEquals(Arrays.copyOfRange(data, 900_000, 1_000_000), tail.array());
            assertEquals(100_000, ch.size(), "cut once the read is done");

            assertEquals(-1, mapped.read(ByteBuffer.allocate(10), 99_995), "past the new end: the channel's");
            ByteBuffer head = ByteBuffer.allocate(1000);
            assertEquals(1000, mapped.read(head, 99_000));
            assertArrayEquals(Arrays.copyOfRange(data, 99_000, 100_000), head.array());
        } finally {
            mapped.unmapAll();
        }
    }
}
