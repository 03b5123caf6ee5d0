package org.bobbob.store.internal.alloc;

import java.util.Arrays;
import java.util.Comparator;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * Small objects in fixed-size slots, grouped in blocks of one {@link SizeClasses size class}.
 *
 * <h2>Layout</h2>
 * A block is one range of the file, taken from the {@link FileSpace}, cut into
 * {@code slotsPerBlock(c)} slots of {@code slotSize(c)} bytes. In memory a block keeps, per slot:
 * <pre>
 *   taken   1 bit   live, or freed but not reusable until the freeing sync is durable
 *   live    1 bit   a current object
 *   dirty   1 bit   may hold old bytes (must be zero-filled if the new object is not fully written)
 *   length  2 bytes the object's logical size (what a read returns)
 *   crc     4 bytes the CRC32C of the object's bytes (0: none known)
 *   check   4 bytes the check of the object's id, only in a block whose live objects come from
 *           more than one generation (one check for the whole block otherwise)
 * </pre>
 * so bookkeeping is about 6.4 bytes per slot (10.4 in a mixed block), not an object per id.
 *
 * <h2>Ids</h2>
 * A slot id ({@link ObjectIds}) holds the block number (an index into {@code blocks}), the slot
 * index and a check: a look-up answers only when the id's check is the slot's.
 *
 * <h2>Allocation</h2>
 * <ol>
 *   <li>Route the size to its class {@code c}.
 *   <li>Take the first block on class {@code c}'s list of blocks with an untaken slot; if there
 *       is none, take a new block from the file space and list it.
 *   <li>Take its lowest untaken slot (a scan of at most 16 bitmap words); unlist the block when
 *       it becomes full.
 * </ol>
 * Freeing clears the live bit and parks the id; {@link #releaseFreed} clears the taken bit once
 * the sync that recorded the free is durable, relists a block that was full, and returns a block
 * with no taken slot to the file space at once (no durable state names a live object in it).
 *
 * <h2>Persisted form</h2>
 * Blocks with at least one live slot, in number order, each as
 * <pre>
 *   varint number, varint class, varint offset, varint liveCount,
 *   ceil(slots / 64) × u64 live bitmap (bit s of word s / 64: slot s is live),
 *   liveCount × u16 length, in slot order
 *   varint checks: check &lt;&lt; 1 when every live slot has that check, else 1 and then
 *     liveCount × u24 check, in slot order
 *   liveCount × u32 crc, in slot order
 * </pre>
 * preceded by a varint block count, and each named in the {@link RecordIndex}: a slot's length
 * check and crc are found in place from its rank in the bitmap. (Format 2 had no checks and crcs: they are 0.
 * Format 1 wrote the slots as varint gaps and lengths. Both are still read.)
 *
 * <h2>Why one class of some 520 lines</h2>
 * Allocation, freeing, the release of parked slots and both persisted forms work on the same
 * per-block arrays (bitmaps, lengths, class lists); the persisted form is those arrays' own
 * layout, so writing and reading it belong with them.
 *
 * <p>Not thread-safe: the store guards it with its metadata lock. {@link #locate} tolerates a
 * racing mutation as {@link ObjectAllocator} requires.
 */
public final class BlockAllocator {

    static final class Block {
        final int number;
        final int sizeClass;
        final int slotSize;
        final int slots;
        final long offset;
        final long[] taken;
        final long[] live;
        final long[] dirty;
        final char[] lengths;
        final int[] crcs;
        /**
         * Per slot, the check of its object; null while every live slot has {@link #check} (a block
         * filled in one generation, the common case, spends nothing on checks).
         */
        int[] checks;

        int check;
        int takenCount;
        int liveCount;
        Block prev;
        Block next;
        boolean listed;

        Block(int number, int sizeClass, long offset, boolean fresh) {
            this.number = number;
            this.sizeClass = sizeClass;
            this.slotSize = SizeClasses.slotSize(sizeClass);
            this.slots = SizeClasses.slotsPerBlock(sizeClass);
            this.offset = offset;
            int words = (slots + 63) >>> 6;
            this.taken = new long[words];
            this.live = new long[words];
            this.dirty = new long[words];
            this.lengths = new char[slots];
            this.crcs = new int[slots];
            if (!fresh) {
                Arrays.fill(dirty, -1L);
            }
        }

        long bytes() {
            return (long) slotSize * slots;
        }

        static boolean bit(long[] bits, int i) {
            return (bits[i >>> 6] & (1L << i)) != 0;
        }

        static void set(long[] bits, int i) {
            bits[i >>> 6] |= 1L << i;
        }

        static void clear(long[] bits, int i) {
            bits[i >>> 6] &= ~(1L << i);
        }

        int checkOf(int slot) {
            int[] c = checks;
            return c != null ? c[slot] : check;
        }

        /** Records {@code slot}'s check; caller then counts the slot live. */
        void setCheck(int slot, int value) {
            if (liveCount == 0) {
                checks = null; // no other live slot: one check for the block again
                check = value;
            } else if (checks != null) {
                checks[slot] = value;
            } else if (value != check) {
                int[] c = new int[slots];
                Arrays.fill(c, check);
                c[slot] = value;
                checks = c;
            }
        }

        int firstUntaken() {
            for (int w = 0; w < taken.length; w++) {
                long free = ~taken[w];
                if (free != 0) {
                    int slot = (w << 6) + Long.numberOfTrailingZeros(free);
                    return slot < slots ? slot : -1;
                }
            }
            return -1;
        }
    }

    private final FileSpace space;
    private final Generation generation;
    /** Blocks by number; replaced (never resized in place) so a racing reader sees a whole array. */
    private Block[] blocks = new Block[16];

    private int nextNumber;
    private int[] freeNumbers = new int[8];
    private int freeNumberCount;
    /** Per class: the head of a doubly linked list of blocks with an untaken slot. */
    private final Block[] partial = new Block[SizeClasses.count()];

    private long[] parkedIds = new long[16];
    private int parked;
    /** Bytes of the slots in {@link #parkedIds}. */
    private long parkedBytes;

    private long liveObjects;
    private long liveBytes;
    private int blockCount;

    public BlockAllocator(FileSpace space, Generation generation) {
        this.space = space;
        this.generation = generation;
    }

    /** Allocates an object of {@code size <= MAX_SLOT_SIZE} bytes whose CRC32C is {@code crc}. */
    public void allocate(int size, int crc, Location out) {
        int c = SizeClasses.classOf(size);
        Block b = partial[c];
        if (b == null) {
            b = newBlock(c);
        }
        int slot = b.firstUntaken();
        assert slot >= 0 : "listed block " + b.number + " is full";
        Block.set(b.taken, slot);
        Block.set(b.live, slot);
        out.fresh = !Block.bit(b.dirty, slot);
        Block.set(b.dirty, slot);
        b.lengths[slot] = (char) size;
        b.crcs[slot] = crc;
        int check = generation.value() & ObjectIds.SLOT_CHECK_MASK;
        b.setCheck(slot, check);
        b.takenCount++;
        b.liveCount++;
        if (b.takenCount == b.slots) {
            unlist(b);
        }
        liveObjects++;
        liveBytes += size;
        out.id = ObjectIds.slotId(b.number, slot, check);
        out.offset = b.offset + (long) slot * b.slotSize;
        out.size = size;
        out.allocatedSize = b.slotSize;
        // Every slot: the block's next free slots are refilled one after another, and the write
        // cache reads the block's stretch of the file once and writes it back with one call
        // (measured, W7's churn: 9 400 writes of 1-4 KiB slots one by one cost more than the
        // 64 KiB units of the file their blocks lie in, read and written back).
        out.clustered = true;
        out.crc = crc;
    }

    /** See {@link ObjectAllocator#setCrc}. */
    public boolean setCrc(long id, int crc) {
        Block b = liveBlock(blocks, id);
        if (b == null) {
            return false;
        }
        b.crcs[ObjectIds.slot(id)] = crc;
        return true;
    }

    private Block newBlock(int c) {
        long bytes = (long) SizeClasses.slotSize(c) * SizeClasses.slotsPerBlock(c);
        long offset = space.allocate(bytes);
        Block b = new Block(takeNumber(), c, offset, space.lastWasFresh());
        install(b);
        list(b);
        return b;
    }

    private int takeNumber() {
        if (freeNumberCount > 0) {
            return freeNumbers[--freeNumberCount];
        }
        if (nextNumber > ObjectIds.MAX_BLOCK_NUMBER) {
            throw new SpaceExhaustedException("more than " + ObjectIds.MAX_BLOCK_NUMBER + " blocks");
        }
        return nextNumber++;
    }

    private void install(Block b) {
        if (b.number >= blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.max(blocks.length * 2, b.number + 1));
        }
        blocks[b.number] = b;
        blockCount++;
    }

    private void list(Block b) {
        Block head = partial[b.sizeClass];
        b.prev = null;
        b.next = head;
        if (head != null) {
            head.prev = b;
        }
        partial[b.sizeClass] = b;
        b.listed = true;
    }

    private void unlist(Block b) {
        if (b.prev != null) {
            b.prev.next = b.next;
        } else {
            partial[b.sizeClass] = b.next;
        }
        if (b.next != null) {
            b.next.prev = b.prev;
        }
        b.prev = null;
        b.next = null;
        b.listed = false;
    }

    /** See {@link ObjectAllocator#locate}. */
    public boolean locate(long id, Location out) {
        Block b = liveBlock(blocks, id);
        if (b == null) {
            return false;
        }
        int slot = ObjectIds.slot(id);
        out.id = id;
        out.offset = b.offset + (long) slot * b.slotSize;
        out.size = b.lengths[slot];
        out.allocatedSize = b.slotSize;
        out.crc = b.crcs[slot];
        return true;
    }

    /** The block of {@code id} if {@code id} names a live object in it (slot live, check equal), else null. */
    private static Block liveBlock(Block[] bs, long id) {
        if (!ObjectIds.isSlot(id)) {
            return null;
        }
        long number = ObjectIds.blockNumber(id);
        int slot = ObjectIds.slot(id);
        if (number >= bs.length) {
            return null;
        }
        Block b = bs[(int) number];
        if (b == null || slot >= b.slots || !Block.bit(b.live, slot) || b.checkOf(slot) != ObjectIds.slotCheck(id)) {
            return null;
        }
        return b;
    }

    /** See {@link ObjectAllocator#free}. */
    public boolean free(long id) {
        if (!freeKeepingSpace(id)) {
            return false;
        }
        park(id);
        return true;
    }

    /** See {@link ObjectAllocator#freeKeepingSpace}: the slot stays taken until {@link #releaseKept}. */
    public boolean freeKeepingSpace(long id) {
        Block b = liveBlock(blocks, id);
        if (b == null) {
            return false;
        }
        int slot = ObjectIds.slot(id);
        Block.clear(b.live, slot);
        b.liveCount--;
        liveObjects--;
        liveBytes -= b.lengths[slot];
        generation.freed(b.checkOf(slot), ObjectIds.SLOT_CHECK_MASK);
        return true;
    }

    /** See {@link ObjectAllocator#releaseKept}. */
    public void releaseKept(long id) {
        park(id);
    }

    private void park(long id) {
        if (parked == parkedIds.length) {
            parkedIds = Arrays.copyOf(parkedIds, parked * 2);
        }
        parkedIds[parked++] = id;
        parkedBytes += blocks[(int) ObjectIds.blockNumber(id)].slotSize;
    }

    /** See {@link ObjectAllocator#parkedBytes}. */
    public long parkedBytes() {
        return parkedBytes;
    }

    public long freedMark() {
        return parked;
    }

    /**
     * Makes the slots parked before {@code mark} untaken. A block that was full is listed again,
     * and the blocks listed again are put at the head of their class's list in file order, lowest
     * first: each class then refills its freed slots in file order, and since every class made its
     * blocks in file order at the pace its objects came, the classes refill side by side through the
     * same stretch of the file, where the write cache gathers them ({@code CombiningStoreFile}),
     * rather than each at places the order of the deletes chose.
     */
    public void releaseFreed(long mark) {
        int m = (int) mark;
        Block[] relisted = null;
        int relistedCount = 0;
        for (int i = 0; i < m; i++) {
            long id = parkedIds[i];
            Block b = blocks[(int) ObjectIds.blockNumber(id)];
            int slot = ObjectIds.slot(id);
            assert b != null && Block.bit(b.taken, slot) && !Block.bit(b.live, slot) : "parked id " + id;
            parkedBytes -= b.slotSize;
            Block.clear(b.taken, slot);
            b.takenCount--;
            if (b.takenCount == 0) {
                retire(b);
            } else if (!b.listed && b.takenCount == b.slots - 1) { // was full: its first slot freed
                if (relisted == null) {
                    relisted = new Block[Math.min(m, blockCount)];
                }
                relisted[relistedCount++] = b;
            }
        }
        int kept = 0;
        for (int i = 0; i < relistedCount; i++) {
            if (relisted[i].takenCount > 0) { // else retired meanwhile
                relisted[kept++] = relisted[i];
            }
        }
        listInFileOrder(relisted, kept);
        System.arraycopy(parkedIds, m, parkedIds, 0, parked - m);
        parked -= m;
    }

    private static final Comparator<Block> BY_OFFSET = Comparator.comparingLong(b -> b.offset);

    /**
     * Lists the first {@code n} blocks of {@code bs} (none listed yet) at the head of their
     * classes' lists, lowest offset first: the order {@link #releaseFreed} explains, the same
     * after a sync, after opening and after a journal's replay.
     */
    private void listInFileOrder(Block[] bs, int n) {
        if (n == 0) {
            return;
        }
        Arrays.sort(bs, 0, n, BY_OFFSET);
        for (int i = n - 1; i >= 0; i--) { // pushed at the head: the lowest ends first
            list(bs[i]);
        }
    }

    /** Lists every installed block with a free slot, in file order: after opening or a journal's replay. */
    private void listBlocksWithFreeSlots() {
        Block[] withFreeSlots = new Block[blockCount];
        int n = 0;
        for (Block b : blocks) {
            if (b != null && b.takenCount < b.slots) {
                withFreeSlots[n++] = b;
            }
        }
        listInFileOrder(withFreeSlots, n);
    }

    private void retire(Block b) {
        if (b.listed) {
            unlist(b);
        }
        blocks[b.number] = null;
        blockCount--;
        if (freeNumberCount == freeNumbers.length) {
            freeNumbers = Arrays.copyOf(freeNumbers, freeNumberCount * 2);
        }
        freeNumbers[freeNumberCount++] = b.number;
        space.freeNow(b.offset, b.bytes());
    }

    /** Words of a bitmap of {@code slots} bits. */
    static int bitmapWords(int slots) {
        return (slots + 63) >>> 6;
    }

    /** Every live slot, block by block in number order, slots in order: see {@link ObjectAllocator#forEachLive}. */
    public void forEachLive(ObjectAllocator.LiveObjectConsumer action) {
        for (Block b : blocks) {
            if (b == null || b.liveCount == 0) {
                continue;
            }
            for (int w = 0; w < b.live.length; w++) {
                for (long bits = b.live[w]; bits != 0; bits &= bits - 1) {
                    int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
                    action.accept(
                            ObjectIds.slotId(b.number, slot, b.checkOf(slot)),
                            b.offset + (long) slot * b.slotSize,
                            b.lengths[slot],
                            b.crcs[slot]);
                }
            }
        }
    }

    /** See {@link ObjectAllocator#freeSlotsByClass}. */
    public long[] freeSlotsByClass() {
        long[] free = new long[SizeClasses.count()];
        for (Block b : blocks) {
            if (b != null) {
                free[b.sizeClass] += b.slots - b.liveCount;
            }
        }
        return free;
    }

    public void write(MetaWriter out, RecordIndex.Builder index) {
        int count = 0;
        for (Block b : blocks) {
            if (b != null && b.liveCount > 0) {
                count++;
            }
        }
        out.putVarLong(count);
        for (Block b : blocks) {
            if (b == null || b.liveCount == 0) {
                continue;
            }
            out.putVarLong(b.number);
            index.block(b.number, out.length());
            out.putVarLong(b.sizeClass).putVarLong(b.offset).putVarLong(b.liveCount);
            for (long word : b.live) {
                out.putLong(word);
            }
            for (int w = 0; w < b.live.length; w++) {
                for (long bits = b.live[w]; bits != 0; bits &= bits - 1) {
                    out.putShort(b.lengths[(w << 6) + Long.numberOfTrailingZeros(bits)]);
                }
            }
            if (b.checks == null) {
                out.putVarLong((long) b.check << 1); // one check for every live slot
            } else {
                out.putVarLong(1);
                for (int w = 0; w < b.live.length; w++) {
                    for (long bits = b.live[w]; bits != 0; bits &= bits - 1) {
                        out.putMedium(b.checkOf((w << 6) + Long.numberOfTrailingZeros(bits)));
                    }
                }
            }
            for (int w = 0; w < b.live.length; w++) {
                for (long bits = b.live[w]; bits != 0; bits &= bits - 1) {
                    out.putInt(b.crcs[(w << 6) + Long.numberOfTrailingZeros(bits)]);
                }
            }
        }
    }

    /**
     * Reads what {@link #write} wrote in format {@code version} (1: slots as varint gaps and
     * lengths; 2: a live bitmap and u16 lengths; 3: and u24 checks), adding each block's extent to
     * {@code used} and listing the blocks with a free slot in file order ({@link #listInFileOrder}).
     * With an {@code index}, checks its entries against what it reads.
     */
    public static BlockAllocator read(RecordParts parts) {
        BlockAllocator a = new BlockAllocator(parts.space(), parts.generation());
        long count = parts.in().getVarLong(parts.in().remaining() / 4, "block count");
        if (parts.index() != null) {
            parts.index().checkBlockCount(count);
        }
        int maxNumber = -1;
        int prevNumber = -1;
        for (long i = 0; i < count; i++) {
            int number = parts.in().getVarInt(ObjectIds.MAX_BLOCK_NUMBER, "block number");
            if (parts.index() != null) {
                parts.index().checkBlock(i, number, parts.in().position());
            }
            int c = parts.in().getVarInt(SizeClasses.count() - 1, "size class");
            long offset = parts.in().getVarLong(parts.end(), "block offset");
            Block b = new Block(number, c, offset, false);
            if (offset + b.bytes() > parts.end()) {
                throw new MetadataException("block " + number + " ends past the allocator end " + parts.end());
            }
            if (number < a.blocks.length && a.blocks[number] != null) {
                throw new MetadataException("block number " + number + " appears twice");
            }
            if (parts.version() >= 2 && number <= prevNumber) {
                throw new MetadataException("block " + number + " after block " + prevNumber + ": not in number order");
            }
            prevNumber = number;
            int live = parts.in().getVarInt(b.slots, "live slot count");
            a.liveBytes += parts.version() >= 2
                    ? readSlots(parts.in(), b, live, parts.version() >= 3)
                    : readSlotsV1(parts.in(), b, live);
            b.takenCount = live;
            b.liveCount = live;
            a.liveObjects += live;
            a.install(b);
            parts.used().add(offset, b.bytes());
            maxNumber = Math.max(maxNumber, number);
        }
        a.listBlocksWithFreeSlots();
        a.numberFrom(maxNumber);
        return a;
    }

    /** Numbers above {@code maxNumber} are new; the unused ones below it are taken first. */
    private void numberFrom(int maxNumber) {
        nextNumber = maxNumber + 1;
        freeNumberCount = 0;
        for (int n = maxNumber - 1; n >= 0; n--) {
            if (blocks[n] == null) {
                if (freeNumberCount == freeNumbers.length) {
                    freeNumbers = Arrays.copyOf(freeNumbers, freeNumberCount * 2);
                }
                freeNumbers[freeNumberCount++] = n;
            }
        }
    }

    /**
     * See {@link ObjectAllocator#replayAllocated}: the block of a slot id that has no block, or
     * whose block is empty and of another class or place, is made at the place {@code offset}
     * implies (the live store made it there after retiring the one before).
     */
    public void replayAllocated(long id, int size, int crc, long offset) {
        if (!ObjectIds.isSlot(id) || size < 0 || size > SizeClasses.MAX_SLOT_SIZE) {
            throw new MetadataException("the journal allocates " + id + " of " + size + " bytes, not a slot object");
        }
        int number = (int) ObjectIds.blockNumber(id);
        int slot = ObjectIds.slot(id);
        int c = SizeClasses.classOf(size);
        long blockOffset = offset - (long) slot * SizeClasses.slotSize(c);
        if (slot >= SizeClasses.slotsPerBlock(c) || blockOffset < space.start()) {
            throw new MetadataException("the journal places slot object " + id + " at " + offset);
        }
        Block b = number < blocks.length ? blocks[number] : null;
        if (b != null && (b.sizeClass != c || b.offset != blockOffset)) {
            if (b.liveCount > 0) {
                throw new MetadataException("the journal puts slot object " + id + " in block " + number + " at "
                        + blockOffset + ", which lives at " + b.offset);
            }
            blocks[number] = null;
            blockCount--;
            b = null;
        }
        if (b == null) {
            b = new Block(number, c, blockOffset, false);
            install(b);
        }
        if (Block.bit(b.live, slot)) {
            throw new MetadataException("the journal allocates " + id + " where an object lives");
        }
        Block.set(b.taken, slot);
        Block.set(b.live, slot);
        b.lengths[slot] = (char) size;
        b.crcs[slot] = crc;
        b.setCheck(slot, ObjectIds.slotCheck(id));
        b.takenCount++;
        b.liveCount++;
        liveObjects++;
        liveBytes += size;
    }

    /** See {@link ObjectAllocator#replayFreed}. */
    public void replayFreed(long id) {
        Block b = liveBlock(blocks, id);
        if (b == null) {
            throw new MetadataException("the journal frees " + id + ", not a live object");
        }
        int slot = ObjectIds.slot(id);
        Block.clear(b.live, slot);
        Block.clear(b.taken, slot);
        b.takenCount--;
        b.liveCount--;
        liveObjects--;
        liveBytes -= b.lengths[slot];
    }

    /**
     * See {@link ObjectAllocator#replayed}: drops the blocks left empty (their space is free, as
     * the live store's retiring made it), lists every block with a free slot again, in file order
     * ({@link #listInFileOrder}), renumbers, and adds the blocks' extents to {@code used}.
     */
    public void replayed(ExtentList used) {
        Arrays.fill(partial, null);
        int maxNumber = -1;
        for (int n = 0; n < blocks.length; n++) {
            Block b = blocks[n];
            if (b == null) {
                continue;
            }
            b.prev = null;
            b.next = null;
            b.listed = false;
            if (b.liveCount == 0) {
                blocks[n] = null;
                blockCount--;
                continue;
            }
            used.add(b.offset, b.bytes());
            maxNumber = n;
        }
        listBlocksWithFreeSlots();
        numberFrom(maxNumber);
    }

    /**
     * Formats 2 and 3: the live bitmap, then one u16 length per live slot in slot order, then (with
     * {@code checks}, format 3) one u24 check and then one u32 crc per live slot. Returns the
     * lengths' sum.
     */
    private static long readSlots(MetaReader in, Block b, int live, boolean checks) {
        int bits = 0;
        for (int w = 0; w < b.live.length; w++) {
            long word = in.getLong();
            b.live[w] = word;
            b.taken[w] = word;
            bits += Long.bitCount(word);
        }
        int tail = b.slots & 63;
        if (bits != live || (tail != 0 && b.live[b.live.length - 1] >>> tail != 0)) {
            throw new MetadataException("block " + b.number + " has a bitmap of " + bits + " live slots of " + b.slots
                    + " for a live count of " + live);
        }
        long bytes = 0;
        for (int w = 0; w < b.live.length; w++) {
            for (long word = b.live[w]; word != 0; word &= word - 1) {
                int length = in.getShort();
                if (length > b.slotSize) {
                    throw new MetadataException("object length " + length + " exceeds " + b.slotSize);
                }
                b.lengths[(w << 6) + Long.numberOfTrailingZeros(word)] = (char) length;
                bytes += length;
            }
        }
        long checkMode = checks ? in.getVarLong((long) ObjectIds.SLOT_CHECK_MASK << 1, "block check") : 0;
        if ((checkMode & 1) == 0) {
            b.check = (int) (checkMode >>> 1); // one check for every live slot (0 before format 3)
        } else {
            b.checks = new int[b.slots];
            for (int w = 0; w < b.live.length; w++) {
                for (long word = b.live[w]; word != 0; word &= word - 1) {
                    int check = in.getMedium();
                    if (check > ObjectIds.SLOT_CHECK_MASK) {
                        throw new MetadataException(
                                "object check " + check + " has more than " + ObjectIds.SLOT_CHECK_BITS + " bits");
                    }
                    b.checks[(w << 6) + Long.numberOfTrailingZeros(word)] = check;
                }
            }
        }
        for (int w = 0; checks && w < b.live.length; w++) {
            for (long word = b.live[w]; word != 0; word &= word - 1) {
                b.crcs[(w << 6) + Long.numberOfTrailingZeros(word)] = in.getInt();
            }
        }
        return bytes;
    }

    /** Format 1: {@code live} × (varint slot gap, varint length). Returns the lengths' sum. */
    private static long readSlotsV1(MetaReader in, Block b, int live) {
        long bytes = 0;
        int slot = -1;
        for (int k = 0; k < live; k++) {
            slot += 1 + in.getVarInt(b.slots, "slot gap");
            if (slot >= b.slots) {
                throw new MetadataException("block " + b.number + " names slot " + slot + " of " + b.slots);
            }
            int length = in.getVarInt(b.slotSize, "object length");
            Block.set(b.taken, slot);
            Block.set(b.live, slot);
            b.lengths[slot] = (char) length;
            bytes += length;
        }
        return bytes;
    }

    public long liveObjects() {
        return liveObjects;
    }

    public long liveBytes() {
        return liveBytes;
    }

    public int blockCount() {
        return blockCount;
    }

    /** Heap bytes of bookkeeping, estimated from array sizes (object headers included). */
    public long footprintBytes() {
        long sum = 16L + blocks.length * 4L + freeNumbers.length * 4L + parkedIds.length * 8L;
        for (Block b : blocks) {
            if (b != null) {
                int words = b.taken.length;
                sum += 64
                        + 3 * (16 + words * 8L)
                        + 16
                        + b.slots * 2L
                        + 16
                        + b.slots * 4L
                        + (b.checks != null ? 16 + b.slots * 4L : 0);
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "BlockAllocator[blocks=" + blockCount + ", live=" + liveObjects + ", liveBytes=" + liveBytes + "]";
    }
}
