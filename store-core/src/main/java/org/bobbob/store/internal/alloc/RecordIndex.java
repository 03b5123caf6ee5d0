package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaRecord;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * The index at the end of a format-2 or format-3 metadata payload, and the look-ups it allows: a store opened
 * from such a record finds its objects in the record's bytes, in place, before it has built (and
 * without building) its allocators.
 *
 * <h2>Why</h2>
 * Building the allocator state decodes every live object: about 2 ms for 100 000 objects with a
 * warm JIT and 15 ms in a fresh JVM, where LMDB, which maps a page, opens in a tenth of a
 * millisecond. A store opened to be read need not pay it. With this index, opening reads the
 * record, checks its CRC and reads a fixed footer; the store builds its allocator state from the
 * same record when it first needs it (the first change, or {@code stats()}), once.
 *
 * <h2>Layout</h2>
 * Positions are bytes from the start of the payload; words are little-endian.
 * <pre>
 *   varint primeId, the extent objects, [multi: the blocks]     the parts (docs/FORMAT.md)
 *   index, at position I:
 *     ceil(E / 32) × (u64 offset, u32 position)  every 32nd extent object (0th, 32nd, ...): its file
 *                                             offset and where its size varint starts
 *     B × (u32 number, u32 position)          every block, in number order: its number and where
 *                                             its size-class varint starts
 *   footer, the last 32 bytes:
 *     u64 live objects, u64 live bytes, u32 I, u32 E (extent objects), u32 B (blocks), u32 "BIDX"
 * </pre>
 * The index costs about 0.4 bytes per extent object and 8 per block.
 *
 * <h2>Look-ups</h2>
 * <ul>
 *   <li>An extent id at offset {@code x}: binary search of the extent directory for the last entry
 *       whose offset is at most {@code x}, then decode forward, at most 31 objects; the object at
 *       {@code x} answers if its check is the id's (format 3; in format 2 every check is 0).
 *   <li>A slot id (block {@code n}, slot {@code s}): binary search of the block directory for
 *       {@code n}; in a block the live slots are a bitmap followed by one u16 length per live slot
 *       (and in format 3 the checks, one for the block or one u24 per live slot, then one u32 crc
 *       per live slot), so slot {@code s}'s length, check and crc are the
 *       {@code r}-th, {@code r} being the number of live slots below {@code s} (popcounts of at
 *       most 16 words).
 * </ul>
 * Nothing in the record is trusted further than it can be checked on the way: a position outside
 * the payload, a class out of range, a length larger than its slot, or an object or block outside
 * the data area is a {@link MetadataException}. Building the allocators checks every entry against what a full
 * decode finds.
 *
 * <p>Immutable after {@link #read}, so safe for any number of threads, and for the store's
 * optimistic reads.
 */
public final class RecordIndex implements ObjectLocator {
    /** Every this many extent objects get a directory entry. */
    static final int EXTENT_STRIDE = 32;
    /** Bytes of the footer at the end of the payload: what opening keeps of the payload's end ({@link MetaRecord.Read#footer}). */
    public static final int FOOTER = MetaRecord.FOOTER_BYTES;

    static final int MAGIC = 0x58444942; // "BIDX"
    private static final int EXTENT_ENTRY = 12;
    private static final int BLOCK_ENTRY = 8;

    private final MetaReader payload;
    /** Whether objects carry checks (format 3 on). */
    private final boolean checks;
    /** The allocator end the header names: every object the record names lies below it. */
    private final long end;

    private final long liveObjects;
    private final long liveBytes;
    private final int indexAt;
    private final int extentCount;
    private final int extentDirCount;
    private final int blockCount;
    private final int blockDirAt;

    private RecordIndex(
            MetaReader payload,
            boolean checks,
            long end,
            long liveObjects,
            long liveBytes,
            int indexAt,
            int extentCount,
            int blockCount) {
        this.payload = payload;
        this.checks = checks;
        this.end = end;
        this.liveObjects = liveObjects;
        this.liveBytes = liveBytes;
        this.indexAt = indexAt;
        this.extentCount = extentCount;
        this.extentDirCount = dirEntries(extentCount);
        this.blockCount = blockCount;
        this.blockDirAt = indexAt + extentDirCount * EXTENT_ENTRY;
    }

    /** Live objects, as the record's index states them (checked against the record when it is built). */
    public long liveObjects() {
        return liveObjects;
    }

    private static int dirEntries(int extents) {
        return (int) ((extents + (long) EXTENT_STRIDE - 1) / EXTENT_STRIDE);
    }

    /**
     * Reads the footer of a payload in format {@code version} (2 or later), whose objects lie below
     * {@code end}, and checks that the index it names fills the space between the parts and the
     * footer. The footer's {@value #FOOTER} bytes come from {@code footer} (their positions from
     * 0), which may be a copy, so that nothing of {@code payload} is read here: O(1), and a mapped
     * payload is not mapped yet.
     *
     * @throws MetadataException if the footer is not one this class wrote
     */
    public static RecordIndex read(MetaReader payload, MetaReader footer, int version, long end) {
        int length = payload.payloadLength();
        if (length < FOOTER || footer.payloadLength() != FOOTER) {
            throw new MetadataException("a " + length + "-byte payload has no room for the index footer");
        }
        int f = length - FOOTER;
        long liveObjects = footer.longAt(0);
        long liveBytes = footer.longAt(8);
        int indexAt = footer.intAt(16);
        int extents = footer.intAt(20);
        int blocks = footer.intAt(24);
        if (footer.intAt(28) != MAGIC) {
            throw new MetadataException("the index footer has bad magic 0x" + Integer.toHexString(footer.intAt(28)));
        }
        if (liveObjects < 0
                || liveBytes < 0
                || extents < 0
                || blocks < 0
                || indexAt < 1
                || indexAt + (long) dirEntries(extents) * EXTENT_ENTRY + (long) blocks * BLOCK_ENTRY != f) {
            throw new MetadataException("the index footer names " + extents + " extent objects and " + blocks
                    + " blocks at " + indexAt + ", which do not fill the index before the footer at " + f);
        }
        return new RecordIndex(payload, version >= 3, end, liveObjects, liveBytes, indexAt, extents, blocks);
    }

    /** Blocks, as the footer says (0 for a basic store). */
    public int blockCount() {
        return blockCount;
    }

    /** Where the index starts: the parts end here. */
    public int indexPosition() {
        return indexAt;
    }

    @Override
    public boolean locate(long id, Location out) {
        if (ObjectIds.isSlot(id)) {
            return locateSlot(id, out);
        }
        return id > 0 && locateExtent(id, out);
    }

    private boolean locateExtent(long id, Location out) {
        long target = ObjectIds.offset(id);
        int lo = 0;
        int hi = extentDirCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (payload.longAt(indexAt + mid * EXTENT_ENTRY) <= target) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int e = lo - 1;
        if (e < 0) {
            return false;
        }
        int entryAt = indexAt + e * EXTENT_ENTRY;
        long x = payload.longAt(entryAt);
        MetaReader in = payload.at(payload.intAt(entryAt + 8));
        int n = Math.min(EXTENT_STRIDE, extentCount - e * EXTENT_STRIDE);
        for (int i = 0; ; ) {
            int size = in.getVarInt(Integer.MAX_VALUE, "object size");
            int check = checks ? in.getVarInt(ObjectIds.EXTENT_CHECK_MASK, "object check") : 0;
            int crc = checks ? in.getInt() : 0;
            if (x == target) {
                if (check != ObjectIds.extentCheck(id)) {
                    return false;
                }
                out.id = id;
                if (x < HeaderSlot.DATA_START || x + ExtentAllocator.allocatedSize(size) > end) {
                    throw new MetadataException("the record places object " + id + " of " + size + " bytes at " + x
                            + ", outside the data area [" + HeaderSlot.DATA_START + ", " + end + ")");
                }
                out.offset = x;
                out.size = size;
                out.allocatedSize = ExtentAllocator.allocatedSize(size);
                out.crc = crc;
                return true;
            }
            if (++i == n) {
                return false;
            }
            x += ExtentAllocator.allocatedSize(size) + in.getVarLong();
            if (x > target) {
                return false;
            }
        }
    }

    private boolean locateSlot(long id, Location out) {
        long number = ObjectIds.blockNumber(id);
        int slot = ObjectIds.slot(id);
        int lo = 0;
        int hi = blockCount - 1;
        int at = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long n = payload.intAt(blockDirAt + mid * BLOCK_ENTRY) & 0xFFFFFFFFL;
            if (n < number) {
                lo = mid + 1;
            } else if (n > number) {
                hi = mid - 1;
            } else {
                at = payload.intAt(blockDirAt + mid * BLOCK_ENTRY + 4);
                break;
            }
        }
        if (at < 0) {
            return false;
        }
        MetaReader in = payload.at(at);
        int c = in.getVarInt(SizeClasses.count() - 1, "size class");
        long offset = in.getVarLong();
        int slots = SizeClasses.slotsPerBlock(c);
        if (offset < HeaderSlot.DATA_START || offset + (long) slots * SizeClasses.slotSize(c) > end) {
            throw new MetadataException("the record places block " + number + " at " + offset
                    + ", outside the data area [" + HeaderSlot.DATA_START + ", " + end + ")");
        }
        int live = in.getVarInt(slots, "live slot count");
        if (slot >= slots) {
            return false;
        }
        int bitmap = in.position();
        int w = slot >>> 6;
        long word = payload.longAt(bitmap + 8 * w);
        long bit = 1L << slot;
        if ((word & bit) == 0) {
            return false;
        }
        int rank = Long.bitCount(word & (bit - 1));
        for (int i = 0; i < w; i++) {
            rank += Long.bitCount(payload.longAt(bitmap + 8 * i));
        }
        int slotSize = SizeClasses.slotSize(c);
        int lengths = bitmap + 8 * BlockAllocator.bitmapWords(slots);
        int length = payload.shortAt(lengths + 2 * rank);
        if (rank >= live || length > slotSize) {
            throw new MetadataException("block " + number + " slot " + slot + ": rank " + rank + " of " + live
                    + " live, length " + length + " in a " + slotSize + "-byte slot");
        }
        int check = 0;
        int crcs = 0;
        if (checks) {
            MetaReader modes = payload.at(lengths + 2 * live);
            long checkMode = modes.getVarLong();
            int after = modes.position();
            boolean perSlot = (checkMode & 1) != 0;
            check = perSlot ? payload.mediumAt(after + 3 * rank) : (int) (checkMode >>> 1);
            crcs = perSlot ? after + 3 * live : after;
        }
        if (check != ObjectIds.slotCheck(id)) {
            return false;
        }
        out.crc = checks ? payload.intAt(crcs + 4 * rank) : 0;
        out.id = id;
        out.offset = offset + (long) slot * slotSize;
        out.size = length;
        out.allocatedSize = slotSize;
        return true;
    }

    // ---------------------------------------------------------------- checks while building

    /** Checks the extent count the parts hold against the footer's. */
    void checkExtentCount(long count) {
        if (count != extentCount) {
            throw new MetadataException("the record holds " + count + " extent objects, its index says " + extentCount);
        }
    }

    /** Checks extent object {@code i} (a multiple of the stride) against its directory entry. */
    void checkExtent(long i, long offset, int sizePosition) {
        int entryAt = indexAt + (int) (i / EXTENT_STRIDE) * EXTENT_ENTRY;
        if (payload.longAt(entryAt) != offset || payload.intAt(entryAt + 8) != sizePosition) {
            throw new MetadataException(
                    "the index entry for extent object " + i + " does not match the object at " + offset);
        }
    }

    /** Checks the block count the parts hold against the footer's. */
    void checkBlockCount(long count) {
        if (count != blockCount) {
            throw new MetadataException("the record holds " + count + " blocks, its index says " + blockCount);
        }
    }

    /** Checks the {@code k}-th block against its directory entry. */
    void checkBlock(long k, int number, int classPosition) {
        int entryAt = blockDirAt + (int) k * BLOCK_ENTRY;
        if (payload.intAt(entryAt) != number || payload.intAt(entryAt + 4) != classPosition) {
            throw new MetadataException("the index entry for block " + k + " does not match block " + number);
        }
    }

    /** Checks the built allocator's totals against the footer's. */
    public void checkTotals(long objects, long bytes) {
        if (objects != liveObjects || bytes != liveBytes) {
            throw new MetadataException("the record holds " + objects + " live objects of " + bytes
                    + " bytes, its index says " + liveObjects + " of " + liveBytes);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Collects the directory entries while the allocators write their parts, then appends the
     * index and footer. One per sync; not thread-safe.
     */
    public static final class Builder {
        private final MetaWriter entries = new MetaWriter();
        private long extents;
        private long blocks;

        /** Before the extent objects: their number. */
        void extentCount(long count) {
            extents = count;
        }

        /** Extent object {@code i} (call for every object; the stride's are kept). */
        void extent(long i, long offset, int sizePosition) {
            if (i % EXTENT_STRIDE == 0) {
                entries.putLong(offset).putInt(sizePosition);
            }
        }

        /** A block, in number order. */
        void block(int number, int classPosition) {
            entries.putInt(number).putInt(classPosition);
            blocks++;
        }

        /** Appends the index and the footer to {@code out}, whose parts are complete. */
        public void writeTo(MetaWriter out, long liveObjects, long liveBytes) {
            if (extents > Integer.MAX_VALUE || out.length() > Integer.MAX_VALUE - entries.length() - FOOTER) {
                throw new IllegalStateException("metadata record larger than 2 GiB");
            }
            int indexAt = out.length();
            out.append(entries);
            out.putLong(liveObjects)
                    .putLong(liveBytes)
                    .putInt(indexAt)
                    .putInt((int) extents)
                    .putInt((int) blocks)
                    .putInt(MAGIC);
        }
    }
}
