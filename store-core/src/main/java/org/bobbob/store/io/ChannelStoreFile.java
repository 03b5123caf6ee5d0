package org.bobbob.store.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bobbob.store.Errors;

/**
 * A {@link StoreFile} over a {@link FileChannel}, holding an exclusive lock on the file for as
 * long as it is open, so that a second open of the same file, from this JVM or another process,
 * fails at once.
 */
public final class ChannelStoreFile implements StoreFile {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private ChannelStoreFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens (and with {@code create}, creates if missing) the file read-write and locks it.
     *
     * @throws org.bobbob.store.StoreException naming the path if it is missing or already locked
     */
    public static ChannelStoreFile open(Path path, boolean create) throws IOException {
        FileChannel channel;
        try {
            channel = create
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw create ? Errors.missingDirectory(path) : Errors.missing(path);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw Errors.locked(path);
        }
        return new ChannelStoreFile(path, channel, lock);
    }

    private static void closeQuietly(FileChannel channel, Throwable primary) {
        try {
            channel.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
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
    public int write(ByteBuffer src, long position) throws IOException {
        return channel.write(src, position);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    @Override
    public void force() throws IOException {
        channel.force(false);
    }

    /** Releases the lock and closes the channel; idempotent. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "ChannelStoreFile[" + path + "]";
    }
}
