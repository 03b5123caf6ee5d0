package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bobbob.store.support.Errors;

/**
 * A {@link StoreFile} that only reads: for checking a file that must not change ({@code verify},
 * {@code info}). It holds a shared lock while open, so no store opens the file meanwhile and it
 * does not open a file a store holds (BOB-202). Every write, cut and force throws.
 */
public final class ReadOnlyStoreFile implements StoreFile {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private ReadOnlyStoreFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens {@code path} for reading and takes a shared lock on it.
     *
     * @throws org.bobbob.store.StoreException BOB-203 if it is missing, BOB-206 if it is a
     *     directory, BOB-202 if a store holds it
     */
    public static ReadOnlyStoreFile open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw Errors.isDirectory(path);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw Errors.missing(path);
        } catch (FileSystemException e) {
            if (Files.isDirectory(path)) {
                throw Errors.isDirectory(path);
            }
            throw e;
        }
        FileLock lock = ChannelStoreFile.lock(path, channel, true);
        return new ReadOnlyStoreFile(path, channel, lock);
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new NonWritableChannelException();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force() {
        throw new NonWritableChannelException();
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
