package org.bobbob.rar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;

/**
 * Opens real stores whose calls, and whose readers' reads, throw {@link #failWith} once it is
 * set: the file system failing under a running store. Counts opens.
 */
final class FaultyOpener implements StoreOpener {
    final AtomicReference<IOException> failWith = new AtomicReference<>();
    final AtomicInteger opens = new AtomicInteger();

    @Override
    public Storer open(StoreSpec spec) throws IOException {
        opens.incrementAndGet();
        return new Faulty(ENGINES.open(spec));
    }

    private void check() throws IOException {
        IOException e = failWith.get();
        if (e != null) {
            throw e;
        }
    }

    private final class Faulty implements Storer {
        private final Storer inner;

        Faulty(Storer inner) {
            this.inner = inner;
        }

        @Override
        public long newObj(int size) throws IOException {
            check();
            return inner.newObj(size);
        }

        @Override
        public void deleteObj(long id) throws IOException {
            check();
            inner.deleteObj(id);
        }

        @Override
        public long primeObject(int size) throws IOException {
            check();
            return inner.primeObject(size);
        }

        @Override
        public void sync() throws IOException {
            check();
            inner.sync();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }

        @Override
        public ObjectWriter lateWriteNewObj(int size) throws IOException {
            check();
            return inner.lateWriteNewObj(size);
        }

        @Override
        public ObjectReader lateReadObj(long id) throws IOException {
            check();
            ObjectReader r = inner.lateReadObj(id);
            return new ObjectReader() {
                @Override
                public long id() {
                    return r.id();
                }

                @Override
                public int size() {
                    return r.size();
                }

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    check();
                    return r.read(dst);
                }

                @Override
                public boolean isOpen() {
                    return r.isOpen();
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        }

        @Override
        public ObjectWriter writeToObj(long id) throws IOException {
            check();
            return inner.writeToObj(id);
        }

        @Override
        public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
            check();
            inner.writeBatchedObjs(ids, data, sizes);
        }

        @Override
        public <T> T unwrap(Class<T> capability) throws StoreException {
            return inner.unwrap(capability);
        }

        @Override
        public boolean isWrapperFor(Class<?> capability) {
            return inner.isWrapperFor(capability);
        }
    }
}
