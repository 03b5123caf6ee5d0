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
 *   48      8     journal offset: where the journal that follows the record lives (format 5; 0: none)
 *   56      4     journal capacity: the bytes set aside for it
 *   60      4     journal length: the bytes of entries that belong to this state
 *   64      4     last entry length: the bytes of the last of them (a crash may have torn it)
 *   68      8     journal salt (format 6): every entry of this journal begins with it, so entries
 *                 written after this slot are found without a slot that names them
 *   76      4     CRC32C of bytes [0, 76)
 * </pre>
 * Formats 1 to 4 end at byte 48 with the CRC32C of bytes [0, 48): no journal. Format 5 ends at
 * byte 68 with the CRC32C of bytes [0, 68): a journal without a salt. Slot 0 is at file
 * offset 0 and slot 1 at {@value #SLOT_SIZE}; data starts at {@link #DATA_START}.
 *
 * @param version        the format of the record it names (see docs/FORMAT.md)
 * @param kind           the store kind byte
 * @param sequence       which write this is; the newest valid slot wins
 * @param recordOffset   where the current metadata record lives
 * @param recordLength   its length, framing included
 * @param end            the allocator's end
 * @param generationClaim the highest generation of an id the store may hand out before its next slot
 *                       write ({@code org.bobbob.store.internal.alloc.Generation})
 * @param journalOffset  where the journal of entries after the record lives; 0 when there is none
 * @param journalCapacity the bytes set aside for the journal
 * @param journalLength  the bytes of journal entries this slot's state includes (0: the record alone)
 * @param lastEntryLength the bytes of the last of those entries, which was forced with this slot
 *                       and may be torn (then the state ends with the entry before it)
 * @param journalSalt    what every entry of the journal begins with (format 6; 0 in older formats
 *                       and without a journal)
 */
public record HeaderSlot(
        int version,
        int kind,
        long sequence,
        long recordOffset,
        int recordLength,
        long end,
        int generationClaim,
        long journalOffset,
        int journalCapacity,
        int journalLength,
        int lastEntryLength,
        long journalSalt) {
    /**
     * The format every sync writes: objects carry checks, the payload ends with an index, a journal
     * of changes may follow the record (docs/FORMAT.md).
     */
    public static final int VERSION = 6;
    /** The first format whose slots name a journal. */
    public static final int JOURNAL_VERSION = 5;
    /**
     * The first format whose journals carry a salt: their entries count without a slot that
     * names them (docs/FORMAT.md, <i>Journal</i>).
     */
    public static final int SALTED_VERSION = 6;
    /** The oldest format still read; a sync rewrites the store in {@link #VERSION}. */
    public static final int OLDEST_VERSION = 1;

    public static final int SLOT_SIZE = 512;
    public static final long DATA_START = 2L * SLOT_SIZE;
    static final byte[] MAGIC = {'B', 'O', 'B', 'B', 'O', 'B', 0x00, 0x1A};
    /** Bytes of a slot in formats 1 to 4, in format 5, and from format 6 on; each ends with its CRC32C. */
    private static final int ENCODED_OLD = 52;

    private static final int ENCODED_5 = 72;

    private static final int ENCODED = 80;

    /** What reading one slot found. */
    public enum Status {
        VALID,
        BAD_MAGIC,
        BAD_VERSION,
        BAD_CHECKSUM
    }

    /** The result of decoding a slot: a status, the version read, and the slot when valid. */
    public record Decoded(Status status, int version, HeaderSlot slot) {}

    /** A store's state without a journal (every format): the record alone. */
    public HeaderSlot(
            int version, int kind, long sequence, long recordOffset, int recordLength, long end, int generationClaim) {
        this(version, kind, sequence, recordOffset, recordLength, end, generationClaim, 0, 0, 0, 0, 0);
    }

    /** This slot's state under sequence number {@code next}, its allocator end {@code newEnd}. */
    public HeaderSlot next(long next, long newEnd, int claim) {
        return with(next, newEnd, claim, journalLength, lastEntryLength);
    }

    /**
     * This slot's record and journal with the state the journal's entries reached past what the
     * slot names (format 6): {@code length} bytes of entries, the last {@code last} of them, the
     * allocator end {@code newEnd} and generation claim {@code claim} the last one carries.
     */
    public HeaderSlot withEntries(int length, int last, long newEnd, int claim) {
        return with(sequence, newEnd, claim, length, last);
    }

    /** This slot's format, kind, record and journal place, with the other fields given. */
    private HeaderSlot with(long seq, long newEnd, int claim, int length, int last) {
        return new HeaderSlot(
                version,
                kind,
                seq,
                recordOffset,
                recordLength,
                newEnd,
                claim,
                journalOffset,
                journalCapacity,
                length,
                last,
                journalSalt);
    }

    /** The slot in the layout of its {@link #version}: 52 bytes in formats 1 to 4, 72 in 5, 80 from 6 on. */
    public ByteBuffer encode() {
        boolean journal = version >= JOURNAL_VERSION;
        boolean salted = version >= SALTED_VERSION;
        ByteBuffer b = ByteBuffer.allocate(salted ? ENCODED : journal ? ENCODED_5 : ENCODED_OLD)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .putInt(version)
                .put((byte) kind)
                .put(new byte[3])
                .putLong(sequence)
                .putLong(recordOffset)
                .putInt(recordLength)
                .putInt(generationClaim)
                .putLong(end);
        if (journal) {
            b.putLong(journalOffset)
                    .putInt(journalCapacity)
                    .putInt(journalLength)
                    .putInt(lastEntryLength);
            if (salted) {
                b.putLong(journalSalt);
            } else if (journalSalt != 0) {
                throw new IllegalStateException("format " + version + " has no journal salt");
            }
        } else if (journalOffset != 0 || journalLength != 0) {
            throw new IllegalStateException("format " + version + " has no journal");
        }
        b.putInt(Crc32c.of(b.array(), 0, b.position()));
        return b.flip();
    }

    /** The file offset of slot {@code index} (0 or 1). */
    public static long position(int index) {
        return (long) index * SLOT_SIZE;
    }

    /** Whether the CRC32C at {@code covered} is that of the bytes before it. */
    private static boolean checksumHolds(ByteBuffer b, int covered) {
        byte[] first = new byte[covered];
        b.get(0, first);
        return Crc32c.of(first, 0, covered) == b.getInt(covered);
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
        int version = b.getInt(8);
        // The checksum's place depends on the version it covers: a version changed by a flipped
        // bit moves it, and then fails it (or names an unknown version).
        // A version this code does not know may have either layout: a checksum right in either
        // place tells it from a damaged slot (BOB-303, not BOB-301).
        boolean known = version >= OLDEST_VERSION && version <= VERSION;
        boolean intact = known
                ? checksumHolds(
                        b,
                        (version >= SALTED_VERSION ? ENCODED : version >= JOURNAL_VERSION ? ENCODED_5 : ENCODED_OLD)
                                - 4)
                : checksumHolds(b, ENCODED - 4) || checksumHolds(b, ENCODED_5 - 4) || checksumHolds(b, ENCODED_OLD - 4);
        if (!intact) {
            return new Decoded(Status.BAD_CHECKSUM, version, null);
        }
        if (!known) {
            return new Decoded(Status.BAD_VERSION, version, null);
        }
        boolean journal = version >= JOURNAL_VERSION;
        HeaderSlot slot = new HeaderSlot(
                version,
                b.get(12) & 0xFF,
                b.getLong(16),
                b.getLong(24),
                b.getInt(32),
                b.getLong(40),
                b.getInt(36),
                journal ? b.getLong(48) : 0,
                journal ? b.getInt(56) : 0,
                journal ? b.getInt(60) : 0,
                journal ? b.getInt(64) : 0,
                version >= SALTED_VERSION ? b.getLong(68) : 0);
        return new Decoded(Status.VALID, version, slot);
    }
}
