package org.bobbob.store.internal.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.bobbob.store.internal.io.StoreFile;

/**
 * The framing of the journal that follows a metadata record (format 5 on): entries back to back
 * from the journal's offset, each
 * <pre>
 *   offset  size  field
 *   0       4     magic "BOBJ" (0x4A424F42 little-endian)
 *   4       4     payload length P (u32 LE)
 *   8       P     payload: one commit's changes (written by the store; see docs/FORMAT.md)
 *   8+P     4     CRC32C of bytes [0, 8+P) (u32 LE)
 * </pre>
 * A header slot names how many of the journal's bytes belong to its state. In format 5 an entry
 * counts only once a slot that covers it is durable, and bytes past that length are never read.
 * In format 6 every entry's payload begins with the journal's salt (named by the slot that
 * started the journal), the allocator end and the generation claim ({@link #PREFIX}), and the
 * entries past that length count too, up to the first that is not whole or not salted.
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
     * Bytes at the start of every entry's payload in a salted journal (format 6): the journal's
     * salt (u64), then the allocator end (u64) and the generation claim (u32) as of the entry's
     * commit, which a header slot would otherwise name.
     */
    public static final int PREFIX = 20;

    /** Resets {@code out} to an entry's payload that begins with room for its {@link #PREFIX}. */
    public static MetaWriter startEntry(MetaWriter out) {
        return out.reset().putLong(0).putLong(0).putInt(0);
    }

    /** The bytes {@code payload} takes framed as one entry. */
    public static int entryLength(MetaWriter payload) {
        return payload.length() + MetaRecord.FRAMING;
    }

    /**
     * A salted entry ready to write: {@code payload} (begun by {@link #startEntry}) with its
     * prefix set to {@code salt}, {@code end} and {@code claim}, framed. A view of a buffer the
     * writer keeps, valid until the next entry it frames.
     */
    public static ByteBuffer entry(MetaWriter payload, long salt, long end, int claim) {
        payload.setLong(0, salt).setLong(8, end).setInt(16, claim);
        return payload.toEntry(MAGIC);
    }

    /** A new journal's salt: random, never 0 (0 marks a journal without one). */
    public static long newSalt() {
        long salt;
        do {
            salt = ThreadLocalRandom.current().nextLong();
        } while (salt == 0);
        return salt;
    }

    /**
     * What {@link #read} found: the entries that hold (each positioned at its payload's start, past
     * the {@link #PREFIX} in a salted journal), how many bytes they take, and the length of the
     * last of them; in a salted journal whose entries went past what the slot names, also the
     * allocator end and generation claim the last entry carries ({@code scanned}).
     */
    public record Entries(List<MetaReader> entries, int length, int lastLength, boolean scanned, long end, int claim) {
        public Entries(List<MetaReader> entries, int length, int lastLength) {
            this(entries, length, lastLength, false, 0, 0);
        }
    }

    /**
     * Reads the first {@code length} bytes of the journal at {@code offset}, of which the last
     * {@code lastLength} are one entry, and checks every entry (magic, length, checksum; together
     * they fill the bytes exactly). The entries before the last were durable before the slot that
     * names them was written, so any fault in them is damage. The last one may have been forced
     * with its slot, in one force (the format allows it): a crash in that force may have torn it,
     * and then the state ends with the entry before (the commit that wrote it never returned).
     *
     * <p>A salted journal ({@code salt} not 0, format 6) reads on past {@code length}, up to its
     * {@code capacity}: each whole entry that begins with the salt is one more commit, made durable
     * without a slot; the first that is not (never written, torn, another journal's leftovers)
     * ends the journal. Every entry there must begin with the salt too.
     *
     * @throws MetadataException if an entry other than the last the slot names is malformed
     */
    public static Entries read(StoreFile file, long offset, int length, int lastLength, long salt, int capacity)
            throws IOException {
        if (lastLength < 0 || lastLength > length) {
            throw new MetadataException(
                    "the header names a last journal entry of " + lastLength + " bytes in " + length);
        }
        int span = salt != 0 ? Math.max(capacity, length) : length;
        ByteBuffer in = ByteBuffer.allocate(span).order(ByteOrder.LITTLE_ENDIAN);
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
            if (next < 0 || !salted(in, at, next, salt)) {
                throw new MetadataException("journal entry at " + (offset + at) + " is damaged ("
                        + (next == -1 ? "bad magic or length" : next == -2 ? "fails its checksum" : "another journal's")
                        + ")");
            }
            entries.add(payload(bytes, at, next, salt));
            at = next;
        }
        if (at != lastAt) {
            throw new MetadataException("the journal's entries end at " + at + ", not at " + lastAt);
        }
        if (lastLength != 0) {
            int next = entryEnd(in, bytes, at, length);
            if (next != length || !salted(in, at, next, salt)) {
                checkNotFollowed(in, bytes, at, span, salt, offset);
                return new Entries(entries, at, entries.isEmpty() ? 0 : lastOf(entries));
            }
            entries.add(payload(bytes, at, next, salt));
            at = length;
        }
        if (salt == 0) {
            return new Entries(entries, length, lastLength);
        }
        int last = lastLength;
        boolean scanned = false;
        while (true) {
            int next = entryEnd(in, bytes, at, span);
            if (next < 0 || !salted(in, at, next, salt)) {
                checkNotFollowed(in, bytes, at, span, salt, offset);
                break;
            }
            entries.add(payload(bytes, at, next, salt));
            last = next - at;
            at = next;
            scanned = true;
        }
        if (!scanned) {
            return new Entries(entries, at, last);
        }
        MetaReader newest = entries.get(entries.size() - 1);
        return new Entries(
                entries, at, last, true, newest.at(0).longAt(8), newest.at(0).intAt(16));
    }

    /**
     * In a salted journal, an entry at {@code at} that ends the journal (it is not whole) may be
     * torn by a crash only if it was the last one written: each entry is durable before the next
     * commit writes one. So when its framing still says where it ends and a whole salted entry
     * starts there, it is damage, not a crash.
     *
     * @throws MetadataException if such an entry follows
     */
    private static void checkNotFollowed(ByteBuffer in, byte[] bytes, int at, int span, long salt, long offset) {
        if (salt == 0 || span - at < MetaRecord.FRAMING || in.getInt(at) != MAGIC) {
            return;
        }
        int payload = in.getInt(at + 4);
        if (payload < 0 || payload > span - at - MetaRecord.FRAMING) {
            return;
        }
        int after = at + MetaRecord.FRAMING + payload;
        int next = entryEnd(in, bytes, after, span);
        if (next >= 0 && salted(in, after, next, salt)) {
            throw new MetadataException("journal entry at " + (offset + at)
                    + " is damaged (fails its checksum or salt) and a later entry follows it");
        }
    }

    /** Whether the whole entry {@code [at, next)} begins with {@code salt} (any entry does when it is 0). */
    private static boolean salted(ByteBuffer in, int at, int next, long salt) {
        return salt == 0 || (next - at >= MetaRecord.FRAMING + PREFIX && in.getLong(at + 8) == salt);
    }

    /** A reader of the entry {@code [at, next)}'s payload, past the prefix in a salted journal. */
    private static MetaReader payload(byte[] bytes, int at, int next, long salt) {
        MetaReader r = new MetaReader(bytes, at + 8, next - 4);
        return salt == 0 ? r : r.at(PREFIX);
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
