package org.bobbob.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** Loops that channels need but do not provide. */
final class ByteBuffers {
    private ByteBuffers() {}

    static void writeFully(WritableByteChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    static void readFully(ReadableByteChannel channel, ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (channel.read(dst) < 0) {
                throw new EOFException("object ended " + dst.remaining() + " bytes early");
            }
        }
    }
}
