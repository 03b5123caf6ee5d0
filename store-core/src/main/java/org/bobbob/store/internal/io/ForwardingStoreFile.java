package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A {@link StoreFile} that passes every call to the file below it: the base of the decorators that
 * change a few calls ({@link BackupTap}, {@link PreallocatingStoreFile}, and the tests' fault and
 * timing seams). Thread-safe as that file is; owns it (closing this closes it).
 */
public abstract class ForwardingStoreFile implements StoreFile {
    /** The file below. */
    protected final StoreFile inner;

    protected ForwardingStoreFile(StoreFile inner) {
        this.inner = inner;
    }

    @Override
    public Path path() {
        return inner.path();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return inner.read(dst, position);
    }

    @Override
    public int readOnce(ByteBuffer dst, long position) throws IOException {
        return inner.readOnce(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return inner.write(src, position);
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        inner.truncate(size);
    }

    @Override
    public void force() throws IOException {
        inner.force();
    }

    /** Forwarded too, so that a decorator between a write-back and the file keeps it a write-back. */
    @Override
    public void forceInBackground() throws IOException {
        inner.forceInBackground();
    }

    @Override
    public void writeDurably(ByteBuffer src, long position) throws IOException {
        inner.writeDurably(src, position);
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public ByteBuffer mappedView(long position, int length) throws IOException {
        return inner.mappedView(position, length);
    }

    @Override
    public boolean readsThroughMaps() {
        return inner.readsThroughMaps();
    }

    @Override
    public void unmap() {
        inner.unmap();
    }

    @Override
    public boolean holdsRefusedWrites() {
        return inner.holdsRefusedWrites();
    }

    @Override
    public void discard(long from, long to) {
        inner.discard(from, to);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
