package org.bobbob.store.internal.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreStats;
import org.bobbob.store.VerifyReport;
import org.bobbob.store.internal.alloc.SizeClasses;
import org.bobbob.store.internal.format.Crc32c;
import org.bobbob.store.internal.format.HeaderSlot;
import org.bobbob.store.internal.io.StoreFile;
import org.bobbob.store.internal.tx.Branch;

/**
 * Checks a store file without changing it: {@code verify} and {@code info} of the tool (on a
 * {@link org.bobbob.store.internal.io.ReadOnlyStoreFile}), and the metadata half of a running
 * store's {@code StoreVerifier} (on the store's own file, under its sync lock).
 *
 * <p>It does what opening does, read-only, on a fresh {@link AllocatorState}: decodes both header
 * slots ({@link RecordLoader#decodeSlots}), reads the record and the journal the newest valid one
 * names ({@link RecordLoader#load}, which checks framing, checksums, the index and the footer), and
 * builds the allocator state from them ({@link AllocatorState#build}, which checks that every
 * extent lies inside the file and apart from every other, that blocks and slots are consistent and
 * that the index matches). The writes opening would then make (extend, rewrite the bytes the
 * entries carry, cut the tail: {@link RecordLoader#settle}) are notes. With {@code readAll} it reads every
 * live object and compares its bytes with its checksum. The first fault in the metadata ends the
 * check (what follows it cannot be trusted); each object whose bytes differ is a problem of its own.
 */
final class FileCheck {
    /** Bytes read at a time when reading objects. */
    private static final int READ_CHUNK = 1 << 20;

    private FileCheck() {}

    /**
     * Checks {@code file}.
     *
     * @param live     the file is a running store's (under its sync lock): bytes past the allocator
     *                 end are its new objects, not leftovers, and are not noted
     * @param progress told the object bytes read so far ({@code readAll})
     * @throws IOException if the file cannot be read at all
     */
    static FileReport check(StoreFile file, boolean readAll, boolean live, LongConsumer progress) throws IOException {
        Path path = file.path();
        List<VerifyReport.Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long size = file.size();
        HeaderSlot header;
        AllocatorFactory factory;
        AllocatorState state;
        RecordLoader.Loaded loaded;
        try {
            if (size == 0) {
                throw org.bobbob.store.support.Errors.notAStore(path, "the file is empty");
            }
            ByteBuffer head = ByteBuffer.allocate((int) HeaderSlot.DATA_START);
            file.readOnceFullyZeroPadded(head, 0);
            HeaderSlot.Decoded[] slots = RecordLoader.decodeSlots(path, head);
            header = RecordLoader.newestValid(path, slots);
            for (int i = 0; i < slots.length; i++) {
                if (slots[i].status() != HeaderSlot.Status.VALID) {
                    notes.add("header slot " + i + " (at byte " + i * HeaderSlot.SLOT_SIZE + ") is not valid ("
                            + slots[i].status()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', ' ')
                            + "); the other names the store's state (a crash during a slot write leaves this)");
                }
            }
            factory = header.kind() == AllocatorFactory.BASIC.kind() ? AllocatorFactory.BASIC : AllocatorFactory.MULTI;
            state = new AllocatorState(path, factory);
            loaded = RecordLoader.load(file, factory, state, size);
            state.build();
        } catch (StoreException e) {
            problems.add(problem(e, 0));
            return new FileReport(
                    null,
                    0,
                    0,
                    size,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    List.of(),
                    List.of(),
                    List.of(),
                    0,
                    new VerifyReport(problems, notes, 0, 0, 0));
        }
        if (!live) {
            if (loaded.shortByLastCommit()) {
                notes.add("the file is " + (header.end() - size) + " bytes shorter than its last commit made it "
                        + "(a crash before the new length reached the disk); opening extends it");
            } else if (size > header.end()) {
                notes.add((size - header.end()) + " bytes past the allocator end were written after the last "
                        + "commit; opening cuts them");
            }
            if (!loaded.captured().isEmpty()) {
                notes.add("the journal entries carry the bytes of "
                        + loaded.captured().size() + " objects; opening writes them again");
            }
        }
        StoreStats stats = state.stats(0);
        long freeTail = Math.max(0, header.end() - stats.fileBytes()); // the built allocator ends at its last extent
        Figures figures = state.inspect(FileCheck::figures);
        List<String> inDoubt = new ArrayList<>();
        int active = 0;
        for (Branch b : state.transactions().branches()) {
            if (b.state() == Branch.State.PREPARED) {
                inDoubt.add(b.describe());
            } else if (b.state() == Branch.State.ACTIVE) {
                active++;
            }
        }
        if (!inDoubt.isEmpty()) {
            notes.add(inDoubt.size() + " prepared XA branches are in doubt until a transaction manager decides them");
        }
        long[] read = {0, 0};
        if (readAll) {
            readAll(file, state, loaded, problems, read, progress);
        }
        return new FileReport(
                RecordLoader.kindName(header.kind()),
                header.version(),
                header.sequence(),
                size,
                header.end(),
                stats.objects(),
                stats.liveBytes(),
                stats.freeBytes(),
                freeTail,
                figures.slotBytes,
                state.recordBytes(),
                header.journalCapacity(),
                figures.holes,
                figures.freeSlots,
                inDoubt,
                active,
                new VerifyReport(problems, notes, stats.objects(), read[0], read[1]));
    }

    /** Holes and free slots by size. */
    private static final class Figures {
        final List<FileReport.SizeClassFigures> holes = new ArrayList<>();
        final List<FileReport.SizeClassFigures> freeSlots = new ArrayList<>();
        long slotBytes;
    }

    private static Figures figures(
            org.bobbob.store.internal.alloc.ObjectAllocator allocator,
            org.bobbob.store.internal.alloc.FileSpace space,
            org.bobbob.store.internal.tx.TxTable tx) {
        Figures f = new Figures();
        long[] count = new long[64];
        long[] bytes = new long[64];
        space.forEachHole((offset, length) -> {
            int c = 63 - Long.numberOfLeadingZeros(length);
            count[c]++;
            bytes[c] += length;
        });
        for (int c = 0; c < 64; c++) {
            if (count[c] > 0) {
                f.holes.add(new FileReport.SizeClassFigures(1L << c, 1L << (c + 1), count[c], bytes[c]));
            }
        }
        long[] free = allocator.freeSlotsByClass();
        for (int c = 0; c < free.length; c++) {
            if (free[c] > 0) {
                long slot = SizeClasses.slotSize(c);
                f.freeSlots.add(new FileReport.SizeClassFigures(slot, slot + 1, free[c], free[c] * slot));
                f.slotBytes += free[c] * slot;
            }
        }
        return f;
    }

    /**
     * Reads every live object in file order and compares its bytes with its checksum; an object
     * whose bytes the journal entries carry is compared with those (opening writes them).
     */
    private static void readAll(
            StoreFile file,
            AllocatorState state,
            RecordLoader.Loaded loaded,
            List<VerifyReport.Problem> problems,
            long[] read,
            LongConsumer progress)
            throws IOException {
        int n = (int) state.stats(0).objects();
        long[] ids = new long[n];
        long[] offsets = new long[n];
        int[] sizes = new int[n];
        int[] crcs = new int[n];
        state.inspect((a, space, tx) -> {
            int[] i = {0};
            a.forEachLive((id, offset, size, crc) -> {
                ids[i[0]] = id;
                offsets[i[0]] = offset;
                sizes[i[0]] = size;
                crcs[i[0]++] = crc;
            });
            return null;
        });
        Map<Long, ByteBuffer> carried = new HashMap<>();
        for (ChangeLog.Captured c : loaded.captured()) {
            carried.put(c.id(), c.bytes());
        }
        ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
        for (int i = 0; i < n; i++) {
            ByteBuffer own = carried.get(ids[i]);
            int bytesCrc;
            if (own != null && own.remaining() == sizes[i]) {
                CRC32C crc = new CRC32C();
                crc.update(own.duplicate());
                bytesCrc = (int) crc.getValue();
            } else {
                bytesCrc = FileStore.crcOf(file, offsets[i], sizes[i], buffer);
            }
            read[0]++;
            read[1] += sizes[i];
            progress.accept(read[1]);
            int actual = Crc32c.sealed(bytesCrc, sizes[i]);
            if (crcs[i] != 0 && actual != crcs[i]) {
                problems.add(new VerifyReport.Problem(
                        ErrorCode.CHECKSUM_MISMATCH,
                        ids[i],
                        "object " + ids[i] + " (" + sizes[i] + " bytes at offset " + offsets[i]
                                + "): its bytes do not match its checksum (recorded " + Integer.toHexString(crcs[i])
                                + ", read " + Integer.toHexString(actual) + ")"));
            }
        }
    }

    /** A problem from a store exception, its message without the code prefix (the problem adds it). */
    static VerifyReport.Problem problem(StoreException e, long id) {
        ErrorCode code = e.code() != null ? e.code() : ErrorCode.CORRUPTED;
        String message = e.getMessage();
        if (message != null && message.startsWith(code.prefix())) {
            message = message.substring(code.prefix().length());
        }
        return new VerifyReport.Problem(code, id, message != null ? message : e.toString());
    }
}
