package org.bobbob.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A sequential writer into one object, from its first byte. {@link #close()} is the finisher:
 * it releases what the store holds for this handle; it is idempotent.
 *
 * <p>A write that would go past the object's size writes nothing and throws
 * {@link WriteLimitExceededException}. Not thread-safe, except that {@code close()} may be called
 * from any thread.
 */
public interface ObjectWriter extends WritableByteChannel {

    /** The object's id. */
    long id();

    /** The object's size in bytes: the most this writer accepts. */
    int size();

    /** Writes all remaining bytes of {@code src} (unlike a plain channel, never a partial write). */
    @Override
    int write(ByteBuffer src) throws IOException;

    /** A stream view of this writer; closing the stream closes this writer. */
    default OutputStream asOutputStream() {
        return new HandleStreams.Output(this);
    }
}
