package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * A {@link StoreFile} that passes everything to the file below it and, while an online backup
 * runs, copies each part of the file to the backup before the first write (or cut) changes it:
 * copy-on-write at the one I/O seam.
 *
 * <h2>How a backup uses it</h2>
 * The store takes a sync point (no call half done, every write it accepted written to the file
 * below it; nothing need be forced), then, still at that point, {@link #start starts} a copy of
 * the file's first {@code length} bytes. From then on
 * two parties copy the file in parts of {@link #PART} bytes: {@link #copyAll} in file order, and
 * every write or cut into a part not yet copied, which copies that part first (so a writer waits at
 * most for one part's copy, its own or the one in progress). Each part is copied exactly once, with
 * the bytes it held at the sync point, so the copy is the file as of that point, whatever was
 * written meanwhile. It sits below the write-combining layer: it sees the writes that reach the
 * file, when they reach it. The copy's first {@code blank} bytes (the header slots) are written as
 * zeros: the backup writes them itself, last, so that a copy cut short is not a store.
 *
 * <p>Thread-safe. One copy at a time; {@link #stop} ends it (after {@link #copyAll}, or when the
 * backup failed).
 */
public final class BackupTap extends ForwardingStoreFile {
    /** Bytes copied at once: what one write into a part not yet copied waits for, at most. */
    public static final int PART = 256 << 10;

    /** The copy under way, or null: read on every write, so volatile. */
    private volatile Copy copy;

    public BackupTap(StoreFile inner) {
        super(inner);
    }

    /**
     * One backup's copy: the target, the length at the sync point, the bytes at the start written
     * as zeros, and which parts are done.
     */
    private final class Copy {
        final StoreFile target;
        final long length;
        final int blank;
        final boolean[] copied;
        final ByteBuffer buffer = ByteBuffer.allocate(PART);

        Copy(StoreFile target, long length, int blank) {
            this.target = target;
            this.length = length;
            this.blank = blank;
            this.copied = new boolean[(int) ((length + PART - 1) / PART)];
        }

        /** Copies the parts {@code [from, to)} of the file touches that are not copied yet. */
        synchronized void before(long from, long to) throws IOException {
            long end = Math.min(to, length);
            for (long part = from / PART; part * PART < end; part++) {
                copyPart((int) part);
            }
        }

        /** Copies part {@code i} unless done; returns the bytes it copied. Caller holds the monitor. */
        private int copyPart(int i) throws IOException {
            if (copied[i]) {
                return 0;
            }
            long at = (long) i * PART;
            int n = (int) Math.min(PART, length - at);
            ByteBuffer b = buffer.clear().limit(n);
            inner.readOnceFullyZeroPadded(b, at);
            b.flip();
            for (long z = at; z < Math.min(blank, at + n); z++) {
                b.put((int) (z - at), (byte) 0);
            }
            target.writeFully(b, at);
            copied[i] = true;
            return n;
        }
    }

    /**
     * Starts copying the first {@code length} bytes of the file to {@code target}, as they are
     * now, the first {@code blank} of them as zeros. The caller holds every writer off until this
     * returns (a sync point).
     *
     * @throws IllegalStateException if a copy is under way
     */
    public void start(StoreFile target, long length, int blank) {
        if (copy != null) {
            throw new IllegalStateException("a backup copy is under way");
        }
        copy = new Copy(target, length, blank);
    }

    /**
     * Copies every part not copied yet, in file order, telling {@code progress} the bytes done so
     * far. Writers go on meanwhile; each waits at most for one part.
     */
    public void copyAll(LongConsumer progress) throws IOException {
        Copy c = copy;
        long done = 0;
        for (int i = 0; i < c.copied.length; i++) {
            synchronized (c) {
                c.copyPart(i);
            }
            done = Math.min(c.length, (long) (i + 1) * PART);
            progress.accept(done);
        }
    }

    /** Ends the copy (if one is under way); writes no longer copy anything. */
    public void stop() {
        copy = null;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        Copy c = copy;
        if (c != null) {
            c.before(position, position + src.remaining());
        }
        return inner.write(src, position);
    }

    @Override
    public void writeDurably(ByteBuffer src, long position) throws IOException {
        Copy c = copy;
        if (c != null) {
            c.before(position, position + src.remaining());
        }
        inner.writeDurably(src, position);
    }

    @Override
    public void truncate(long size) throws IOException {
        Copy c = copy;
        if (c != null) {
            c.before(size, Long.MAX_VALUE);
        }
        inner.truncate(size);
    }
}
