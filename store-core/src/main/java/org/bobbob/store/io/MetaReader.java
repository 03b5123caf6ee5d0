package org.bobbob.store.io;

import java.nio.ByteBuffer;

/**
 * Reads what {@link MetaWriter} wrote. Every read is bounds-checked: running off the end, or a
 * varint longer than 64 bits, is a {@link MetadataException}, never a wrong value.
 */
public final class MetaReader {
    private final ByteBuffer buf;

    MetaReader(ByteBuffer payload) {
        this.buf = payload;
    }

    public boolean hasRemaining() {
        return buf.hasRemaining();
    }

    public int remaining() {
        return buf.remaining();
    }

    public int getByte() {
        need(1);
        return buf.get() & 0xFF;
    }

    public long getVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            byte b = buf.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0) {
                    throw new MetadataException("varint out of range at byte " + buf.position());
                }
                return v;
            }
        }
        throw new MetadataException("varint longer than 64 bits at byte " + buf.position());
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
            v |= (long) (buf.get() & 0xFF) << (8 * i);
        }
        return v;
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new MetadataException("record ends early at byte " + buf.position());
        }
    }
}
