package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.zip.CRC32C;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.support.Errors;

/**
 * The "Late handles" part of {@link FileStore}: a reader and a writer over one object's bytes at a
 * fixed place in the file, doing positional I/O without a lock. A handle holds nothing of the
 * store's; its close is idempotent (and zero-fills the unwritten tail of a new object in reused
 * space). Not thread-safe, except close.
 *
 * <p>Both keep a running CRC32C of the bytes they pass, from the object's start (handles move
 * forward only). The reader compares it with the recorded one when it reaches the object's end,
 * and throws instead of returning that last read if they differ; the writer's close records the
 * object's new CRC32C: what it wrote, then the zeros a new object was not written with, or the
 * old bytes an overwrite left (read back from the file).
 */
final class FileHandles {
    private FileHandles() {}

    /** Base of the two handles: identity, position, idempotent close. */
    abstract static class Handle {
        private static final AtomicIntegerFieldUpdater<Handle> CLOSED =
                AtomicIntegerFieldUpdater.newUpdater(Handle.class, "closedFlag");
        final FileStore store;
        final StoreFile file;
        final long id;
        final long offset;
        final int size;
        long position;
        /** CRC32C of the bytes from the object's start to {@link #position}. */
        final CRC32C crc = new CRC32C();

        private volatile int closedFlag;

        Handle(FileStore store, Location loc) {
            this.store = store;
            this.file = store.file;
            this.id = loc.id;
            this.offset = loc.offset;
            this.size = loc.size;
        }

        public long id() {
            return id;
        }

        public int size() {
            return size;
        }

        public boolean isOpen() {
            return closedFlag == 0;
        }

        /** Counts a call of this handle into the store's calls; pair with {@code store.exit()}. */
        void enter() throws StoreClosedException {
            if (closedFlag != 0) {
                throw Errors.closed("handle of object " + id);
            }
            store.enter();
        }

        public void close() throws IOException {
            if (CLOSED.compareAndSet(this, 0, 1)) {
                finish();
            }
        }

        void finish() throws IOException {}

        /**
         * Adds {@code n} bytes of {@code buf} from {@code from} to {@link #crc}: straight from the
         * array when there is one (no buffer allocated per call), else through a view.
         */
        void count(ByteBuffer buf, int from, int n) {
            if (buf.hasArray()) {
                crc.update(buf.array(), buf.arrayOffset() + from, n);
            } else {
                crc.update(buf.duplicate().limit(from + n).position(from));
            }
        }
    }

    static final class Writer extends Handle implements ObjectWriter {
        private final boolean zeroTail;
        /** Writing a just-allocated object among neighbours being filled (a hint for the combining cache). */
        private final boolean newObject;
        /** A new object: what this writer does not write is zeros (else the old bytes stay). */
        private final boolean allocatedAsZeros;

        Writer(FileStore store, Location loc, boolean zeroTail, boolean newObject, boolean allocatedAsZeros) {
            super(store, loc);
            this.zeroTail = zeroTail;
            this.newObject = newObject;
            this.allocatedAsZeros = allocatedAsZeros;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            enter();
            try {
                return writeCounted(src);
            } finally {
                store.exit();
            }
        }

        private int writeCounted(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (n > size - position) {
                throw Errors.writeLimit(id, size, position, n);
            }
            int from = src.position();
            try {
                if (newObject) {
                    file.writeNewObject(src, offset + position);
                } else {
                    file.writeFully(src, offset + position);
                }
            } catch (IOException e) {
                throw store.commits.translate(e);
            }
            count(src, from, n); // only bytes that were written: a failed write leaves the old ones
            position += n;
            store.commits.changed();
            return n;
        }

        /**
         * A new object in reused space: bytes the caller did not write must read as zeros. Then
         * the object's CRC32C, if anything was written.
         */
        @Override
        void finish() throws IOException {
            try {
                store.enter();
            } catch (StoreClosedException closed) {
                return; // the store is closed: nothing to finish
            }
            try {
                if (zeroTail && position < size) {
                    store.zeroFill(offset + position, size - position);
                }
                if (position > 0) {
                    store.wrote(id, offset, size, (int) crc.getValue(), (int) position, allocatedAsZeros);
                }
            } finally {
                store.exit();
            }
        }

        @Override
        public String toString() {
            return "ObjectWriter[id=" + id + ", size=" + size + ", position=" + position + "]";
        }
    }

    static final class Reader extends Handle implements ObjectReader {
        /** The CRC32C recorded for the object; 0 when none is known or verifying is off. */
        private final int expectedCrc;

        Reader(FileStore store, Location loc, int expectedCrc) {
            super(store, loc);
            this.expectedCrc = expectedCrc;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            enter();
            try {
                return readCounted(dst);
            } finally {
                store.exit();
            }
        }

        private int readCounted(ByteBuffer dst) throws IOException {
            long left = size - position;
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), left);
            if (n == 0) {
                return 0;
            }
            int limit = dst.limit();
            dst.limit(dst.position() + n);
            int got;
            try {
                got = file.read(dst, offset + position);
                if (got < 0) {
                    // Allocated at the end of the file and not written yet: zeros.
                    got = n;
                    while (dst.hasRemaining()) {
                        dst.put((byte) 0);
                    }
                }
            } catch (IOException e) {
                throw store.commits.translate(e);
            } finally {
                dst.limit(limit);
            }
            if (expectedCrc != 0) {
                count(dst, dst.position() - got, got);
            }
            position += got;
            if (position == size && expectedCrc != 0) {
                int actual = Crc32c.sealed((int) crc.getValue(), size);
                if (actual != expectedCrc) {
                    throw Errors.checksumMismatch(store, id, expectedCrc, actual);
                }
            }
            return got;
        }

        @Override
        public String toString() {
            return "ObjectReader[id=" + id + ", size=" + size + ", position=" + position + "]";
        }
    }
}
