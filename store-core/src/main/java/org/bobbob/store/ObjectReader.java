package org.bobbob.store;

import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;

/**
 * A sequential reader over one object's {@link #size()} bytes. {@link #close()} is the finisher:
 * it releases what the store holds for this handle; it is idempotent. Returns -1 at the object's
 * end. Not thread-safe, except that {@code close()} may be called from any thread.
 */
public interface ObjectReader extends ReadableByteChannel {

    /** The object's id. */
    long id();

    /** The object's size in bytes: exactly what a full read returns. */
    int size();

    /** A stream view of this reader; closing the stream closes this reader. */
    default InputStream asInputStream() {
        return new HandleStreams.Input(this);
    }
}
