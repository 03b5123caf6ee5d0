package org.bobbob.bench.peers;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * RAW-mapped's log file: grown and mapped read-write in segments of {@value #SEGMENT} bytes, so
 * that objects are copied into and out of the map, as a store that writes through its map does
 * (MapDB): the first access to each page of the file is paid while writing, not while reading.
 * An object never crosses a segment: one that would starts the next segment.
 *
 * <p>Threads: {@link #place} and {@link #put} of new objects are serialised by the caller;
 * {@link #get} and overwrites are lock-free (absolute copies into and out of a mapped buffer).
 */
final class MappedLog {
    static final int SEGMENT = 64 << 20;

    private final FileChannel ch;
    /** The mapped segments; replaced, never changed, when one is added. */
    private volatile MappedByteBuffer[] segments = new MappedByteBuffer[0];

    MappedLog(FileChannel ch) {
        this.ch = ch;
    }

    /** Where an object of {@code n} bytes goes when the log ends at {@code end}; maps its segment. */
    long place(long end, int n) throws IOException {
        if (n > SEGMENT) {
            throw new IllegalArgumentException("raw-mapped: an object is at most " + SEGMENT + " bytes");
        }
        long at = (end % SEGMENT) + n > SEGMENT ? (end / SEGMENT + 1) * SEGMENT : end;
        int last = (int) (at / SEGMENT);
        MappedByteBuffer[] s = segments;
        if (last >= s.length || s[last].capacity() < SEGMENT) {
            MappedByteBuffer[] grown = Arrays.copyOf(s, Math.max(s.length, last + 1));
            for (int i = 0; i <= last; i++) {
                if (grown[i] == null || grown[i].capacity() < SEGMENT) {
                    // mapping read-write past the file's end grows the file to the segment's end
                    grown[i] = ch.map(FileChannel.MapMode.READ_WRITE, (long) i * SEGMENT, SEGMENT);
                }
            }
            segments = grown;
        }
        return at;
    }

    /** Maps the file as it is ({@code size} bytes), without growing it: a reopened log. */
    void mapExisting(long size) throws IOException {
        int count = (int) ((size + SEGMENT - 1) / SEGMENT);
        MappedByteBuffer[] s = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
            long from = (long) i * SEGMENT;
            s[i] = ch.map(FileChannel.MapMode.READ_WRITE, from, Math.min(SEGMENT, size - from));
        }
        segments = s;
    }

    void put(long at, byte[] data) {
        segments[(int) (at / SEGMENT)].put((int) (at % SEGMENT), data);
    }

    void get(long at, byte[] out) {
        segments[(int) (at / SEGMENT)].get((int) (at % SEGMENT), out);
    }

    /** Writes every segment's changed pages to the disk ({@code msync}). */
    void force() {
        for (MappedByteBuffer s : segments) {
            s.force();
        }
    }

    /** Cuts the file to {@code end}; the segments must not be touched afterwards. */
    void cut(long end) throws IOException {
        segments = new MappedByteBuffer[0];
        ch.truncate(end);
    }
}
