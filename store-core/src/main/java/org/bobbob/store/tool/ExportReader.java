package org.bobbob.store.tool;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;

/**
 * Reads an export stream ({@link ExportWriter} has its layout): the header when made, then one
 * object after another with {@link #next} and {@link #copyTo}, then the end record and the trailer,
 * which it checks. A stream that is not an export is BOB-302, an unknown version BOB-303, and one
 * cut short, damaged or with bytes past its trailer BOB-301. Not thread-safe.
 */
final class ExportReader {
    /** One object's record, its bytes not yet read. */
    record Entry(long id, int size, boolean prime) {}

    private final String name;
    private final CountingInput counted;
    private final CRC32C crc = new CRC32C();
    private final DataInputStream in;
    private final byte[] chunk = new byte[ExportWriter.CHUNK];
    private long objects;
    private long bytes;
    /** Bytes of the current entry not yet copied. */
    private long pending;

    /**
     * Reads and checks the header.
     *
     * @param name what the stream is, for messages (a file name, or "standard input")
     */
    ExportReader(InputStream source, String name) throws IOException {
        this.name = name;
        this.counted = new CountingInput(new BufferedInputStream(source, ExportWriter.CHUNK));
        this.in = new DataInputStream(new CheckedInputStream(counted, crc));
        byte[] magic = in.readNBytes(ExportWriter.MAGIC.length);
        if (!Arrays.equals(magic, ExportWriter.MAGIC)) {
            throw new StoreException(ErrorCode.NOT_A_STORE, name + " is not a bobbob export stream (no BOBX magic)");
        }
        try {
            checkVersionAndFlags();
        } catch (EOFException e) {
            throw truncated();
        }
    }

    private void checkVersionAndFlags() throws IOException {
        int version = in.readUnsignedShort();
        if (version != ExportWriter.VERSION) {
            throw new StoreException(
                    ErrorCode.UNSUPPORTED_VERSION,
                    name + " is an export stream of version " + version + "; this build reads version "
                            + ExportWriter.VERSION);
        }
        int flags = in.readUnsignedShort();
        if (flags != 0) {
            throw damaged("unknown header flags " + flags);
        }
    }

    /**
     * The next object's record; null after the end record and the trailer, which are then checked.
     * The previous entry's bytes must have been copied.
     */
    Entry next() throws IOException {
        if (pending != 0) {
            throw new IllegalStateException("the previous object's bytes were not read");
        }
        try {
            return nextRecord();
        } catch (EOFException e) {
            throw truncated();
        }
    }

    private Entry nextRecord() throws IOException {
        int tag = in.readUnsignedByte();
        if (tag == ExportWriter.TAG_END) {
            finish();
            return null;
        }
        if (tag != ExportWriter.TAG_OBJECT && tag != ExportWriter.TAG_PRIME) {
            throw damaged("unknown record tag " + tag + " after " + objects + " objects");
        }
        long id = in.readLong();
        int size = in.readInt();
        if (size < 0) {
            throw damaged("object " + id + " has a negative size " + size);
        }
        objects++;
        bytes += size;
        pending = size;
        return new Entry(id, size, tag == ExportWriter.TAG_PRIME);
    }

    /** Copies the current entry's bytes into {@code writer} (which must take them all). */
    void copyTo(ObjectWriter writer) throws IOException {
        while (pending > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, pending));
            if (n < 0) {
                throw truncated();
            }
            writer.write(ByteBuffer.wrap(chunk, 0, n));
            pending -= n;
        }
    }

    /** Bytes read from the stream so far. */
    long position() {
        return counted.count;
    }

    private void finish() throws IOException {
        long endObjects = in.readLong();
        long endBytes = in.readLong();
        int expected = (int) crc.getValue();
        byte[] trailer = counted.readNBytes(4);
        if (trailer.length < 4) {
            throw truncated();
        }
        int actual = ByteBuffer.wrap(trailer).getInt();
        if (actual != expected) {
            throw damaged("its CRC32C is " + Integer.toHexString(actual) + ", its bytes' is "
                    + Integer.toHexString(expected));
        }
        if (endObjects != objects || endBytes != bytes) {
            throw damaged("its end record counts " + endObjects + " objects of " + endBytes + " bytes, the stream has "
                    + objects + " of " + bytes);
        }
        if (counted.read() >= 0) {
            throw damaged("bytes follow its trailer");
        }
    }

    private StoreException truncated() {
        return damaged("it ends after " + counted.count + " bytes, before its end record and trailer (cut short)");
    }

    private StoreException damaged(String what) {
        return new StoreException(ErrorCode.CORRUPTED, "export stream " + name + " is damaged: " + what);
    }

    /** Counts what is read through it. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
