package org.bobbob.store.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * An in-memory {@link StoreFile} that knows which writes are durable. Writes since the last
 * {@link #force()} are pending; {@link #crashImage} builds what a disk could hold after a power
 * loss: the durable bytes plus a random subset of the pending writes, in random order, some of
 * them torn. {@link #failAt} makes the N-th mutating call (write, truncate, force) throw; in
 * crash mode every later call throws too (the machine is gone).
 */
public final class SimulatedDisk implements StoreFile {
    private record Pending(long position, byte[] bytes, long truncateTo) {}

    private byte[] current;
    private long length;
    private byte[] durable;
    private long durableLength;
    private final List<Pending> pending = new ArrayList<>();
    private long mutations;
    private long forces;
    private long failAt = -1;
    private boolean crash;
    private boolean broken;
    private boolean closed;

    public SimulatedDisk() {
        this(new byte[0]);
    }

    /** A disk whose durable content is {@code image}. */
    public SimulatedDisk(byte[] image) {
        current = image.clone();
        length = image.length;
        durable = image.clone();
        durableLength = image.length;
    }

    /** Makes the {@code n}-th mutating call from now on fail; with {@code crash}, all later ones too. */
    public synchronized SimulatedDisk failAt(long n, boolean crash) {
        this.failAt = mutations + n;
        this.crash = crash;
        return this;
    }

    public synchronized long mutations() {
        return mutations;
    }

    /** Makes the disk usable again (a fresh handle on the same bytes), keeping pending writes. */
    public synchronized void reopen() {
        closed = false;
    }

    private void mutate(String what) throws IOException {
        check();
        mutations++;
        if (mutations == failAt) {
            broken = crash;
            throw new IOException("injected fault at mutation " + mutations + " (" + what + ")");
        }
    }

    private void check() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (broken) {
            throw new IOException("the simulated machine has crashed");
        }
    }

    @Override
    public Path path() {
        return Path.of("simulated.bob");
    }

    @Override
    public synchronized int read(ByteBuffer dst, long position) throws IOException {
        check();
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), length - position);
        dst.put(current, (int) position, n);
        return n;
    }

    @Override
    public synchronized int write(ByteBuffer src, long position) throws IOException {
        mutate("write");
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        apply(position, bytes);
        pending.add(new Pending(position, bytes, -1));
        return bytes.length;
    }

    private void apply(long position, byte[] bytes) {
        long end = position + bytes.length;
        if (end > current.length) {
            current = Arrays.copyOf(current, (int) Math.max(end, current.length * 2L));
        }
        if (position > length) {
            Arrays.fill(current, (int) length, (int) position, (byte) 0);
        }
        System.arraycopy(bytes, 0, current, (int) position, bytes.length);
        length = Math.max(length, end);
    }

    @Override
    public synchronized long size() throws IOException {
        check();
        return length;
    }

    @Override
    public synchronized void truncate(long size) throws IOException {
        mutate("truncate");
        if (size < length) {
            length = size;
            pending.add(new Pending(0, null, size));
        }
    }

    /** How many times {@link #force()} succeeded: every pending write made durable. */
    public synchronized long forces() {
        return forces;
    }

    @Override
    public synchronized void force() throws IOException {
        mutate("force");
        forces++;
        durable = Arrays.copyOf(current, (int) length);
        durableLength = length;
        pending.clear();
    }

    /**
     * Writes {@code src} and makes just that range durable, as a write with {@code O_DSYNC} does:
     * pending writes elsewhere stay pending, and parts of pending writes over the range can no
     * longer land over it (the disk holds the newer bytes there). Truncates made before it become
     * durable too (the file system commits the file's length with it). A fault here in crash mode
     * leaves the write pending: the crash image may hold it, torn, or not.
     */
    @Override
    public synchronized void writeDurably(ByteBuffer src, long position) throws IOException {
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        try {
            mutate("durable write");
        } catch (IOException e) {
            if (broken) {
                apply(position, bytes);
                pending.add(new Pending(position, bytes, -1));
            }
            throw e;
        }
        apply(position, bytes);
        long end = position + bytes.length;
        List<Pending> kept = new ArrayList<>();
        for (Pending p : pending) {
            if (p.bytes == null) {
                durableLength = Math.min(durableLength, p.truncateTo);
                continue;
            }
            long pEnd = p.position + p.bytes.length;
            if (pEnd <= position || p.position >= end) {
                kept.add(p);
                continue;
            }
            if (p.position < position) {
                kept.add(new Pending(p.position, Arrays.copyOf(p.bytes, (int) (position - p.position)), -1));
            }
            if (pEnd > end) {
                kept.add(new Pending(end, Arrays.copyOfRange(p.bytes, (int) (end - p.position), p.bytes.length), -1));
            }
        }
        pending.clear();
        pending.addAll(kept);
        if (end > durable.length) {
            durable = Arrays.copyOf(durable, (int) Math.max(end, durable.length * 2L));
        }
        if (position > durableLength) {
            Arrays.fill(durable, (int) durableLength, (int) position, (byte) 0);
        }
        System.arraycopy(bytes, 0, durable, (int) position, bytes.length);
        durableLength = Math.max(durableLength, end);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** The bytes as they are now (every write applied). */
    public synchronized byte[] image() {
        return Arrays.copyOf(current, (int) length);
    }

    /** What the disk could hold after a power loss now. */
    public synchronized byte[] crashImage(Random random) {
        SimulatedDisk after = new SimulatedDisk(Arrays.copyOf(durable, (int) durableLength));
        List<Pending> order = new ArrayList<>(pending);
        Collections.shuffle(order, random);
        for (Pending p : order) {
            int choice = random.nextInt(3);
            if (choice == 0) {
                continue; // lost
            }
            if (p.bytes == null) {
                after.length = Math.min(after.length, p.truncateTo);
            } else if (choice == 1) {
                after.apply(p.position, p.bytes);
            } else {
                after.apply(p.position, Arrays.copyOf(p.bytes, random.nextInt(p.bytes.length + 1))); // torn
            }
        }
        return after.image();
    }
}
