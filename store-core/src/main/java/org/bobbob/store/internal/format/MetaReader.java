package org.bobbob.store.internal.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bobbob.store.internal.io.StoreFile;

/**
 * Reads what {@link MetaWriter} wrote. Every read is bounds-checked: running off the end, or a
 * varint longer than 64 bits, is a {@link MetadataException}, never a wrong value.
 *
 * <p>Two backings. An array, read with a plain index: opening a store decodes a few varints per
 * object, and one loop over a {@code byte[]} is several times faster than going through a
 * {@code ByteBuffer} (and faster still before the JIT has compiled it, as on a cold start). Or a
 * read-only map of the file ({@link MetaRecord#read}): a store opened lazily answers look-ups
 * from its record in place, and a record read into the heap costs a fresh JVM a page fault per
 * 4 KiB of new heap and a copy through the channel (0.9–2.4 ms for a 789 KiB record); through the
 * map, the page cache's pages are mapped a few at a time. Whoever decodes a whole mapped payload takes an array copy
 * first ({@link #onHeap}).
 *
 * <p>A mapped reader is valid while its map is: the store's maps go at close, once no call can
 * run, and nothing reads a record after that. Its map is made when a read first needs it
 * ({@link Mapping}), not when the reader is made: a store opened and closed without a look-up
 * maps nothing.
 */
public final class MetaReader {
    /** The array backing; null when {@link #mem} backs the reader. */
    private final byte[] buf;
    /** The mapped backing, null when {@link #buf} backs the reader. */
    private final Mapping mem;

    private final int start;
    private final int limit;
    private int pos;

    /** Reads {@code buf[from, to)}. */
    MetaReader(byte[] buf, int from, int to) {
        this(buf, null, from, to, from);
    }

    /** Reads the bytes {@code [from, to)} of what {@code mem} maps, by absolute index. */
    MetaReader(Mapping mem, int from, int to) {
        this(null, mem, from, to, from);
    }

    private MetaReader(byte[] buf, Mapping mem, int from, int to, int pos) {
        this.buf = buf;
        this.mem = mem;
        this.start = from;
        this.limit = to;
        this.pos = pos;
    }

    /**
     * This reader, or for a mapped one a reader at the same position of an array copy of the
     * payload: for decoding all of it, which is faster from an array.
     */
    public MetaReader onHeap() {
        if (buf != null) {
            return this;
        }
        byte[] copy = new byte[limit - start];
        mem.view().get(start, copy);
        return new MetaReader(copy, null, 0, copy.length, pos - start);
    }

    /** A reader of the same payload from {@code position} (payload-relative) to its end. */
    public MetaReader at(int position) {
        if (position < 0 || position > limit - start) {
            throw new MetadataException(
                    "position " + position + " lies outside the " + (limit - start) + "-byte payload");
        }
        return new MetaReader(buf, mem, start, limit, start + position);
    }

    /** Where the next read starts, from the start of the payload. */
    public int position() {
        return pos - start;
    }

    /** Bytes in the whole payload. */
    public int payloadLength() {
        return limit - start;
    }

    /**
     * The next {@code n} bytes as a read-only view of the payload, and moves past them.
     *
     * @throws MetadataException if fewer than {@code n} bytes remain
     */
    public ByteBuffer bytes(int n) {
        if (n < 0 || n > limit - pos) {
            throw new MetadataException("a run of " + n + " bytes passes the end of the payload");
        }
        ByteBuffer view = buf != null
                ? ByteBuffer.wrap(buf, pos, n).slice().asReadOnlyBuffer()
                : mem.view().slice(pos, n).asReadOnlyBuffer();
        pos += n;
        return view;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public int remaining() {
        return limit - pos;
    }

    public int getByte() {
        need(1);
        return byteAt(pos++);
    }

    public long getVarLong() {
        byte[] b = buf;
        int p = pos;
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= limit) {
                throw new MetadataException("record ends early at byte " + (p - start));
            }
            byte x = b != null ? b[p] : mem.view().get(p);
            p++;
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                pos = p;
                if (v < 0) {
                    throw new MetadataException("varint out of range at byte " + (p - start));
                }
                return v;
            }
        }
        throw new MetadataException("varint longer than 64 bits at byte " + (p - start));
    }

    /** A varint that must lie in {@code [0, max]}. */
    public long getVarLong(long max, String what) {
        long v = getVarLong();
        if (v > max) {
            throw new MetadataException(what + " " + v + " exceeds " + max);
        }
        return v;
    }

    public int getVarInt(int max, String what) {
        return (int) getVarLong(max, what);
    }

    /** A little-endian unsigned 16-bit word. */
    public int getShort() {
        need(2);
        int v = u16(pos);
        pos += 2;
        return v;
    }

    /** The little-endian unsigned 16-bit word at payload position {@code position}, without moving. */
    public int shortAt(int position) {
        return u16(checkedAt(position, 2));
    }

    /** The little-endian unsigned 24-bit word at payload position {@code position}, without moving. */
    public int mediumAt(int position) {
        int p = checkedAt(position, 3);
        return u16(p) | byteAt(p + 2) << 16;
    }

    /** The little-endian unsigned 24-bit word at the current position; moves past it. */
    public int getMedium() {
        int v = mediumAt(pos - start);
        pos += 3;
        return v;
    }

    /** The little-endian 32-bit word at payload position {@code position}, without moving. */
    public int intAt(int position) {
        return i32(checkedAt(position, 4));
    }

    /** The little-endian 64-bit word at payload position {@code position}, without moving. */
    public long longAt(int position) {
        return i64(checkedAt(position, 8));
    }

    private int checkedAt(int position, int bytes) {
        int p = start + position;
        if (position < 0 || p > limit - bytes) {
            throw new MetadataException(
                    "position " + position + " lies outside the " + (limit - start) + "-byte payload");
        }
        return p;
    }

    public int getInt() {
        need(4);
        int v = i32(pos);
        pos += 4;
        return v;
    }

    public long getLong() {
        need(8);
        long v = i64(pos);
        pos += 8;
        return v;
    }

    // Unchecked reads at absolute index p of the backing (callers check the bounds).

    private int byteAt(int p) {
        return (buf != null ? buf[p] : mem.view().get(p)) & 0xFF;
    }

    private int u16(int p) {
        byte[] b = buf;
        return b != null ? (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 : mem.view().getShort(p) & 0xFFFF;
    }

    private int i32(int p) {
        byte[] b = buf;
        return b != null
                ? (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24
                : mem.view().getInt(p);
    }

    private long i64(int p) {
        return buf != null
                ? (i32(p) & 0xFFFFFFFFL) | (long) i32(p + 4) << 32
                : mem.view().getLong(p);
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw new MetadataException("record ends early at byte " + (pos - start));
        }
    }

    /**
     * A record's bytes in the file's map, mapped by the first read that needs them: the map of a
     * store file covers the whole file, and making it, touching its first pages and unmapping it at
     * close cost more than the rest of opening a store that is then closed unread (docs/FORMAT.md,
     * <i>Opening</i>). Where the file gives no map for the range then (a file that reads without
     * maps), the bytes are read into the heap instead, once.
     *
     * <p>Thread-safe: readers racing to the first read map once; every read sees the view through
     * a volatile field.
     */
    static final class Mapping {
        private final StoreFile file;
        private final long offset;
        private final int length;
        private volatile ByteBuffer view;

        /** Bytes at hand: {@code view}'s, little-endian ({@code view} is not changed). */
        Mapping(ByteBuffer view) {
            this.file = null;
            this.offset = 0;
            this.length = view.capacity();
            this.view = view.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        /** {@code length} bytes of {@code file} from {@code offset}, not mapped yet. */
        Mapping(StoreFile file, long offset, int length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        /**
         * The bytes, little-endian, index 0 at {@code offset}.
         *
         * @throws UncheckedIOException if mapping or reading them fails
         */
        ByteBuffer view() {
            ByteBuffer v = view;
            return v != null ? v : map();
        }

        private synchronized ByteBuffer map() {
            ByteBuffer v = view;
            if (v == null) {
                try {
                    ByteBuffer mapped = file.mappedView(offset, length);
                    v = (mapped != null ? mapped.duplicate() : MetaRecord.readIntoHeap(file, offset, length))
                            .order(ByteOrder.LITTLE_ENDIAN);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                view = v;
            }
            return v;
        }
    }
}
