package org.bobbob.store.internal.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.Failures;

/**
 * A {@link StoreFile} over a {@link FileChannel}, holding an exclusive lock on the file for as
 * long as it is open, so that a second open of the same file, from this JVM or another process,
 * fails at once.
 *
 * <h2>Interrupts</h2>
 * A {@code FileChannel} closes itself when a thread blocked in it is interrupted, failing every
 * other thread's I/O: one cancelled request would take the whole store down. So, as H2's
 * {@code FilePathRetryOnInterrupt} does, this class reopens the channel (and re-takes the lock)
 * when that happens: the interrupted thread's call fails with {@link InterruptedIOException}
 * (its interrupt status kept), and other threads whose calls failed with the close retry them
 * on the new channel. Positional reads and writes are idempotent, so a retry is safe.
 */
public final class ChannelStoreFile implements StoreFile {
    private final Path path;
    /** Replaced (under {@code this}) only when an interrupt closed it; read without a lock. */
    private volatile FileChannel channel;

    private FileLock lock;
    /**
     * Whether a second descriptor may write the file while the channel holds its lock: not on
     * Windows, where locks are mandatory and held per handle.
     */
    private static final boolean SECOND_DESCRIPTOR_MAY_WRITE =
            !System.getProperty("os.name", "").startsWith("Windows");

    /** The {@code O_DSYNC} descriptor of {@link #writeDurably}, opened at its first use; under {@code this}. */
    private RandomAccessFile durableWrites;

    private volatile boolean closed;
    private final MappedReads mapped = new MappedReads();
    /**
     * Whether reads may use the memory maps: not on a memory file system (tmpfs), where a
     * never-written page read through a map needs memory the file system may not have, and the
     * kernel then faults the read (SIGBUS, an uncatchable {@code InternalError} in Java): there,
     * every read is a {@code pread}, which reads a hole as zeros.
     */
    private final boolean mapReads;

    private ChannelStoreFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.mapReads = mapReads(path);
    }

    /**
     * Whether a file system's files may be read through maps, per file system: asking a file
     * system its type reads the mount table (0.3 ms in a fresh JVM), and stores are opened again
     * and again, in one directory or in many.
     */
    private static final ConcurrentHashMap<Object, Boolean> MAPPABLE_BY_FILE_SYSTEM = new ConcurrentHashMap<>();
    /** The same answers by directory, so that a store opened again in one asks no file system anything. */
    private static final ConcurrentHashMap<Path, Boolean> MAPPABLE_BY_DIRECTORY = new ConcurrentHashMap<>();

    private static boolean mapReads(Path path) {
        Path directory = path.toAbsolutePath().getParent();
        Boolean known = MAPPABLE_BY_DIRECTORY.get(directory);
        if (known == null) {
            known = MAPPABLE_BY_FILE_SYSTEM.computeIfAbsent(fileSystemOf(path), fs -> !onMemoryFileSystem(path));
            MAPPABLE_BY_DIRECTORY.put(directory, known);
        }
        return known;
    }

    /**
     * What tells {@code path}'s file system from others: its device number where the platform has
     * one ({@code unix:dev}, one {@code stat}), else its directory.
     */
    static Object fileSystemOf(Path path) {
        try {
            return Files.getAttribute(path, "unix:dev");
        } catch (IOException | RuntimeException e) {
            return path.toAbsolutePath().getParent(); // no unix view (Windows): one answer per directory
        }
    }

    private static boolean onMemoryFileSystem(Path path) {
        try {
            String type = Files.getFileStore(path).type();
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException | RuntimeException e) {
            return false; // unknown: maps, as on any disk file system
        }
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
                    ? FileChannel.open(
                            path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw create ? Errors.missingDirectory(path) : Errors.missing(path);
        } catch (FileSystemException e) {
            if (Files.isDirectory(path)) {
                throw Errors.isDirectory(path);
            }
            throw e;
        }
        return new ChannelStoreFile(path, channel, lock(path, channel));
    }

    /**
     * Creates {@code path}, which must not exist, read-write, and locks it: an online backup's
     * copy, which nothing else opens while it is written.
     *
     * @throws org.bobbob.store.StoreException BOB-204 if it exists, BOB-203 if its directory does not
     */
    public static ChannelStoreFile createNew(Path path) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw Errors.exists(path);
        } catch (NoSuchFileException e) {
            throw Errors.missingDirectory(path);
        }
        return new ChannelStoreFile(path, channel, lock(path, channel));
    }

    private static FileLock lock(Path path, FileChannel channel) throws IOException {
        return lock(path, channel, false);
    }

    /**
     * Takes a lock on the whole file, exclusive or {@code shared}, without waiting; closes the
     * channel if it cannot.
     *
     * @throws org.bobbob.store.StoreException BOB-202 if a store (in this process or another) has it
     */
    static FileLock lock(Path path, FileChannel channel, boolean shared) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            Failures.closeAfter(e, channel);
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw Errors.locked(path);
        }
        return lock;
    }

    @FunctionalInterface
    private interface ChannelOp<T> {
        T run(FileChannel ch) throws IOException;
    }

    private <T> T io(ChannelOp<T> op) throws IOException {
        while (true) {
            FileChannel ch = channel;
            try {
                return op.run(ch);
            } catch (ClosedByInterruptException e) {
                reopen(ch);
                InterruptedIOException ie = new InterruptedIOException("interrupted during I/O on " + path);
                ie.initCause(e);
                throw ie;
            } catch (ClosedChannelException e) { // includes AsynchronousCloseException
                if (closed) {
                    throw e;
                }
                reopen(ch); // another thread's interrupt closed it: retry on the new channel
            }
        }
    }

    /** Replaces {@code broken} with a fresh channel, unless another thread already did. */
    private synchronized void reopen(FileChannel broken) throws IOException {
        if (closed || channel != broken) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // opening must not be interrupted in turn
        mapped.clear();
        try {
            FileChannel fresh = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock = lock(path, fresh);
            channel = fresh;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Path path() {
        return path;
    }

    /** From the memory maps when they cover the range, else from the channel (see {@link MappedReads}). */
    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (!mapReads) {
            return io(ch -> ch.read(dst, position));
        }
        int n = mapped.read(dst, position);
        if (n >= 0) {
            return n;
        }
        if (position + dst.remaining() > mapped.limit()) {
            growMaps(false);
            n = mapped.read(dst, position);
            if (n >= 0) {
                return n;
            }
        }
        return io(ch -> ch.read(dst, position));
    }

    /**
     * A slice of the maps ({@link MappedReads#view}), mapping the file first if they do not reach
     * the range; null where reads do not use maps or the range spans two map segments.
     */
    @Override
    public ByteBuffer mappedView(long position, int length) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (!mapReads) {
            return null;
        }
        if (position + length > mapped.limit()) {
            growMaps(true);
        }
        return mapped.view(position, length);
    }

    @Override
    public boolean readsThroughMaps() {
        return mapReads;
    }

    /** Maps up to the file's size if it has grown enough ({@link MappedReads#grow}). */
    private void growMaps(boolean afterSync) throws IOException {
        io(ch -> {
            mapped.grow(ch, afterSync);
            return null;
        });
    }

    /**
     * From the channel, whether or not a map covers the range: nothing is mapped or touched. At
     * most {@value #READ_ONCE_MAX} bytes per call (callers loop): the JDK reads into a heap buffer
     * through a native buffer of the read's size, kept for the thread, and in a fresh JVM each
     * page of a new one is a page fault.
     */
    @Override
    public int readOnce(ByteBuffer dst, long position) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (dst.remaining() <= READ_ONCE_MAX) {
            return io(ch -> ch.read(dst, position));
        }
        ByteBuffer part = dst.slice(dst.position(), READ_ONCE_MAX);
        int n = io(ch -> ch.read(part, position));
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    static final int READ_ONCE_MAX = 64 << 10;

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return io(ch -> ch.write(src, position));
    }

    /**
     * Through a second descriptor of the file opened with {@code O_DSYNC} ({@code "rwd"}), on
     * which each write returns once its bytes are durable; the kernel writes this range only, not
     * the file's other dirty pages. A {@link RandomAccessFile}, not a channel: its writes are not
     * interruptible, and a channel closed by an interrupt would release the file's lock (closing any
     * descriptor of a file releases the process's locks on it), so the descriptor stays open until
     * {@link #close()}. Used by one committing thread at a time; the monitor orders seek and write.
     * On Windows, whose file locks bar writes through any other handle, it writes through the
     * channel and forces it, as {@link StoreFile#writeDurably} does.
     */
    @Override
    public void writeDurably(ByteBuffer src, long position) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (!SECOND_DESCRIPTOR_MAY_WRITE) {
            StoreFile.super.writeDurably(src, position);
            return;
        }
        int n = src.remaining();
        byte[] bytes;
        int from;
        if (src.hasArray()) {
            bytes = src.array();
            from = src.arrayOffset() + src.position();
        } else {
            bytes = new byte[n];
            src.duplicate().get(bytes);
            from = 0;
        }
        synchronized (this) {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (durableWrites == null) {
                durableWrites = new RandomAccessFile(path.toFile(), "rwd");
            }
            durableWrites.seek(position);
            durableWrites.write(bytes, from, n);
        }
        src.position(src.position() + n);
    }

    @Override
    public long size() throws IOException {
        return io(FileChannel::size);
    }

    @Override
    public void truncate(long size) throws IOException {
        io(ch -> {
            mapped.cut(ch, size);
            return null;
        });
    }

    @Override
    public void force() throws IOException {
        io(ch -> {
            ch.force(false);
            if (mapReads) {
                mapped.grow(ch, true); // the file stopped growing for now: map (nearly) all of it
            }
            return null;
        });
    }

    /** A force without the remap: the file is still growing (see {@link StoreFile#forceInBackground}). */
    @Override
    public void forceInBackground() throws IOException {
        io(ch -> {
            ch.force(false);
            return null;
        });
    }

    /** Releases the lock and closes the channel; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        mapped.clear();
        try {
            if (channel.isOpen()) {
                lock.release();
            }
        } finally {
            try {
                if (durableWrites != null) {
                    durableWrites.close();
                }
            } finally {
                channel.close();
            }
        }
    }

    @Override
    public void unmap() {
        mapped.unmapAll();
    }

    @Override
    public String toString() {
        return "ChannelStoreFile[" + path + "]";
    }
}
