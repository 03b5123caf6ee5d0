package org.bobbob.store.internal.format;

/**
 * Reads what {@link MetaWriter} wrote. Every read is bounds-checked: running off the end, or a
 * varint longer than 64 bits, is a {@link MetadataException}, never a wrong value.
 *
 * <p>Works on the record's array with a plain index: opening a store decodes a few varints per
 * object, and one loop over a {@code byte[]} is several times faster than going through a
 * {@code ByteBuffer} (and faster still before the JIT has compiled it, as on a cold start).
 */
public final class MetaReader {
    private final byte[] buf;
    private final int start;
    private final int limit;
    private int pos;

    /** Reads {@code buf[from, to)}. */
    MetaReader(byte[] buf, int from, int to) {
        this(buf, from, to, from);
    }

    private MetaReader(byte[] buf, int from, int to, int pos) {
        this.buf = buf;
        this.start = from;
        this.limit = to;
        this.pos = pos;
    }

    /** A reader of the same payload from {@code position} (payload-relative) to its end. */
    public MetaReader at(int position) {
        if (position < 0 || position > limit - start) {
            throw new MetadataException(
                    "position " + position + " lies outside the " + (limit - start) + "-byte payload");
        }
        return new MetaReader(buf, start, limit, start + position);
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
    public java.nio.ByteBuffer bytes(int n) {
        if (n < 0 || n > limit - pos) {
            throw new MetadataException("a run of " + n + " bytes passes the end of the payload");
        }
        java.nio.ByteBuffer view = java.nio.ByteBuffer.wrap(buf, pos, n).slice().asReadOnlyBuffer();
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
        return buf[pos++] & 0xFF;
    }

    public long getVarLong() {
        byte[] b = buf;
        int p = pos;
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= limit) {
                throw new MetadataException("record ends early at byte " + (p - start));
            }
            byte x = b[p++];
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
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    /** The little-endian unsigned 16-bit word at payload position {@code position}, without moving. */
    public int shortAt(int position) {
        int p = checkedAt(position, 2);
        return (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8;
    }

    /** The little-endian unsigned 24-bit word at payload position {@code position}, without moving. */
    public int mediumAt(int position) {
        int p = checkedAt(position, 3);
        return (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF) << 16;
    }

    /** The little-endian unsigned 24-bit word at the current position; moves past it. */
    public int getMedium() {
        int v = mediumAt(pos - start);
        pos += 3;
        return v;
    }

    /** The little-endian 32-bit word at payload position {@code position}, without moving. */
    public int intAt(int position) {
        int p = checkedAt(position, 4);
        return (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF) << 16 | (buf[p + 3] & 0xFF) << 24;
    }

    /** The little-endian 64-bit word at payload position {@code position}, without moving. */
    public long longAt(int position) {
        int p = checkedAt(position, 8);
        return (intAt(position) & 0xFFFFFFFFL) | (long) intAt(position + 4) << 32;
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
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    public long getLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (buf[pos++] & 0xFF) << (8 * i);
        }
        return v;
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw new MetadataException("record ends early at byte " + (pos - start));
        }
    }
}
