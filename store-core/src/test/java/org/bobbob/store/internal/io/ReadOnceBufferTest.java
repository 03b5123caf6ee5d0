package org.bobbob.store.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReadOnceBuffer} reads a file's bytes piece by piece, says where the file ends, and refuses a piece too large. */
class ReadOnceBufferTest {
    @TempDir
    Path dir;

    @Test
    void piecesHoldTheFilesBytesAndAReadPastTheEndSaysSo() throws Exception {
        byte[] data = new byte[200_000];
        new SplittableRandom(3).nextBytes(data);
        try (ChannelStoreFile file = ChannelStoreFile.open(dir.resolve("f"), true)) {
            file.writeFully(ByteBuffer.wrap(data), 0);
            try (ReadOnceBuffer pieces = new ReadOnceBuffer(file, 70_000)) {
                assertEquals(70_000, pieces.capacity());
                byte[] seen = new byte[data.length];
                for (int at = 0; at < data.length; at += pieces.capacity()) {
                    int n = Math.min(pieces.capacity(), data.length - at);
                    ByteBuffer piece = pieces.read(at, n);
                    assertEquals(0, piece.position());
                    assertEquals(n, piece.remaining());
                    assertTrue(piece.isDirect());
                    assertEquals(ByteOrder.LITTLE_ENDIAN, piece.order());
                    piece.get(0, seen, at, n);
                }
                assertArrayEquals(data, seen);
                byte[] middle = new byte[10];
                pieces.read(123_456, 10).get(middle);
                assertArrayEquals(Arrays.copyOfRange(data, 123_456, 123_466), middle);
                assertNull(pieces.read(data.length - 5, 10), "the file ends first");
                assertThrows(IllegalArgumentException.class, () -> pieces.read(0, 70_001));
                assertThrows(IllegalArgumentException.class, () -> pieces.read(0, -1));
            }
            assertThrows(IllegalArgumentException.class, () -> new ReadOnceBuffer(file, 0));
        }
    }
}
