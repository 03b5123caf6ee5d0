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

    /**
     * What {@code payload} holds as one entry, ready to write: a view of a buffer the writer keeps,
     * valid until the next entry it frames.
     */
    public static ByteBuffer entry(MetaWriter payload) {
        return payload.toEntry(MAGIC);
    }

    /** A reader of the payload of {@code entry}, one entry as {@link #entry} framed it (a heap buffer). */
    public static MetaReader payloadOf(ByteBuffer entry) {
        int at = entry.arrayOffset() + entry.position();
        return new MetaReader(entry.array(), at + 8, at + entry.remaining() - 4);
    }

    /**
     * What {@link #read} found: the entries that hold (each positioned at its payload's start),
     * how many bytes they take, and the length of the last of them.
     */
    public record Entries(List<MetaReader> entries, int length, int lastLength) {}

    /**
     * Reads the first {@code length} bytes of the journal at {@code offset}, of which the last
     * {@code lastLength} are one entry, and checks every entry (magic, length, checksum; together
     * they fill the bytes exactly). The entries before the last were durable before the slot that
     * names them was written, so any fault in them is damage. The last one may have been forced
     * with its slot, in one force (the format allows it): a crash in that force may have torn it,
     * and then the state ends with the entry before (the commit that wrote it never returned).
     *
     * @throws MetadataException if an entry other than the last is malformed
     */
    public static Entries read(StoreFile file, long offset, int length, int lastLength) throws IOException {
        if (lastLength < 0 || lastLength > length) {
            throw new MetadataException(
                    "the header names a last journal entry of " + lastLength + " bytes in " + length);
        }
        ByteBuffer in = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (file.readOnce(in, offset + in.position()) < 0) {
                break; // a tail never written: only the last entry can be in it, and it is checked below
            }
        }
        byte[] bytes = in.array();
        List<MetaReader> entries = new ArrayList<>();
        int lastAt = length - lastLength;
        int at = 0;
        while (at < lastAt) {
            int next = entryEnd(in, bytes, at, lastAt);
            if (next < 0) {
                throw new MetadataException("journal entry at " + (offset + at) + " is damaged ("
                        + (next == -1 ? "bad magic or length" : "fails its checksum") + ")");
            }
            entries.add(new MetaReader(bytes, at + 8, next - 4));
            at = next;
        }
        if (at != lastAt) {
            throw new MetadataException("the journal's entries end at " + at + ", not at " + lastAt);
        }
        if (lastLength == 0) {
            return new Entries(entries, at, 0);
        }
        int next = entryEnd(in, bytes, at, length);
        if (next != length) {
            return new Entries(entries, at, entries.isEmpty() ? 0 : lastOf(entries));
        }
        entries.add(new MetaReader(bytes, at + 8, next - 4));
        return new Entries(entries, length, lastLength);
    }

    /** Bytes of the last of {@code entries} (its framing included). */
    private static int lastOf(List<MetaReader> entries) {
        return entries.get(entries.size() - 1).payloadLength() + MetaRecord.FRAMING;
    }

    /**
     * Where the entry at {@code at} ends if it is whole and ends by {@code limit}; -1 for a bad
     * magic or length, -2 for a checksum that fails.
     */
    private static int entryEnd(ByteBuffer in, byte[] bytes, int at, int limit) {
        if (limit - at < MetaRecord.FRAMING || in.getInt(at) != MAGIC) {
            return -1;
        }
        int payload = in.getInt(at + 4);
        if (payload < 0 || payload > limit - at - MetaRecord.FRAMING) {
            return -1;
        }
        if (Crc32c.of(bytes, at, 8 + payload) != in.getInt(at + 8 + payload)) {
            return -2;
        }
        return at + MetaRecord.FRAMING + payload;
    }
}
