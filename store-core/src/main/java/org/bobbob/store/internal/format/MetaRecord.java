package org.bobbob.store.internal.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bobbob.store.internal.io.StoreFile;

/**
 * The framing of a metadata record, the store's allocator state at one sync:
 * <pre>
 *   offset  size  field
 *   0       4     magic "BOBR" (0x52424F42 little-endian)
 *   4       4     payload length P (u32 LE)
 *   8       P     payload (written by the store; see docs/FORMAT.md)
 *   8+P     4     CRC32C of bytes [0, 8+P) (u32 LE)
 * </pre>
 * A record is written to space the allocator set aside for it, and becomes current only when a
 * header slot that names it (offset, length) is durable.
 */
public final class MetaRecord {
    static final int MAGIC = 0x52424F42;
    /** Bytes a record adds around its payload. */
    public static final int FRAMING = 12;

    private MetaRecord() {}

    static ByteBuffer encode(byte[] payload, int len) {
        return encode(MAGIC, payload, len);
    }

    /** {@code payload}'s first {@code len} bytes framed with {@code magic}, a length and a CRC32C. */
    static ByteBuffer encode(int magic, byte[] payload, int len) {
        return encodeInto(magic, payload, len, new byte[FRAMING + len]);
    }

    /** As {@link #encode(int, byte[], int)}, into the first {@code FRAMING + len} bytes of {@code out}. */
    static ByteBuffer encodeInto(int magic, byte[] payload, int len, byte[] out) {
        ByteBuffer framed = ByteBuffer.wrap(out, 0, FRAMING + len).order(ByteOrder.LITTLE_ENDIAN);
        framed.putInt(magic).putInt(len).put(payload, 0, len);
        framed.putInt(Crc32c.of(out, 0, 8 + len));
        return framed.flip();
    }

    /**
     * Reads and checks the record at {@code offset} of {@code length} bytes. The reader reads the
     * file's map where {@code file} gives one ({@link StoreFile#mappedView}; valid until the file
     * is unmapped), else a copy in the heap.
     *
     * @throws MetadataException if the magic, length or checksum is wrong
     */
    public static MetaReader read(StoreFile file, long offset, int length) throws IOException {
        if (length < FRAMING) {
            throw new MetadataException("metadata record length " + length + " is too small");
        }
        ByteBuffer mapped = file.mappedView(offset, length);
        ByteBuffer in = (mapped != null ? mapped : readIntoHeap(file, offset, length)).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        int payloadLength = in.getInt(4);
        if (magic != MAGIC) {
            throw new MetadataException(
                    "metadata record at " + offset + " has bad magic 0x" + Integer.toHexString(magic));
        }
        if (payloadLength != length - FRAMING) {
            throw new MetadataException("metadata record at " + offset + " says " + payloadLength
                    + " payload bytes, header says " + (length - FRAMING));
        }
        if (Crc32c.of(in, 0, 8 + payloadLength) != in.getInt(8 + payloadLength)) {
            throw new MetadataException("metadata record at " + offset + " fails its checksum");
        }
        return mapped != null
                ? new MetaReader(in, 8, 8 + payloadLength)
                : new MetaReader(in.array(), 8, 8 + payloadLength);
    }

    private static ByteBuffer readIntoHeap(StoreFile file, long offset, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining()) {
            if (file.readOnce(in, offset + in.position()) < 0) {
                throw new MetadataException("metadata record at " + offset + " runs past the end of the file");
            }
        }
        return in.flip();
    }
}
