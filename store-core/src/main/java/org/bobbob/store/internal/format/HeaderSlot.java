package org.bobbob.store.internal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of the two header slots at the start of the file. Each sync writes the next sequence
 * number into one slot, then into the other, so a write torn by a crash leaves a valid slot.
 * <pre>
 *   offset  size  field
 *   0       8     magic "BOBBOB" 0x00 0x1A
 *   8       4     format version (u32 LE): {@value #VERSION} is written; {@value #OLDEST_VERSION} is read too
 *   12      1     store kind (1 basic, 2 multi)
 *   13      3     zero
 *   16      8     sequence number (u64 LE), grows by one per slot write
 *   24      8     metadata record offset
 *   32      4     metadata record length (bytes, framing included)
 *   36      4     generation claim (u32 LE): no id was or will be handed out with a higher generation
 *                 before the next slot write (format 3; zero in older files)
 *   40      8     allocator end: every allocated byte lies below it; the file is at least this long
 *   48      4     CRC32C of bytes [0, 48)
 * </pre>
 * Slot 0 is at file offset 0 and slot 1 at {@value #SLOT_SIZE}; data starts at {@link #DATA_START}.
 *
 * @param version        the format of the record it names (see docs/FORMAT.md)
 * @param kind           the store kind byte
 * @param sequence       which write this is; the newest valid slot wins
 * @param recordOffset   where the current metadata record lives
 * @param recordLength   its length, framing included
 * @param end            the allocator's end
 * @param generationClaim the highest generation of an id the store may hand out before its next slot
 *                       write ({@code org.bobbob.store.internal.alloc.Generation})
 */
public record HeaderSlot(
        int version, int kind, long sequence, long recordOffset, int recordLength, long end, int generationClaim) {
    /** The format every sync writes: objects carry checks, the payload ends with an index (docs/FORMAT.md). */
    public static final int VERSION = 4;
    /** The oldest format still read; a sync rewrites the store in {@link #VERSION}. */
    public static final int OLDEST_VERSION = 1;

    public static final int SLOT_SIZE = 512;
    public static final long DATA_START = 2L * SLOT_SIZE;
    static final byte[] MAGIC = {'B', 'O', 'B', 'B', 'O', 'B', 0x00, 0x1A};
    private static final int ENCODED = 52;

    /** What reading one slot found. */
    public enum Status {
        VALID,
        BAD_MAGIC,
        BAD_VERSION,
        BAD_CHECKSUM
    }

    /** The result of decoding a slot: a status, the version read, and the slot when valid. */
    public record Decoded(Status status, int version, HeaderSlot slot) {}

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(ENCODED).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .putInt(version)
                .put((byte) kind)
                .put(new byte[3])
                .putLong(sequence)
                .putLong(recordOffset)
                .putInt(recordLength)
                .putInt(generationClaim)
                .putLong(end);
        b.putInt(Crc32c.of(b.array(), 0, 48));
        return b.flip();
    }

    /** The file offset of slot {@code index} (0 or 1). */
    public static long position(int index) {
        return (long) index * SLOT_SIZE;
    }

    /** Decodes a slot from {@code bytes} (at least {@value #ENCODED} bytes from position 0). */
    public static Decoded decode(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < ENCODED) {
            return new Decoded(Status.BAD_MAGIC, 0, null);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return new Decoded(Status.BAD_MAGIC, 0, null);
            }
        }
        byte[] first = new byte[48];
        b.get(0, first);

        int version = b.getInt(8);
        if (Crc32c.of(first, 0, first.length) != b.getInt(48)) {
            return new Decoded(Status.BAD_CHECKSUM, version, null);
        }
        if (version < OLDEST_VERSION || version > VERSION) {
            return new Decoded(Status.BAD_VERSION, version, null);
        }
        HeaderSlot slot = new HeaderSlot(
                version, b.get(12) & 0xFF, b.getLong(16), b.getLong(24), b.getInt(32), b.getLong(40), b.getInt(36));
        return new Decoded(Status.VALID, version, slot);
    }
}
