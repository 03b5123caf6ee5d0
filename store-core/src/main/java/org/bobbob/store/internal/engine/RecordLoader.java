package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.alloc.ExtentList;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.alloc.Generation;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.internal.alloc.ObjectAllocator;
import org.bobbob.store.internal.alloc.ObjectIds;
import org.bobbob.store.internal.alloc.RecordIndex;
import org.bobbob.store.internal.alloc.RecordParts;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.Journal;
import org.bobbob.store.internal.format.MetaReader;
import org.bobbob.store.internal.format.MetaRecord;
import org.bobbob.store.internal.format.MetadataException;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.support.Errors;

/**
 * The "Opening" part of {@link FileStore}: finds the newest valid header slot, reads and checks the
 * record it names, and either keeps the record for look-ups (formats 2 and 3: its index answers them) or
 * builds the allocator state at once (format 1). {@link #build} is also the lazy build that
 * {@link AllocatorState} runs on the first change. Stateless.
 */
final class RecordLoader {
    /**
     * Metadata records take space in steps of this many bytes, so that the next record, a little
     * larger or smaller, fits the hole of the one before it rather than growing the file.
     */
    static final int RECORD_GRANULE = 4096;

    private RecordLoader() {}

    /** What a store opened in format 2 or 3 builds its allocator from, when it first needs it. */
    record Unbuilt(MetaReader parts, int version, RecordIndex index, long end) {}

    /** Bytes set aside for a record of {@code length} bytes. */
    static long recordExtent(int length) {
        return (length + RECORD_GRANULE - 1L) / RECORD_GRANULE * RECORD_GRANULE;
    }

    /**
     * Opens the record the newest valid header slot of {@code file} ({@code size} bytes long) names,
     * and the journal entries after it (format 5 on), into {@code state}. A record with an index reads its footer and stops there: look-ups are answered
     * from the record in place and the allocator state is built on first need, so opening costs the
     * same for any number of objects (formats 2 and 3). Format 1 has no index and is built at once. Cuts off bytes
     * past the allocator end.
     *
     * Reads only: what opening must then write to the file (a short file extended, the last
     * entry's bytes written again, bytes past the end cut) is {@link #settle}'s, so that
     * {@link FileCheck} can load a file it must not change.
     *
     * @return the header slot it opened, and what {@link #settle} needs
     */
    static Loaded load(StoreFile file, AllocatorFactory factory, AllocatorState state, long size) throws IOException {
        Path path = file.path();
        if (size == 0) {
            throw Errors.notAStore(path, "the file is empty");
        }
        ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
        file.readOnceFullyZeroPadded(head, 0);
        HeaderSlot.Decoded[] slots = decodeSlots(path, head);
        if (size < HeaderSlot.DATA_START) {
            throw Errors.corrupted(
                    path, "truncated to " + size + " bytes; the header alone needs " + HeaderSlot.DATA_START);
        }
        HeaderSlot named = newestValid(path, slots);
        if (named.kind() != factory.kind()) {
            throw Errors.wrongKind(path, kindName(named.kind()), kindName(factory.kind()));
        }
        if (named.end() < HeaderSlot.DATA_START || named.end() > ObjectIds.MAX_FILE_END) {
            throw Errors.corrupted(path, "the header names an allocator end of " + named.end());
        }
        // A salted journal's entries past what the slot names carry the state's end and claim.
        Journal.Entries journal;
        try {
            journal = readJournal(file, named);
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        }
        HeaderSlot header = journal.scanned()
                ? named.withEntries(journal.length(), journal.lastLength(), journal.end(), journal.claim())
                : named;
        if (header.end() < HeaderSlot.DATA_START || header.end() > ObjectIds.MAX_FILE_END) {
            throw Errors.corrupted(path, "a journal entry names an allocator end of " + header.end());
        }
        // A slot whose last entry carries its objects' bytes was made durable with the entries
        // alone, not with the file's new length: what lies past the old length belongs to the
        // commits since the last force of the whole file, whose entries carry their objects'
        // bytes (written again from them; a torn last entry is left out). The file is extended
        // once the store has opened.
        boolean shortByLastCommit = size < header.end() && header.lastEntryLength() > 0;
        if (size < header.end() && !shortByLastCommit) {
            throw Errors.corrupted(path, "truncated to " + size + " bytes; the allocator end is " + header.end());
        }
        if (header.recordOffset() < HeaderSlot.DATA_START
                || header.recordLength() < MetaRecord.FRAMING
                || header.recordOffset() > header.end() - recordExtent(header.recordLength())) {
            throw Errors.corrupted(
                    path,
                    "header names a metadata record at " + header.recordOffset() + " of " + header.recordLength()
                            + " bytes, outside the data area");
        }
        return read(file, factory, state, header, size, shortByLastCommit, null, journal);
    }

    /**
     * For an online backup's copy ({@link BackupCopy}): builds into {@code state} the state that
     * {@code header} names in {@code file} — its record and journal entries — with {@code extra}
     * (the payload of one more journal entry, positioned at its start) applied after them, as if
     * the journal held it too. Reads only.
     *
     * @throws StoreCorruptedException if the record, the entries or {@code extra} do not fit together
     */
    static void loadWithEntry(
            StoreFile file, AllocatorFactory factory, AllocatorState state, HeaderSlot header, MetaReader extra)
            throws IOException {
        read(file, factory, state, header, file.size(), false, extra, null);
    }

    /**
     * {@link #load} past the header's checks; {@code extra}: see {@link #loadWithEntry} (null: none);
     * {@code readAlready}: the journal as {@link #load} read it (null: read it here).
     */
    private static Loaded read(
            StoreFile file,
            AllocatorFactory factory,
            AllocatorState state,
            HeaderSlot header,
            long size,
            boolean shortByLastCommit,
            MetaReader extra,
            Journal.Entries readAlready)
            throws IOException {
        Path path = file.path();
        try {
            MetaRecord.Read record = MetaRecord.read(file, header.recordOffset(), header.recordLength());
            MetaReader opening = record.head();
            long prime;
            try {
                prime = readOpening(opening, header, state);
            } catch (MetadataException e) {
                if (!record.headIsPartial()) {
                    throw e;
                }
                // A transaction table longer than the head: read it from the whole payload.
                opening = record.payload().at(0);
                prime = readOpening(opening, header, state);
            }
            MetaReader in = record.payload().at(opening.position());
            state.openedRecord(header.recordOffset(), header.recordLength(), header.generationClaim());
            Journal.Entries journal = readAlready != null ? readAlready : readJournal(file, header);
            List<MetaReader> entries = journal.entries();
            if (extra != null) {
                entries = new ArrayList<>(entries);
                entries.add(extra);
            }
            List<ChangeLog.Captured> captured = List.of();
            state.openedJournal(
                    header.journalOffset(),
                    header.journalCapacity(),
                    journal.length(),
                    journal.lastLength(),
                    header.version() >= HeaderSlot.SALTED_VERSION ? header.journalSalt() : 0);
            if (!entries.isEmpty()) {
                // Each entry starts with the prime id and the transaction table as of its commit:
                // the last one's hold; the changes that follow are applied in order by the build.
                for (MetaReader entry : entries) {
                    prime = entry.getVarLong();
                    state.transactions().clear();
                    state.transactions().read(entry);
                }
            }
            if (header.version() >= 2) {
                RecordIndex index = RecordIndex.read(in, record.footer(), header.version(), header.end());
                if (factory == AllocatorFactory.BASIC && index.blockCount() != 0) {
                    throw new MetadataException("a basic store's record names " + index.blockCount() + " blocks");
                }
                if (entries.isEmpty()) {
                    state.buildLater(new Unbuilt(in, header.version(), index, header.end()), index);
                } else {
                    captured = state.buildWithJournal(in, header.version(), index, header.end(), entries);
                }
            } else {
                state.buildNow(in, header.version(), header.end(), entries);
            }
            if (prime != 0 && !state.locateOpening(prime, new Location())) {
                throw new MetadataException("prime object " + prime + " is not a live object");
            }
            state.openedPrime(prime);
            return new Loaded(header, size, shortByLastCommit, captured);
        } catch (MetadataException e) {
            throw Errors.corrupted(path, e.getMessage());
        }
    }

    /** The prime id and (format 4 on) the transaction table, which open a record's payload. */
    private static long readOpening(MetaReader in, HeaderSlot header, AllocatorState state) {
        state.transactions().clear();
        long prime = in.getVarLong();
        if (header.version() >= 4) {
            state.transactions().read(in);
        }
        return prime;
    }

    /**
     * What {@link #load} read: the header slot, the file's size then, whether the file is short
     * by what its last commits grew it, and the objects' bytes its journal's entries carry since
     * the last entry without them.
     */
    record Loaded(HeaderSlot header, long size, boolean shortByLastCommit, List<ChangeLog.Captured> captured) {}

    /**
     * The writes opening makes after {@link #load}: extends a file short by its last commits,
     * writes the bytes the entries carry again, and cuts bytes past the allocator end.
     */
    static void settle(StoreFile file, AllocatorState state, Loaded loaded) throws IOException {
        HeaderSlot header = loaded.header();
        if (loaded.shortByLastCommit()) {
            file.extendTo(header.end());
        }
        rewrite(file, state, loaded.captured());
        if (loaded.size() > header.end()) {
            // Bytes past the end were written after the last sync and belong to nothing now.
            // Cutting them keeps the rule that space taken from the end reads as zeros.
            file.truncate(header.end());
        }
    }

    /**
     * The entries of the journal {@code header} names (format 5 on; in format 6 also those past it) that hold, each positioned at its
     * payload's start (see {@link Journal#read}: a torn last entry is left out); none when it names
     * no journal bytes. Checks that the journal lies in the data area, below the allocator end,
     * apart from the record.
     *
     * @throws MetadataException if the journal's place or an entry is malformed
     */
    private static Journal.Entries readJournal(StoreFile file, HeaderSlot header) throws IOException {
        long at = header.journalOffset();
        int capacity = header.journalCapacity();
        int length = header.journalLength();
        if (at == 0 && capacity == 0 && length == 0) {
            return new Journal.Entries(List.of(), 0, 0);
        }
        long recordEnd = header.recordOffset() + recordExtent(header.recordLength());
        if (at < HeaderSlot.DATA_START
                || capacity <= 0
                || length < 0
                || length > capacity
                || at > header.end() - capacity
                || (at < recordEnd && header.recordOffset() < at + capacity)) {
            throw new MetadataException("header names a journal at " + at + " of " + length + " bytes in " + capacity
                    + ", outside the data area or over the record");
        }
        return Journal.read(
                file,
                at,
                length,
                header.lastEntryLength(),
                header.version() >= HeaderSlot.SALTED_VERSION ? header.journalSalt() : 0,
                capacity);
    }

    /**
     * Writes the bytes the journal's entries carry (each object's newest, since the last entry
     * without them) over the objects they belong to, where those are still live with that size:
     * the commits that wrote those entries made only the entries and their slots durable, so a
     * crash may have lost or torn the objects' own bytes, not the entries'. Idempotent: a crash
     * before the next whole record finds the same entries again.
     */
    private static void rewrite(StoreFile file, AllocatorState state, List<ChangeLog.Captured> captured)
            throws IOException {
        Location loc = new Location();
        for (ChangeLog.Captured c : captured) {
            if (state.locateOpening(c.id(), loc) && loc.size == c.bytes().remaining()) {
                file.writeFully(c.bytes().duplicate(), loc.offset);
            }
        }
    }

    /**
     * Builds the allocator state and the free space from a record's parts ({@code in}, just past
     * the prime id), checking that its extents neither overlap nor pass {@code end}, and from format 2 on
     * that every index entry matches. Free space is the gaps between the parts' extents and the
     * record's own ({@code recordOffset}, {@code recordLength}). Adds to {@code carried} the
     * objects' bytes the journal's entries carry since its last entry without them, each
     * object's newest (see {@link #settle}).
     *
     * @throws MetadataException if the record is inconsistent
     */
    static ObjectAllocator build(
            AllocatorFactory factory,
            FileSpace space,
            Generation generation,
            MetaReader in,
            int version,
            RecordIndex index,
            long end,
            long recordOffset,
            int recordLength,
            List<MetaReader> journal,
            long journalOffset,
            int journalCapacity,
            List<ChangeLog.Captured> carried) {
        ExtentList used = new ExtentList();
        // With entries after it, the record's objects are checked against the end only once the
        // entries are applied (space.restore below): an entry may free an object at the record's
        // tail, and a later one name an end below it once that space came free.
        long recordEnd = journal.isEmpty() ? end : ObjectIds.MAX_FILE_END;
        ObjectAllocator built = factory.read(new RecordParts(in, version, index, space, generation, recordEnd, used));
        int partsEnd = index != null ? index.indexPosition() : in.payloadLength();
        if (in.position() != partsEnd) {
            throw new MetadataException(
                    "the allocator parts end at byte " + in.position() + " of the payload, not at " + partsEnd);
        }
        if (index != null) {
            index.checkTotals(built.liveObjects(), built.liveBytes());
        }
        if (!journal.isEmpty()) {
            // The bytes carried since the last entry without them (whose commit forced every
            // object), each object's newest: the commits since made only their entries durable.
            Map<Long, ChangeLog.Captured> newest = new LinkedHashMap<>();
            for (MetaReader entry : journal) {
                List<ChangeLog.Captured> captured = ChangeLog.replay(entry, built);
                if (captured == null) {
                    newest.clear();
                } else {
                    for (ChangeLog.Captured c : captured) {
                        newest.remove(c.id());
                        newest.put(c.id(), c);
                    }
                }
                if (entry.hasRemaining()) {
                    throw new MetadataException(
                            "a journal entry has " + entry.remaining() + " bytes after its changes");
                }
            }
            carried.addAll(newest.values());
            used.clear(); // the free space is what the replayed state leaves
            built.replayed(used);
        }
        used.add(recordOffset, recordExtent(recordLength));
        if (journalCapacity > 0) {
            used.add(journalOffset, journalCapacity);
        }
        used.sortByOffset();
        space.restore(end, used);
        return built;
    }

    /**
     * The kind ({@code "basic"} or {@code "multi"}) of the store file at {@code path}, read from
     * its newest valid header slot without opening the store (and without taking its lock).
     *
     * @throws StoreException BOB-203 if the file does not exist, BOB-302 if it is not a store,
     *     BOB-303 if its version is unknown, BOB-301 if both slots fail their checksum
     */
    static String kindOf(Path path) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
        try (FileChannel ch = FileChannel.open(path)) {
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // positional reads until the header is in or the file ends
            }
        } catch (NoSuchFileException e) {
            throw Errors.missing(path);
        }
        if (head.position() == 0) {
            throw Errors.notAStore(path, "the file is empty");
        }
        return kindName(newestValid(path, decodeSlots(path, head.clear())).kind());
    }

    /** Decodes both header slots from the first {@link HeaderSlot#DATA_START} bytes of a file. */
    static HeaderSlot.Decoded[] decodeSlots(Path path, ByteBuffer head) throws StoreCorruptedException {
        HeaderSlot.Decoded a = HeaderSlot.decode(
                head.duplicate().position(0).limit(HeaderSlot.SLOT_SIZE).slice());
        HeaderSlot.Decoded b = HeaderSlot.decode(
                head.duplicate().position(HeaderSlot.SLOT_SIZE).slice());
        if (a.status() == HeaderSlot.Status.BAD_MAGIC && b.status() == HeaderSlot.Status.BAD_MAGIC) {
            throw Errors.notAStore(path, "no header slot has the bobbob magic");
        }
        return new HeaderSlot.Decoded[] {a, b};
    }

    /** The valid slot with the higher sequence; with none valid, why not. */
    static HeaderSlot newestValid(Path path, HeaderSlot.Decoded[] slots) throws StoreCorruptedException {
        HeaderSlot header = newest(slots[0], slots[1]);
        if (header == null) {
            for (HeaderSlot.Decoded d : slots) {
                if (d.status() == HeaderSlot.Status.BAD_VERSION) {
                    throw Errors.unsupportedVersion(path, d.version(), HeaderSlot.OLDEST_VERSION, HeaderSlot.VERSION);
                }
            }
            throw Errors.corrupted(path, "both header slots fail their checksum");
        }
        return header;
    }

    private static HeaderSlot newest(HeaderSlot.Decoded a, HeaderSlot.Decoded b) {
        HeaderSlot sa = a.status() == HeaderSlot.Status.VALID ? a.slot() : null;
        HeaderSlot sb = b.status() == HeaderSlot.Status.VALID ? b.slot() : null;
        if (sa == null) {
            return sb;
        }
        if (sb == null) {
            return sa;
        }
        return sa.sequence() >= sb.sequence() ? sa : sb;
    }

    /** The kind's name for header kind byte {@code kind}. */
    static String kindName(int kind) {
        return switch (kind) {
            case 1 -> "basic";
            case 2 -> "multi";
            default -> "unknown (kind " + kind + ")";
        };
    }
}
