package org.bobbob.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link ConcurrentStore} over the file engine, checked by Lincheck's stress
 * strategy: threads run random reads (whole and streamed), same-size overwrites and deletes of
 * three objects, and every outcome must be one that some sequential order of the same calls
 * gives. A read that saw half an overwrite (its four bytes not all equal) is no sequential
 * outcome, nor is a read of a deleted object that returns bytes. {@value #DEFAULT_ITERATIONS}
 * scenarios here; {@code -Dbobbob.lincheck.iterations} (the {@code stress} profile) runs more.
 */
@Param(name = "object", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "1:9")
public class LinearizabilityTest {
    private static final int DEFAULT_ITERATIONS = 6;
    private static final int OBJECTS = 3;
    private static final int SIZE = 4096;

    /** Lincheck makes an instance per run, one run at a time: each closes the one before it. */
    private static ConcurrentStore previous;

    private static Path previousFile;

    /** Where the stores go: memory when there is a tmpfs (each run creates and closes one). */
    private static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm"))
            ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    private final ConcurrentStore store;
    private final long[] ids = new long[OBJECTS];

    public LinearizabilityTest() throws IOException {
        closePrevious();
        Path file = Files.createTempFile(SCRATCH, "lincheck", ".bob");
        Files.delete(file);
        store = MultiStore.createConcurrent(file, 2);
        for (int i = 0; i < OBJECTS; i++) {
            ids[i] = store.writeNewObjFromBytes(new byte[SIZE]);
        }
        previous = store;
        previousFile = file;
    }

    private static void closePrevious() throws IOException {
        if (previous != null) {
            previous.close();
            Files.deleteIfExists(previousFile);
            previous = null;
        }
    }

    /** The object's value (all its bytes are that value), -1 if it is deleted, -2 if torn. */
    @Operation
    public int read(@Param(name = "object") int object) {
        try {
            return valueOf(store.readBytesFromObj(ids[object]));
        } catch (ObjectNotFoundException deleted) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #read}, through a Late reader held open while it reads. */
    @Operation
    public int readStreaming(@Param(name = "object") int object) {
        try (ObjectReader r = store.lateReadObj(ids[object])) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            while (b.hasRemaining() && r.read(b) >= 0) {
                // until the object's end
            }
            return valueOf(b.array());
        } catch (ObjectNotFoundException deleted) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Operation
    public boolean overwrite(@Param(name = "object") int object, @Param(name = "value") int value) {
        byte[] b = new byte[SIZE];
        java.util.Arrays.fill(b, (byte) value);
        try {
            store.writeBytesToObj(ids[object], b);
            return true;
        } catch (ObjectNotFoundException deleted) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Operation
    public boolean delete(@Param(name = "object") int object) {
        try {
            store.deleteObj(ids[object]);
            return true;
        } catch (ObjectNotFoundException deleted) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int valueOf(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return -2;
            }
        }
        return bytes[0];
    }

    @Test
    void concurrentStoreIsLinearizable() throws IOException {
        try {
            StressOptions options = new StressOptions()
                    .iterations(Integer.getInteger("bobbob.lincheck.iterations", DEFAULT_ITERATIONS))
                    .invocationsPerIteration(200)
                    .threads(3)
                    .actorsPerThread(3);
            LinChecker.check(LinearizabilityTest.class, options);
        } finally {
            closePrevious();
        }
    }
}
