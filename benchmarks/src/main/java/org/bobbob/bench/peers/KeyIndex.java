package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The RAW stores' index: each key's offset in the log and size ({@code -1}: deleted, or not yet
 * committed), keys handed out from 0 up; and its snapshot file, written whole at the durable step
 * ({@code int count, long end}, then {@code long offset, int size} per key) and read whole on
 * reopen. Not thread-safe: the stores guard it.
 */
final class KeyIndex {
    long[] off = new long[1024];
    int[] len = new int[1024];
    int count;

    private final String store;

    /** An empty index of the store named {@code store} (for messages). */
    KeyIndex(String store) {
        this.store = store;
    }

    /** A new key whose object lies at {@code offset} and has {@code size} bytes ({@code -1}: absent for now). */
    int add(long offset, int size) {
        if (count == off.length) {
            int cap = count + (count >> 1);
            off = Arrays.copyOf(off, cap);
            len = Arrays.copyOf(len, cap);
        }
        off[count] = offset;
        len[count] = size;
        return count++;
    }

    /** The size of object {@code key}; throws if there is no such object. */
    int size(long key) {
        int n = key >= 0 && key < count ? len[(int) key] : -1;
        if (n < 0) {
            throw new IllegalStateException(store + ": no key " + key);
        }
        return n;
    }

    /** Writes the snapshot to {@code file}, {@code end} the log's end, then forces {@code log} and it. */
    void writeSnapshot(Path file, long end, FileChannel log) throws IOException {
        ByteBuffer snap = ByteBuffer.allocate(12 + count * 12);
        snap.putInt(count).putLong(end);
        for (int i = 0; i < count; i++) {
            snap.putLong(off[i]).putInt(len[i]);
        }
        snap.flip();
        try (FileChannel ic = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            while (snap.hasRemaining()) {
                ic.write(snap, snap.position());
            }
            log.force(false);
            ic.force(false);
        }
    }

    /** Replaces this index with the snapshot in {@code file}; returns the log's end it names. */
    long readSnapshot(Path file) throws IOException {
        ByteBuffer all;
        try (FileChannel ic = FileChannel.open(file, StandardOpenOption.READ)) {
            all = ByteBuffer.allocate((int) ic.size());
            while (all.hasRemaining()) {
                if (ic.read(all, all.position()) < 0) {
                    throw new IOException(store + ": short index snapshot " + file);
                }
            }
        }
        all.flip();
        count = all.getInt();
        long end = all.getLong();
        off = new long[Math.max(1024, count + (count >> 1))];
        len = new int[off.length];
        for (int i = 0; i < count; i++) {
            off[i] = all.getLong();
            len[i] = all.getInt();
        }
        return end;
    }
}
