package org.bobbob.store.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 *   u8 captured: 1 when the entry carries the bytes of the objects it names, then
 *   varint n, n × (varint id, varint size, size bytes)
 * </pre>
 * The bytes, when there are few enough ({@link AllocatorState#encodeRecord}), are each object's
 * bytes as of the commit, for every live object the entry allocates or changes the checksum of
 * (every write, overwrites included, ends by recording a checksum): with them in the entry, the
 * commit makes only the entry and its header slot durable, and leaves the objects' own bytes to
 * the next whole record's force, since a crash that lost or tore them finds them here.
 * {@link #replay} applies an entry's changes to an allocator built from the record before it.
 *
 * <h2>Kept only where a journal is</h2>
 * A store whose record is written whole by every commit (shorter than
 * {@link AllocatorState#JOURNAL_FROM}) needs no log: {@link #keep} turns it off, and then a change
 * costs one volatile read.
 *
 * <h2>Bounds</h2>
 * At most {@value #MAX_CHANGES} changes are kept; past that the log only notes that it is
 * incomplete, and the next commit writes a whole record (which needs no log). Four {@code long}s
 * a change, in segments of {@value #SEGMENT_CHANGES} changes (8 KiB): a large batch adds segments,
 * never copies the log nor asks for an array large enough to be a G1 humongous object (one that
 * doubled to 2 MiB did, in batches of tens of thousands of deletes); a clear keeps the first
 * {@value #KEPT_SEGMENTS} for the changes to come, so the hot path allocates nothing.
 *
 * <h2>Online backups</h2>
 * A backup describes its copy's state by the changes since the last commit ({@code BackupCopy}):
 * while it takes its sync point it {@link #holdAll holds} the log to up to {@value #HOLD_MAX}
 * changes (a commit still writes a whole record past {@value #MAX_CHANGES}), and it reads them
 * through a {@link #snapshot}, which costs nothing at the sync point: the log never writes over
 * the changes a snapshot shares (the first {@link #clear} after it starts new segments), so the
 * store's next commit still finds every change it needs.
 *
 * <p>Thread-safe: allocations and frees append under the store's metadata lock held exclusively,
 * checksums under it shared (overwrites of distinct objects run in parallel), so the log is its
 * own monitor. Its order is the store's: a checksum change of an object always follows the
 * allocation that made it and precedes the free that ends it.
 */
final class ChangeLog {
    /** Changes kept before the log gives up and the next commit writes a whole record. */
    static final int MAX_CHANGES = 1 << 16;
    /** Changes kept while {@link #holdAll held} (64 MiB of log): a backup's bound. */
    static final int HOLD_MAX = 1 << 21;

    private static final int ALLOCATED = 1;
    private static final int FREED = 2;
    private static final int CHECKSUM = 3;
    private static final int WORDS = 4;
    static final int SEGMENT_CHANGES = 256;
    private static final int SEGMENT_SHIFT = Integer.numberOfTrailingZeros(SEGMENT_CHANGES);
    /** Segments a clear keeps (128 KiB). */
    static final int KEPT_SEGMENTS = 16;

    /**
     * Per change: kind, id, size << 32 | crc, offset; change {@code i} in segment
     * {@code i / SEGMENT_CHANGES}. Segments past the last change may be null.
     */
    private long[][] segments = {new long[SEGMENT_CHANGES * WORDS]};

    private int count;
    private boolean complete = true;
    /** Whether changes are logged at all (see {@link #keep}); read without the monitor. */
    private volatile boolean kept = true;
    /** Whether the log is {@link #holdAll held}: on whatever {@link #keep} says, up to {@link #HOLD_MAX}. */
    private boolean held;
    /** Whether a {@link #snapshot} shares {@link #segments}: the next clear must not write over them. */
    private boolean shared;

    /**
     * Turns the log on or off (on, whatever {@code on} says, while it is {@link #holdAll held}),
     * emptied. The store calls it where no change can run meanwhile (at open, and under its
     * metadata lock when it encodes a whole record, which holds every change so far), so a log
     * that is on holds every change since.
     */
    synchronized void keep(boolean on) {
        kept = on || held;
        clear();
    }

    /**
     * Holds the log, or lets it go: while held, it keeps up to {@link #HOLD_MAX} changes instead
     * of {@link #MAX_CHANGES}, and the next {@link #keep} turns it on. An online backup holds it
     * while it takes its sync point, so that the changes since the last commit describe the state
     * there however many writers made meanwhile.
     */
    synchronized void holdAll(boolean on) {
        held = on;
    }

    /** An object was allocated: {@code id}, {@code size} bytes at {@code offset}, checksum {@code crc}. */
    void allocated(long id, int size, int crc, long offset) {
        if (kept) {
            append(ALLOCATED, id, (long) size << 32 | (crc & 0xFFFFFFFFL), offset);
        }
    }

    /** A live object was freed. */
    void freed(long id) {
        if (kept) {
            append(FREED, id, 0, 0);
        }
    }

    /** A live object's checksum became {@code crc}. */
    void checksum(long id, int crc) {
        if (kept) {
            append(CHECKSUM, id, crc & 0xFFFFFFFFL, 0);
        }
    }

    private synchronized void append(int kind, long id, long value, long offset) {
        if (!complete) {
            return;
        }
        if (count >= (held ? HOLD_MAX : MAX_CHANGES)) {
            complete = false;
            return;
        }
        int s = count >>> SEGMENT_SHIFT;
        if (s == segments.length) {
            segments = Arrays.copyOf(segments, s * 2);
        }
        long[] words = segments[s];
        if (words == null) {
            words = segments[s] = new long[SEGMENT_CHANGES * WORDS];
        }
        int at = (count & (SEGMENT_CHANGES - 1)) * WORDS;
        words[at] = kind;
        words[at + 1] = id;
        words[at + 2] = value;
        words[at + 3] = offset;
        count++;
    }

    /**
     * Whether the log is on and holds every change since the last {@link #clear}, and no more than
     * {@link #MAX_CHANGES}: what a commit's journal entry needs.
     */
    synchronized boolean complete() {
        return kept && complete && count <= MAX_CHANGES;
    }

    /** Whether the log is on and holds every change since the last {@link #clear}, however many. */
    synchronized boolean whole() {
        return kept && complete;
    }

    /** Appends the changes in entry form. */
    synchronized void writeTo(MetaWriter out) {
        writeTo(segments, count, out);
    }

    /**
     * The changes logged so far, without copying them (only the list of their segments): the log
     * never writes over them afterwards (appends go past them, and the next {@link #clear} starts
     * new segments), so the snapshot reads them as they are now, from any thread, however the log
     * goes on.
     */
    synchronized Snapshot snapshot() {
        shared = true;
        return new Snapshot(segments.clone(), count);
    }

    /** The first {@code count} changes of a log's segments, which nothing writes any more. */
    static final class Snapshot {
        private final long[][] segments;
        private final int count;

        private Snapshot(long[][] segments, int count) {
            this.segments = segments;
            this.count = count;
        }

        /** How many changes it holds. */
        int count() {
            return count;
        }

        /** Appends the changes in entry form, as {@link ChangeLog#writeTo} does. */
        void writeTo(MetaWriter out) {
            ChangeLog.writeTo(segments, count, out);
        }
    }

    private static void writeTo(long[][] segments, int count, MetaWriter out) {
        out.putVarLong(count);
        for (int i = 0; i < count; i++) {
            long[] words = segments[i >>> SEGMENT_SHIFT];
            int at = (i & (SEGMENT_CHANGES - 1)) * WORDS;
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

    /**
     * The ids of the objects allocated or given a checksum since the last clear, each once, in
     * increasing order: the objects whose bytes changed since the last commit.
     */
    synchronized long[] touched() {
        long[] ids = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            long[] words = segments[i >>> SEGMENT_SHIFT];
            int at = (i & (SEGMENT_CHANGES - 1)) * WORDS;
            int kind = (int) words[at];
            if (kind == ALLOCATED || kind == CHECKSUM) {
                ids[n++] = words[at + 1];
            }
        }
        Arrays.sort(ids, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || ids[unique - 1] != ids[i]) {
                ids[unique++] = ids[i];
            }
        }
        return Arrays.copyOf(ids, unique);
    }

    /** Forgets every change: a commit took them (or a whole record made them moot). */
    synchronized void clear() {
        count = 0;
        complete = true;
        if (shared) {
            segments = new long[][] {new long[SEGMENT_CHANGES * WORDS]}; // a snapshot keeps the old ones
            shared = false;
        } else if (segments.length > KEPT_SEGMENTS) {
            segments = Arrays.copyOf(segments, KEPT_SEGMENTS);
        }
    }

    /** An object's bytes carried by a journal entry: a view of the entry. */
    record Captured(long id, java.nio.ByteBuffer bytes) {}

    /**
     * Applies one entry's changes (what {@link #writeTo} wrote, then its captured bytes) to
     * {@code allocator}, which was built from the record and the entries before.
     *
     * @return the objects' bytes the entry carries (views of it); null if it carries none (its
     *     commit forced every object's bytes)
     * @throws MetadataException if a change does not fit the state: an allocation where an object
     *     lives, the free or checksum of an object that does not
     */
    static List<Captured> replay(MetaReader in, ObjectAllocator allocator) {
        applyChanges(in, allocator);
        int captured = in.getByte();
        if (captured == 0) {
            return null;
        }
        if (captured != 1) {
            throw new MetadataException("a journal entry has a bad captured flag " + captured);
        }
        int n = in.getVarInt(in.remaining(), "captured objects");
        List<Captured> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long id = in.getVarLong();
            int size = in.getVarInt(in.remaining(), "captured size");
            out.add(new Captured(id, in.bytes(size)));
        }
        return out;
    }

    private static void applyChanges(MetaReader in, ObjectAllocator allocator) {
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
