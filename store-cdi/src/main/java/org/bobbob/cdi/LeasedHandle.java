package org.bobbob.cdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;

/**
 * A Late handle ({@link ObjectWriter} or {@link ObjectReader}) opened through the injected
 * {@code Storer}: it holds the connection it was opened on until it is closed, then closes the
 * store's handle (the finisher: object lock, disk token) and gives the connection back, in that
 * order, even if the finisher fails. As in store-core: one thread at a time, {@code close()} from
 * any thread, idempotent.
 *
 * <p>A handle that is never closed keeps its pooled connection; in a server the pool reports it
 * (and may reclaim it at the end of the request), so always use try-with-resources.
 */
abstract sealed class LeasedHandle implements Channel permits LeasedHandle.Writer, LeasedHandle.Reader {
    private final Channel inner;
    private final ConnectionSource.Lease lease;
    /** Set by the first close; closes may race (any thread may close a handle). */
    private final AtomicBoolean closed = new AtomicBoolean();

    private LeasedHandle(Channel inner, ConnectionSource.Lease lease) {
        this.inner = inner;
        this.lease = lease;
    }

    @Override
    public final boolean isOpen() {
        return !closed.get() && inner.isOpen();
    }

    /** Closes the store's handle, then gives the connection back. Idempotent. */
    @Override
    public final void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            inner.close();
        } finally {
            lease.close();
        }
    }

    static final class Writer extends LeasedHandle implements ObjectWriter {
        private final ObjectWriter writer;

        Writer(ObjectWriter writer, ConnectionSource.Lease lease) {
            super(writer, lease);
            this.writer = writer;
        }

        @Override
        public long id() {
            return writer.id();
        }

        @Override
        public int size() {
            return writer.size();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return writer.write(src);
        }

        @Override
        public String toString() {
            return writer.toString();
        }
    }

    static final class Reader extends LeasedHandle implements ObjectReader {
        private final ObjectReader reader;

        Reader(ObjectReader reader, ConnectionSource.Lease lease) {
            super(reader, lease);
            this.reader = reader;
        }

        @Override
        public long id() {
            return reader.id();
        }

        @Override
        public int size() {
            return reader.size();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return reader.read(dst);
        }

        @Override
        public String toString() {
            return reader.toString();
        }
    }
}
