package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.format.Journal;
import org.bobbob.store.internal.format.MetaWriter;
import org.bobbob.store.internal.io.StoreFile;

/**
 * The metadata of an online backup's copy ({@link FileStore#backupTo}): what makes the copy of the
 * file's bytes open as exactly the store's state at the backup's sync point, written into the copy
 * only. The store itself commits nothing for it.
 *
 * <h2>Why the store need not commit</h2>
 * At the sync point no call is half done and the write-combining cache has been written out, so
 * the file holds every object's bytes; and the state is the one the store's last durable commit
 * recorded (a record and the journal entries after it, in the file too) plus the changes since,
 * which the change log holds in order ({@link ChangeLog}, held for the backup). Taking that
 * costs what changed since the last commit, not what the store holds ({@link Point}); the store's
 * own log and commits go on untouched.
 *
 * <h2>What is written, after the file's bytes are copied (docs/FORMAT.md, <i>Online backup</i>)</h2>
 * The changes as one journal entry — the prime id and transactions as of the sync point, the
 * changes, no captured bytes — exactly what the store's own commit would have appended then:
 * <ol>
 *   <li>after the copy's journal entries, when the store's commit would have written an entry
 *       there (a salted journal, format 6, a record of at least 32 KiB, at most
 *       {@value ChangeLog#MAX_CHANGES} changes, and the entry fits the journal's free bytes);
 *   <li>as the first entry of a new journal past the copy's end, sized as the store sizes one,
 *       when there is no journal yet and the entry fits half of it;
 *   <li>else as a whole record, past the copy's end: the copy's state is built from its record and
 *       journal with the entry applied, as opening the copy would build it, and encoded whole.
 * </ol>
 * Then the copy is made exactly as long as its allocator end, forced, and both header slots —
 * zeros until now ({@link org.bobbob.store.internal.io.BackupTap} copies them so) — are written
 * naming that state, and forced. A crash before that leaves a file without a valid slot (BOB-302:
 * not a store); after it, the copy is whole, whichever slot survived.
 */
final class BackupCopy {
    private BackupCopy() {}

    /**
     * What the copy needs of the state at the sync point.
     *
     * @param base        the state the last durable commit recorded: its format, record and journal
     *                    (as far as its entries hold), the sequence it wrote; with the allocator end
     *                    and the generation claim as of the sync point
     * @param recordSpace the bytes of space the record holds, for the size of a new journal
     * @param head        the prime id and the transactions section as of the sync point
     * @param changes     the changes since the last durable commit, in order
     * @param objects     live objects at the sync point
     * @param length      the file's length at the sync point: the bytes copied
     */
    record Point(
            HeaderSlot base,
            long recordSpace,
            MetaWriter head,
            ChangeLog.Snapshot changes,
            long objects,
            long length) {}

    /**
     * Writes the copy's metadata for {@code at} into {@code copy}, which holds the file's first
     * {@code at.length()} bytes as of the sync point (its header zeros), and forces it.
     *
     * @return the copy's length, its allocator end
     */
    static long write(StoreFile copy, Point at, AllocatorFactory factory) throws IOException {
        HeaderSlot base = at.base();
        // the prefix (salt, end, claim) is set once the entry's place is chosen
        MetaWriter payload = Journal.startEntry(new MetaWriter()).append(at.head());
        at.changes().writeTo(payload);
        payload.putByte(0); // no captured bytes: the copy's objects are whole, forced before a slot names the entry
        ByteBuffer entry = Journal.entry(payload);
        int length = entry.remaining();
        boolean journaled = base.version() >= HeaderSlot.JOURNAL_VERSION
                && base.recordLength() >= AllocatorState.JOURNAL_FROM
                && at.changes().count() <= ChangeLog.MAX_CHANGES;
        int newJournal = AllocatorState.newJournalCapacity(at.recordSpace(), length, false, base.end());
        long offset;
        ByteBuffer bytes;
        HeaderSlot named;
        if (journaled
                && base.journalOffset() != 0
                && base.journalSalt() != 0
                && length <= base.journalCapacity() - base.journalLength()) {
            offset = base.journalOffset() + base.journalLength();
            named = journal(
                    base,
                    base.end(),
                    base.journalOffset(),
                    base.journalCapacity(),
                    base.journalLength() + length,
                    length,
                    base.journalSalt());
            bytes = salted(payload, named);
        } else if (journaled && base.journalOffset() == 0 && length <= newJournal / 2) {
            offset = base.end();
            named = journal(base, offset + newJournal, offset, newJournal, length, length, Journal.newSalt());
            bytes = salted(payload, named);
        } else {
            AllocatorState state = new AllocatorState(copy.path(), factory);
            RecordLoader.loadWithEntry(
                    copy, factory, state, base, Journal.payloadOf(entry).at(Journal.PREFIX));
            bytes = state.encodeWhole();
            offset = base.end();
            int recordLength = bytes.remaining();
            named = new HeaderSlot(
                    HeaderSlot.VERSION,
                    base.kind(),
                    base.sequence() + 1,
                    offset,
                    recordLength,
                    offset + RecordLoader.recordExtent(recordLength),
                    base.generationClaim());
        }
        copy.writeFully(bytes, offset);
        long end = named.end();
        if (copy.size() > end) {
            copy.truncate(end); // bytes past the end belong to nothing
        } else {
            copy.extendTo(end);
        }
        copy.force();
        // Both slots name the state, so that whichever survives a crash in this force is right.
        for (long sequence = named.sequence(); sequence <= named.sequence() + 1; sequence++) {
            HeaderSlot slot = named.next(sequence, end, named.generationClaim());
            copy.writeFully(slot.encode(), HeaderSlot.position((int) (sequence & 1)));
        }
        copy.force();
        return end;
    }

    /** The entry of {@code payload} with its prefix naming {@code named}'s journal salt, end and claim. */
    private static ByteBuffer salted(MetaWriter payload, HeaderSlot named) {
        return Journal.entry(payload, named.journalSalt(), named.end(), named.generationClaim());
    }

    /**
     * {@code base}'s record with a journal at {@code offset} of {@code capacity} bytes, {@code used}
     * of them named, its entries salted with {@code salt}.
     */
    private static HeaderSlot journal(
            HeaderSlot base, long end, long offset, int capacity, int used, int last, long salt) {
        return new HeaderSlot(
                HeaderSlot.VERSION,
                base.kind(),
                base.sequence() + 1,
                base.recordOffset(),
                base.recordLength(),
                end,
                base.generationClaim(),
                offset,
                capacity,
                used,
                last,
                salt);
    }
}
