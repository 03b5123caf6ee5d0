package org.bobbob.store.internal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds a metadata record's payload: unsigned LEB128 varints (small numbers, such as the gap
 * between neighbouring objects, take one byte) and little-endian fixed-width words. Reusable:
 * {@link #reset()} keeps a buffer of up to {@value #KEPT_BYTES} bytes, so a small store that syncs
 * often does not reallocate it; a larger one is dropped by {@link #toRecord()}, which copies the
 * payload anyway: kept between syncs, it would cost a big store about 4 heap bytes per object.
 */
public final class MetaWriter {
    static final int KEPT_BYTES = 64 << 10;
    private byte[] buf = new byte[4096];
    private int len;
    /**
     * Where {@link #toEntry} frames the payload, kept as {@link #buf} is: a store's entry writer
     * frames an entry at every commit, under the sync lock that concurrent commits wait for.
     */
    private byte[] framed = new byte[0];

    public MetaWriter reset() {
        len = 0;
        return this;
    }

    public int length() {
        return len;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + more);
            if (want > Integer.MAX_VALUE - 64) {
                throw new IllegalStateException("metadata record larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public MetaWriter putByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    /** An unsigned varint; {@code v} must not be negative. */
    public MetaWriter putVarLong(long v) {
        assert v >= 0 : "negative varint " + v;
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** A little-endian 16-bit word (the low 16 bits of {@code v}). */
    public MetaWriter putShort(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    /** A little-endian 24-bit word (the low 24 bits of {@code v}). */
    public MetaWriter putMedium(int v) {
        ensure(3);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        return this;
    }

    public MetaWriter putInt(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public MetaWriter putLong(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Writes {@code v} (8 bytes, little-endian) over the payload's bytes at {@code at}. */
    MetaWriter setLong(int at, long v) {
        if (at < 0 || at + 8 > len) {
            throw new IndexOutOfBoundsException("8 bytes at " + at + " of " + len);
        }
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Writes {@code v} (4 bytes, little-endian) over the payload's bytes at {@code at}. */
    MetaWriter setInt(int at, int v) {
        if (at < 0 || at + 4 > len) {
            throw new IndexOutOfBoundsException("4 bytes at " + at + " of " + len);
        }
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /**
     * Appends {@code n} bytes and returns a view of them, to be filled by the caller (for example
     * by a read of the file) before the payload is framed.
     */
    public ByteBuffer space(int n) {
        ensure(n);
        ByteBuffer view = ByteBuffer.wrap(buf, len, n).slice();
        len += n;
        return view;
    }

    /** Drops what was appended after the first {@code length} bytes. */
    public MetaWriter truncate(int length) {
        len = Math.min(len, length);
        return this;
    }

    /** Appends what {@code other} holds. */
    public MetaWriter append(MetaWriter other) {
        ensure(other.len);
        System.arraycopy(other.buf, 0, buf, len, other.len);
        len += other.len;
        return this;
    }

    /** The payload wrapped as a record (magic, length, payload, CRC32C), ready to write. */
    public ByteBuffer toRecord() {
        ByteBuffer record = MetaRecord.encode(buf, len);
        if (buf.length > KEPT_BYTES) {
            buf = new byte[4096];
            len = 0;
        }
        return record;
    }

    /**
     * The payload framed as one {@link Journal} entry (magic {@code magic}), ready to write: a view
     * of a buffer this writer keeps, valid until its next {@code toEntry}.
     */
    ByteBuffer toEntry(int magic) {
        int total = MetaRecord.FRAMING + len;
        if (framed.length < total) {
            framed = new byte[Math.max(total, (int) Math.min(Integer.MAX_VALUE - 64, 2L * framed.length))];
        }
        return MetaRecord.encodeInto(magic, buf, len, framed);
    }

    static ByteBuffer littleEndian(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }
}
