package org.bobbob.store.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The one seam through which a store touches its file: positional reads and writes, size,
 * truncate and force. Production code uses {@link ChannelStoreFile}; tests substitute files that
 * drop, reorder or tear unsynced writes, or fail the N-th operation, to check the durability
 * promise at every failure point.
 *
 * <p>Implementations must be safe for concurrent positional reads and writes from many threads,
 * as {@link java.nio.channels.FileChannel} is.
 */
public interface StoreFile extends Closeable {

    /** The file's path, for messages. */
    Path path();

    /** Reads into {@code dst} from {@code position}; -1 at end of file. May read fewer bytes. */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * Reads as {@link #read} does, bytes the caller reads once and does not expect to read again
     * soon: a store's metadata as it opens, the bytes a commit copies into its journal entry. A
     * file that serves reads from memory maps reads these with a system call instead, so that they
     * neither map the file nor touch the maps' pages: on a virtual machine the first access to a
     * page of a map costs more than copying it with a system call (about 1.2 µs per 4 KiB page on
     * this project's), and a store opened and closed without reading an object then maps nothing.
     * This default reads as {@link #read} does.
     */
    default int readOnce(ByteBuffer dst, long position) throws IOException {
        return read(dst, position);
    }

    /** Writes from {@code src} at {@code position}. May write fewer bytes. */
    int write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    void truncate(long size) throws IOException;

    /** Makes every write done so far durable (data only, like {@code force(false)}). */
    void force() throws IOException;

    /**
     * Writes the file's written bytes back to the disk, as {@link #force()} does, for a write-back
     * in the background ({@link WritebackStoreFile}): nothing else a force does on the side happens.
     * A {@link ChannelStoreFile} maps the grown file again after a force, since the store syncs
     * when it has stopped growing for a while; a write-back runs while it grows, and each new map
     * would throw away the page-table entries that reads built in the old one. This default forces.
     */
    default void forceInBackground() throws IOException {
        force();
    }

    /**
     * Writes all of {@code src} at {@code position} and returns once those bytes are durable: they
     * survive a crash or a power loss, while other writes not yet forced may not (a write with
     * {@code O_DSYNC}: the disk writes this range, not every page the file has dirty). A commit
     * whose journal entry carries the bytes of every object written since the last commit makes
     * only the entry and its header slot durable this way. This default writes, then forces the
     * whole file: durable as promised, at a {@link #force()}'s cost.
     */
    default void writeDurably(ByteBuffer src, long position) throws IOException {
        writeFully(src, position);
        force();
    }

    /**
     * Writes what this file accepted but holds only in memory to the file below, without forcing
     * it: afterwards the file below reads as this one does. Does nothing for files that write at
     * once. An online backup calls it at its sync point, so that the copy, taken below this layer,
     * has every write made so far.
     */
    default void flush() throws IOException {}

    /**
     * A read-only view of the file's bytes {@code [position, position + length)} through a memory
     * map, for bytes read again and again (a metadata record that answers look-ups), or null where
     * this file does not map them: the caller reads them instead. The view shows the bytes the file
     * below holds as they are when the view is read; a write held in a cache above the file does
     * not show until written out, so a caller maps only bytes nothing writes while it reads them.
     * Valid until {@link #unmap}: the caller must not touch the view after that (it would crash the
     * JVM), nor after the file is cut below its end. This default maps nothing.
     *
     * @throws IOException if mapping fails
     */
    default ByteBuffer mappedView(long position, int length) throws IOException {
        return null;
    }

    /**
     * Whether this file serves reads from memory maps, so that {@link #mappedView} maps what it
     * is asked for (unless a cache above the file holds bytes of the range). A caller that has
     * bytes to check once and to read again later (a metadata record) reads them with
     * {@link #readOnce} to check them and maps them later, only if they are read again. This
     * default says no.
     */
    default boolean readsThroughMaps() {
        return false;
    }

    /**
     * After {@link #close()}: releases any memory map of the file now. The caller guarantees that
     * no read is running or will start. Does nothing for files without maps.
     */
    default void unmap() {}

    /**
     * Whether writes this file accepted could not yet be written to the disk (it refused one: a
     * full disk), so that {@link #force()} will fail until they are written or {@link #discard}ed.
     * False for files that write at once.
     */
    default boolean holdsRefusedWrites() {
        return false;
    }

    /**
     * Forgets writes accepted but not yet written into {@code [from, to)}: the space of an object
     * deleted before any sync covered its bytes, which nobody reads or reuses before the next
     * sync. Lets a full disk's store commit its deletes. Does nothing for files that write at once.
     */
    default void discard(long from, long to) {}

    /**
     * Makes the file at least {@code size} bytes long: the bytes it adds read as zeros, and no
     * byte below the current end changes. A commit calls it so that the file is as long as the
     * allocator end its header names, while an object at the end may still be being written by
     * another thread. This default looks at the size, then writes one zero byte at
     * {@code size - 1}: a write of that byte landing between the two would be undone, so it is for
     * files that no other thread writes at their end meanwhile. {@link CombiningStoreFile}, which
     * the engine always stacks on its file, does both under the lock that every write past the
     * end takes.
     */
    default void extendTo(long size) throws IOException {
        if (size() < size) {
            writeFully(ByteBuffer.allocate(1), size - 1);
        }
    }

    /** Writes all of {@code src} at {@code position}. */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += write(src, pos);
        }
    }

    /**
     * As {@link #writeFully}, for the bytes of an object just allocated at {@code position} where
     * more new objects will likely follow close by (a multi store refills the free slots of one
     * block after another), so a caching layer may gather them. Overwrites, and new objects in
     * holes that have no such neighbours, use {@link #writeFully}.
     */
    default void writeNewObject(ByteBuffer src, long position) throws IOException {
        writeFully(src, position);
    }

    /**
     * Fills {@code dst} from {@code position}; bytes past the end of the file read as zeros
     * (objects allocated at the end of the file may not have been written yet).
     */
    default void readFullyZeroPadded(ByteBuffer dst, long position) throws IOException {
        fillZeroPadded(dst, position, false);
    }

    /** As {@link #readFullyZeroPadded}, with {@link #readOnce}. */
    default void readOnceFullyZeroPadded(ByteBuffer dst, long position) throws IOException {
        fillZeroPadded(dst, position, true);
    }

    private void fillZeroPadded(ByteBuffer dst, long position, boolean once) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = once ? readOnce(dst, pos) : read(dst, pos);
            if (n < 0) {
                fillWithZeros(dst);
                return;
            }
            pos += n;
        }
    }

    /** Fills the rest of {@code dst} with zeros, in bulk: a read may pad thousands of bytes. */
    private static void fillWithZeros(ByteBuffer dst) {
        if (dst.hasArray()) {
            int from = dst.arrayOffset() + dst.position();
            Arrays.fill(dst.array(), from, from + dst.remaining(), (byte) 0);
            dst.position(dst.limit());
            return;
        }
        while (dst.remaining() >= Long.BYTES) {
            dst.putLong(0L);
        }
        while (dst.hasRemaining()) {
            dst.put((byte) 0);
        }
    }
}
