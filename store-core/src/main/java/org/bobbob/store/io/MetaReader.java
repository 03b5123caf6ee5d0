package org.bobbob.store.io;

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
        this.buf = buf;
        this.start = from;
        this.limit = to;
        this.pos = from;
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
