package org.bobbob.rar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bobbob.store.Errors;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;

/**
 * A Late handle ({@link ObjectWriter} or {@link ObjectReader}) opened through a connection
 * handle, which tracks it so that closing or invalidating the connection handle closes it too
 * (releasing its object lock and disk token). Fatal I/O errors are reported to the connection
 * before they are thrown. As in store-core: one thread at a time, {@code close()} from any
 * thread, idempotent.
 */
abstract sealed class LateHandle implements Channel permits LateHandle.Writer, LateHandle.Reader {
    private final StoreConnectionHandle connection;
    private final Channel inner;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LateHandle(StoreConnectionHandle connection, Channel inner) {
        this.connection = connection;
        this.inner = inner;
    }

    abstract long objectId();

    final void checkOpen() throws StoreClosedException {
        if (closed.get()) {
            throw Errors.closed("handle of object " + objectId());
        }
    }

    /** Reports {@code e} to the connection (see {@link Faults}) and returns it, to be thrown. */
    final IOException failed(IOException e) {
        connection.reportFailure(e);
        return e;
    }

    @Override
    public final boolean isOpen() {
        return !closed.get();
    }

    /** The finisher, as in store-core; a fatal failure is reported to the connection first. */
    @Override
    public final void close() throws IOException {
        IOException e = closeQuietly();
        if (e != null) {
            throw failed(e);
        }
    }

    /** Closes without reporting: for the connection handle's own close and invalidation. */
    final IOException closeQuietly() {
        if (!closed.compareAndSet(false, true)) {
            return null;
        }
        connection.forget(this);
        try {
            inner.close();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    static final class Writer extends LateHandle implements ObjectWriter {
        private final ObjectWriter writer;

        Writer(StoreConnectionHandle connection, ObjectWriter writer) {
            super(connection, writer);
            this.writer = writer;
        }

        @Override
        long objectId() {
            return writer.id();
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
            checkOpen();
            try {
                return writer.write(src);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public String toString() {
            return "ObjectWriter[object " + writer.id() + ", size " + writer.size() + (isOpen() ? "" : ", closed") + "]";
        }
    }

    static final class Reader extends LateHandle implements ObjectReader {
        private final ObjectReader reader;

        Reader(StoreConnectionHandle connection, ObjectReader reader) {
            super(connection, reader);
            this.reader = reader;
        }

        @Override
        long objectId() {
            return reader.id();
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
            checkOpen();
            try {
                return reader.read(dst);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public String toString() {
            return "ObjectReader[object " + reader.id() + ", size " + reader.size() + (isOpen() ? "" : ", closed") + "]";
        }
    }
}
