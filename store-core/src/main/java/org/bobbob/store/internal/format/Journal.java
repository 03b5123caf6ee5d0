package org.bobbob.store.internal.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.bobbob.store.internal.io.StoreFile;

/**
 * The framing of the journal that follows a metadata record (format 5): entries back to back
 * from the journal's offset, each
 * <pre>
 *   offset  size  field
 *   0       4     magic "BOBJ" (0x4A424F42 little-endian)
 *   4       4     payload length P (u32 LE)
 *   8       P     payload: one commit's changes (written by the store; see docs/FORMAT.md)
 *   8+P     4     CRC32C of bytes [0, 8+P) (u32 LE)
 * </pre>
 * A header slot names how many of the journal's bytes belong to its state; an entry counts only
 * once a slot that covers it is durable, so entries need no sequence of their own. Bytes past
 * that length are leftovers of a commit that never completed, and are never read.
 */
public final class Journal {
    static final int MAGIC = 0x4A424F42;

    private Journal() {}

    /** {@code payload}'s first {@code len} bytes as one entry, ready to write. */
    public static ByteBuffer entry(MetaWriter payload) {
        return payload.toEntry(MAGIC);
    }

    /**
     * Reads the first {@code length} bytes of the journal at {@code offset} and checks every entry
     * in them (magic, length, checksum; the entries must fill them exactly).
     *
     * @return each entry's payload, in order
     * @throws MetadataException if an entry is malformed
     */
    public static List<MetaReader> read(StoreFile file, long offset, int length) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (file.read(in, offset + in.position()) < 0) {
                throw new MetadataException("the journal at " + offset + " runs past the end of the file");
            }
        }
        byte[] bytes = in.array();
        List<MetaReader> entries = new ArrayList<>();
        int at = 0;
        while (at < length) {
            if (length - at < MetaRecord.FRAMING) {
                throw new MetadataException("journal entry at " + (offset + at) + " is cut short");
            }
            int magic = in.getInt(at);
            int payload = in.getInt(at + 4);
            if (magic != MAGIC) {
                throw new MetadataException(
                        "journal entry at " + (offset + at) + " has bad magic 0x" + Integer.toHexString(magic));
            }
            if (payload < 0 || payload > length - at - MetaRecord.FRAMING) {
                throw new MetadataException("journal entry at " + (offset + at) + " says " + payload
                        + " payload bytes, more than the journal holds");
            }
            if (Crc32c.of(bytes, at, 8 + payload) != in.getInt(at + 8 + payload)) {
                throw new MetadataException("journal entry at " + (offset + at) + " fails its checksum");
            }
            entries.add(new MetaReader(bytes, at + 8, at + 8 + payload));
            at += MetaRecord.FRAMING + payload;
        }
        return entries;
    }
}
