package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;

/** Copying between Late handles: a shadow made from its object, and a shadow copied back at commit. */
public final class HandleCopy {
    private static final int CHUNK = 256 * 1024;

    private HandleCopy() {}

    /** Copies what {@code from} reads, to its end, into {@code to}; at most {@value #CHUNK} bytes of buffer. */
    public static void copy(ObjectReader from, ObjectWriter to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.max(1, Math.min(from.size(), CHUNK)));
        while (true) {
            buf.clear();
            if (from.read(buf) < 0) {
                return;
            }
            buf.flip();
            writeFully(to, buf);
        }
    }

    /** Writes all of {@code src} to {@code w}. */
    public static void writeFully(ObjectWriter w, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            w.write(src);
        }
    }
}
