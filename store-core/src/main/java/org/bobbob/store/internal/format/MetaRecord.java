package org.bobbob.store.internal.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.bobbob.store.internal.io.ReadOnceBuffer;
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
    /** Bytes of a record read at a time to check it where the file reads through maps ({@link #read}): 64 KiB. */
    static final int CHECK_PIECE = 64 << 10;
    /**
     * Bytes from a mapped record's start that {@link #read} keeps ({@link Read#head}): 4 KiB, room
     * for the prime id and a transactions section of a few dozen branches.
     */
    static final int HEAD_BYTES = 4 << 10;
    /** Bytes of the payload's end that {@link Read#footer} holds: the record index's footer. */
    public static final int FOOTER_BYTES = 32;

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
     * A record read and checked by {@link #read}, as three readers of its payload, each with the
     * payload's positions.
     *
     * @param payload the whole payload
     * @param head    a reader from the payload's start, in the heap: the whole payload, or its
     *                first bytes where {@link #headIsPartial}; what opening decodes first (the
     *                prime id, the transaction table) is read from here, without the map
     * @param footer  a reader of the payload's last {@link #FOOTER_BYTES} bytes (or all of it if
     *                shorter), in the heap; its positions start at 0
     * @param headIsPartial whether {@code head} ends before the payload does
     */
    public record Read(MetaReader payload, MetaReader head, MetaReader footer, boolean headIsPartial) {}

    /**
     * Reads and checks the record at {@code offset} of {@code length} bytes.
     *
     * <p>Where {@code file} reads through maps ({@link StoreFile#readsThroughMaps}), the payload
     * reader reads the file's map ({@link StoreFile#mappedView}; valid until the file is
     * unmapped), made when a read first needs it, and the record is checked without the map: its
     * bytes are read with {@link StoreFile#readOnce}, {@value #CHECK_PIECE} bytes at a time, the
     * first {@value #HEAD_BYTES} bytes copied as {@link Read#head}. So opening a store maps nothing: mapping the file,
     * the first touch of its pages and unmapping it at close cost more than the rest of opening
     * and closing a store that is not read in between (docs/FORMAT.md, <i>Opening</i>).
     * Elsewhere the payload is one copy in the heap.
     *
     * @throws MetadataException if the magic, length or checksum is wrong
     */
    public static Read read(StoreFile file, long offset, int length) throws IOException {
        if (length < FRAMING) {
            throw new MetadataException("metadata record length " + length + " is too small");
        }
        int payloadEnd = length - 4; // the checksum covers all but its own 4 bytes
        int footerFrom = Math.max(8, payloadEnd - FOOTER_BYTES);
        if (!file.readsThroughMaps()) {
            ByteBuffer in = readIntoHeap(file, offset, length).order(ByteOrder.LITTLE_ENDIAN);
            check(offset, length, in.getInt(0), in.getInt(4), Crc32c.of(in, 0, payloadEnd), in.getInt(payloadEnd));
            MetaReader payload = new MetaReader(in.array(), 8, payloadEnd);
            return new Read(payload, payload, new MetaReader(in.array(), footerFrom, payloadEnd), false);
        }
        byte[] head = null;
        byte[] tail = new byte[length - footerFrom]; // the footer and the checksum
        CRC32C crc = new CRC32C();
        try (ReadOnceBuffer pieces = new ReadOnceBuffer(file, Math.min(length, CHECK_PIECE))) {
            for (int at = 0; at < length; ) {
                int n = Math.min(pieces.capacity(), length - at);
                ByteBuffer piece = pieces.read(offset + at, n);
                if (piece == null) {
                    throw new MetadataException("metadata record at " + offset + " runs past the end of the file");
                }
                if (at == 0) {
                    head = new byte[Math.min(n, HEAD_BYTES)];
                    piece.get(0, head);
                }
                crc.update(piece.limit(Math.max(0, Math.min(n, payloadEnd - at))));
                piece.limit(n);
                int from = Math.max(at, footerFrom);
                if (from < at + n) {
                    piece.get(from - at, tail, from - footerFrom, at + n - from);
                }
                at += n;
            }
        }
        ByteBuffer headBuf = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer tailBuf = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
        check(
                offset,
                length,
                headBuf.getInt(0),
                headBuf.getInt(4),
                (int) crc.getValue(),
                tailBuf.getInt(tail.length - 4));
        int headEnd = Math.min(head.length, payloadEnd);
        return new Read(
                new MetaReader(new MetaReader.Mapping(file, offset, length), 8, payloadEnd),
                new MetaReader(head, 8, headEnd),
                new MetaReader(tail, 0, tail.length - 4),
                headEnd < payloadEnd);
    }

    private static void check(long offset, int length, int magic, int payloadLength, int actual, int stored)
            throws MetadataException {
        if (magic != MAGIC) {
            throw new MetadataException(
                    "metadata record at " + offset + " has bad magic 0x" + Integer.toHexString(magic));
        }
        if (payloadLength != length - FRAMING) {
            throw new MetadataException("metadata record at " + offset + " says " + payloadLength
                    + " payload bytes, header says " + (length - FRAMING));
        }
        if (actual != stored) {
            throw new MetadataException("metadata record at " + offset + " fails its checksum");
        }
    }

    /** The record's {@code length} bytes from {@code offset}, read into the heap. */
    static ByteBuffer readIntoHeap(StoreFile file, long offset, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length);
        while (in.hasRemaining()) {
            if (file.readOnce(in, offset + in.position()) < 0) {
                throw new MetadataException("metadata record at " + offset + " runs past the end of the file");
            }
        }
        return in.flip();
    }
}
