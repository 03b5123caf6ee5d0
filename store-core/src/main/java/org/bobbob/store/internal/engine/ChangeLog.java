package org.bobbob.store.internal.engine;

import java.util.Arrays;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.ObjectIds;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.format.MetadataException;

/**
 * The allocator changes since the last commit, in the order they happened, for the journal entry
 * that a commit writes instead of a whole metadata record (docs/FORMAT.md, <i>Journal</i>): a
 * commit then costs what changed, not what the store holds.
 *
 * <h2>Entry form</h2>
 * <pre>
 *   varint count
 *   count × (u8 kind, varint id, then by kind:
 *     1 allocated   varint size, u32 crc; a slot id also: varint offset (the object's, in the file)
 *     2 freed       nothing
 *     3 checksum    u32 crc)
 * </pre>
 * {@link #replay} applies an entry's changes to an allocator built from the record before it.
 *
 * <h2>Bounds</h2>
 * At most {@value #MAX_CHANGES} changes are kept; past that the log only notes that it is
 * incomplete, and the next commit writes a whole record (which needs no log). Four {@code long}s
 * a change, in one array that grows by doubling and is dropped back to its small size when a
 * large batch was cleared, so the hot path allocates nothing.
 *
 * <p>Thread-safe: allocations and frees append under the store's metadata lock held exclusively,
 * checksums under it shared (overwrites of distinct objects run in parallel), so the log is its
 * own monitor. Its order is the store's: a checksum change of an object always follows the
 * allocation that made it and precedes the free that ends it.
 */
final class ChangeLog {
    /** Changes kept before the log gives up and the next commit writes a whole record. */
    static final int MAX_CHANGES = 1 << 16;

    private static final int ALLOCATED = 1;
    private static final int FREED = 2;
    private static final int CHECKSUM = 3;
    private static final int WORDS = 4;
    private static final int SMALL = 256 * WORDS;

    /** Per change: kind, id, size << 32 | crc, offset. */
    private long[] words = new long[SMALL];

    private int count;
    private boolean complete = true;

    /** An object was allocated: {@code id}, {@code size} bytes at {@code offset}, checksum {@code crc}. */
    synchronized void allocated(long id, int size, int crc, long offset) {
        append(ALLOCATED, id, (long) size << 32 | (crc & 0xFFFFFFFFL), offset);
    }

    /** A live object was freed. */
    synchronized void freed(long id) {
        append(FREED, id, 0, 0);
    }

    /** A live object's checksum became {@code crc}. */
    synchronized void checksum(long id, int crc) {
        append(CHECKSUM, id, crc & 0xFFFFFFFFL, 0);
    }

    private void append(int kind, long id, long value, long offset) {
        if (!complete) {
            return;
        }
        if (count == MAX_CHANGES) {
            complete = false;
            return;
        }
        int at = count * WORDS;
        if (at + WORDS > words.length) {
            words = Arrays.copyOf(words, words.length * 2);
        }
        words[at] = kind;
        words[at + 1] = id;
        words[at + 2] = value;
        words[at + 3] = offset;
        count++;
    }

    /** Whether every change since the last {@link #clear} is in the log. */
    synchronized boolean complete() {
        return complete;
    }

    /** Appends the changes in entry form. */
    synchronized void writeTo(MetaWriter out) {
        out.putVarLong(count);
        for (int i = 0; i < count; i++) {
            int at = i * WORDS;
            int kind = (int) words[at];
            long id = words[at + 1];
            long value = words[at + 2];
            out.putByte(kind).putVarLong(id);
            if (kind == ALLOCATED) {
                out.putVarLong(value >>> 32).putInt((int) value);
                if (ObjectIds.isSlot(id)) {
                    out.putVarLong(words[at + 3]);
                }
            } else if (kind == CHECKSUM) {
                out.putInt((int) value);
            }
        }
    }

    /** Forgets every change: a commit took them (or a whole record made them moot). */
    synchronized void clear() {
        count = 0;
        complete = true;
        if (words.length > SMALL * 16) {
            words = new long[SMALL];
        }
    }

    /**
     * Applies one entry's changes (what {@link #writeTo} wrote) to {@code allocator}, which was
     * built from the record and the entries before.
     *
     * @throws MetadataException if a change does not fit the state: an allocation where an object
     *     lives, the free or checksum of an object that does not
     */
    static void replay(MetaReader in, ObjectAllocator allocator) {
        int changes = in.getVarInt(in.remaining(), "journal changes");
        for (int i = 0; i < changes; i++) {
            int kind = in.getByte();
            long id = in.getVarLong();
            switch (kind) {
                case ALLOCATED -> {
                    int size = in.getVarInt(Integer.MAX_VALUE, "object size");
                    int crc = in.getInt();
                    long offset = ObjectIds.isSlot(id) ? in.getVarLong(ObjectIds.MAX_FILE_END, "slot offset") : 0;
                    allocator.replayAllocated(id, size, crc, offset);
                }
                case FREED -> allocator.replayFreed(id);
                case CHECKSUM -> {
                    int crc = in.getInt();
                    if (!allocator.setCrc(id, crc)) {
                        throw new MetadataException("the journal sets the checksum of " + id + ", not a live object");
                    }
                }
                default -> throw new MetadataException("the journal names a change of unknown kind " + kind);
            }
        }
    }
}
