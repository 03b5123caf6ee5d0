package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts writing a file's pages to the disk early: once {@link #threshold} bytes of large writes
 * were made since the last force began, a short-lived background thread forces the file, so that
 * the next force a commit asks for finds most of the pages already on the disk. A {@link StoreFile}
 * decorator, directly over the file.
 *
 * <h2>Why</h2>
 * A store that writes hundreds of megabytes between syncs (a bulk load, a churn that refills the
 * holes all over a file) leaves them dirty in the page cache: Linux starts writing them back only
 * once a tenth of the machine's memory is dirty, or after 30 s, so the sync pays for all of them
 * at once, its caller waiting, while the disk stood idle before. Forcing every few tens of
 * megabytes from another thread keeps the disk busy while the store's caller works: on this
 * project's 2-core machine, a churn that refills the holes of half of a 250 MB file (50 000 new
 * objects, then one sync) had its sync fall from about 175 ms to 40–90 ms, and the benchmark's
 * writes followed by a sync ran 20–50 % faster (docs/BENCHMARKS.md, W1, W3 and W7); writes
 * without a sync run slower while a force runs beside them.
 *
 * <h2>Why it is safe</h2>
 * A background force makes nothing durable that the kernel could not write back by itself at any
 * moment: the store's crash rules hold for any subset of its unforced writes reaching the disk, in
 * any order (docs/FORMAT.md, <i>The rules that make a crash safe</i>). Its promises rest on its
 * own forces, which run as before. One thing would change: the kernel reports a failed write-back
 * to one force only, so a background force that met it would leave the store's own force to
 * succeed. So a background force that fails keeps its exception, and the next {@link #force}
 * throws it, as if that force had met the failure itself; and {@link #force} waits for a
 * background force under way before it starts, so none can take the report from under it.
 *
 * <h2>Which writes count</h2>
 * Only large ones, of at least {@link #COUNTED_WRITE} bytes: the chunks the write cache gathers
 * new objects into, large objects, records. They are what piles up dirty pages fast, and they are
 * cheap to write back early: long runs of the file, written once. Small writes in place (an
 * overwrite of an object) are left to the page cache, which absorbs an object overwritten again
 * and again: forcing them early costs the disk a write per page, scattered, that a later
 * overwrite may make useless, and slows the writes that meet those pages under write-back. On
 * this project's machine, counting every write made a mix of random reads, overwrites and inserts
 * without a sync 20–60 % slower; counting the large ones only, that mix (half of whose writes are
 * new objects) is about as fast as without background forces on one thread and 20–30 % slower
 * on eight, where forces run beside its writes.
 *
 * <h2>How</h2>
 * Every large {@link #write} adds its bytes to {@link #unforced}; the write that takes it to the
 * threshold starts a daemon thread, unless one is running, which sets it to 0 and forces the
 * file once ({@link StoreFile#forceInBackground}: unlike a sync, without mapping the grown file
 * again for reads, which would drop the page-table entries reads have built; with that remap, the
 * benchmark's W9 mix of reads, overwrites and inserts ran 17–34 % slower on one thread), then
 * ends. A force sets it to 0 as well, when it begins: bytes written after that are not covered. Durable writes ({@link #writeDurably}) are not counted: they are on the disk
 * when they return. A thread per background force, rather than a pool: it runs once per tens of
 * megabytes written, costs a fraction of a millisecond to start, and leaves nothing behind in a
 * container that unloads the store's classes. {@link #close()} waits for a force under way.
 *
 * <p>Thread-safe as the file below it is.
 */
public final class WritebackStoreFile extends ForwardingStoreFile {
    /** Bytes of large writes since the last force after which a background force starts (32 MiB). */
    public static final long DEFAULT_THRESHOLD = 32L << 20;
    /** The smallest write that counts (a large write): what the write cache writes straight through, 32 KiB. */
    static final int COUNTED_WRITE = CombiningStoreFile.DIRECT_WRITE;

    private final long threshold;
    /** Bytes of large writes since the last force (foreground or background) began. */
    private final AtomicLong unforced = new AtomicLong();
    /** Whether a background force is started and not yet done. */
    private final AtomicBoolean running = new AtomicBoolean();
    /** Held by every force, background or not, and by close: one at a time, none after close. */
    private final Object forcing = new Object();
    /** The failure of a background force, for the next {@link #force} to throw; guarded by {@link #forcing}. */
    private IOException failed;
    /** Set by close, under {@link #forcing}: no background force starts after it. */
    private volatile boolean closed;

    /**
     * {@code inner} with a background force every {@code threshold} bytes of large writes.
     *
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public WritebackStoreFile(StoreFile inner, long threshold) {
        super(inner);
        if (threshold <= 0) {
            throw new IllegalArgumentException("write-back threshold must be positive: " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * {@code inner} with a background force every {@link #DEFAULT_THRESHOLD} bytes of large writes, or
     * every {@code bobbob.writebackBytes} (a system property) bytes; {@code inner} itself when that
     * property is 0 or less: no background forces.
     */
    public static StoreFile over(StoreFile inner) {
        long threshold = Long.getLong("bobbob.writebackBytes", DEFAULT_THRESHOLD);
        return threshold > 0 ? new WritebackStoreFile(inner, threshold) : inner;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        int n = inner.write(src, position);
        if (n >= COUNTED_WRITE && unforced.addAndGet(n) >= threshold && !closed && running.compareAndSet(false, true)) {
            Thread t = new Thread(
                    this::forceBehind, "bobbob-writeback " + inner.path().getFileName());
            t.setDaemon(true);
            t.start();
        }
        return n;
    }

    /** The background force: once, unless the file closed meanwhile. */
    private void forceBehind() {
        try {
            synchronized (forcing) {
                if (closed) {
                    return;
                }
                unforced.set(0);
                try {
                    inner.forceInBackground();
                } catch (IOException e) {
                    if (failed == null) {
                        failed = e;
                    }
                } catch (RuntimeException e) {
                    if (failed == null) {
                        failed = new IOException("background force of " + inner.path() + " failed", e);
                    }
                }
            }
        } finally {
            running.set(false);
        }
    }

    /**
     * Forces the file, after any background force under way; throws the failure of a background
     * force since the last call instead, once.
     */
    @Override
    public void force() throws IOException {
        synchronized (forcing) {
            IOException f = failed;
            if (f != null) {
                failed = null;
                throw new IOException("writing " + inner.path() + " back to the disk failed: " + f.getMessage(), f);
            }
            unforced.set(0);
            inner.force();
        }
    }

    /**
     * A force, as {@link #force}: one that reached the file below by another way would take a
     * failed write-back's report from the force that must throw it.
     */
    @Override
    public void forceInBackground() throws IOException {
        force();
    }

    /** Waits for a background force under way, then closes the file below. */
    @Override
    public void close() throws IOException {
        synchronized (forcing) {
            closed = true;
        }
        inner.close();
    }
}
