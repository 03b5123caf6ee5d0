package org.bobbob.store.tool;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.bobbob.store.ObjectReader;

/**
 * Writes an export stream (docs/FORMAT.md, "Export stream"), big-endian throughout:
 * <pre>
 * header   "BOBX" (4 bytes), version u16 = 1, flags u16 = 0
 * object   tag u8 (1: an object, 2: the prime object), id u64 (in the source store), size u32, its bytes
 * end      tag u8 = 0, objects u64, bytes u64 (their sizes' sum)
 * trailer  CRC32C u32 of every byte from the magic through the end record
 * </pre>
 * A reader knows a stream cut short (no end record), one damaged (the CRC differs) and one
 * with records lost or added (the end record's counts differ). Not thread-safe.
 */
final class ExportWriter {
    static final byte[] MAGIC = "BOBX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int TAG_END = 0;
    static final int TAG_OBJECT = 1;
    static final int TAG_PRIME = 2;
    /** Bytes copied at a time from an object. */
    static final int CHUNK = 64 * 1024;

    private final OutputStream raw;
    private final CRC32C crc = new CRC32C();
    private final DataOutputStream out;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private long objects;
    private long bytes;

    /** Writes the header to {@code target}, which {@link #finish} flushes and leaves open. */
    ExportWriter(OutputStream target) throws IOException {
        this.raw = new BufferedOutputStream(target, CHUNK);
        this.out = new DataOutputStream(new CheckedOutputStream(raw, crc));
        out.write(MAGIC);
        out.writeShort(VERSION);
        out.writeShort(0);
    }

    /** Writes one object, its bytes streamed from {@code reader} (read to its end, not closed). */
    void object(ObjectReader reader, boolean prime) throws IOException {
        out.writeByte(prime ? TAG_PRIME : TAG_OBJECT);
        out.writeLong(reader.id());
        out.writeInt(reader.size());
        long left = reader.size();
        while (left > 0) {
            chunk.clear();
            if (left < CHUNK) {
                chunk.limit((int) left);
            }
            int n = reader.read(chunk);
            if (n < 0) {
                throw new java.io.EOFException("object " + reader.id() + " ended " + left + " bytes early");
            }
            out.write(chunk.array(), 0, n);
            left -= n;
        }
        objects++;
        bytes += reader.size();
    }

    /** Writes the end record and the trailer, and flushes. */
    void finish() throws IOException {
        out.writeByte(TAG_END);
        out.writeLong(objects);
        out.writeLong(bytes);
        out.flush();
        new DataOutputStream(raw).writeInt((int) crc.getValue());
        raw.flush();
    }

    long objects() {
        return objects;
    }

    long bytes() {
        return bytes;
    }
}
