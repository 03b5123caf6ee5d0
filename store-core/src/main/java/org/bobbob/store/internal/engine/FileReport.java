package org.bobbob.store.internal.engine;

import java.util.List;
import org.bobbob.store.VerifyReport;

/**
 * What {@link FileCheck} found in a store file: the figures {@code java -jar store-core.jar info}
 * prints, and the problems {@code verify} reports. Public for the tool.
 *
 * @param kind         "basic" or "multi"; null when no header slot is valid
 * @param version      the format version of the state the newest valid header slot names (0: none)
 * @param sequence     that slot's sequence number
 * @param fileBytes    the file's length
 * @param end          the allocator end that slot names
 * @param objects      live objects (including those of transaction branches)
 * @param liveBytes    the sum of their sizes
 * @param freeBytes    bytes in holes below the end (free space)
 * @param freeTailBytes bytes between the last object or record and the end the slot names: free,
 *                     given back by the next close or {@code compact}
 * @param slotBytes    multi: bytes in blocks' free slots; basic: 0
 * @param recordBytes  bytes of space the metadata record takes
 * @param journalBytes bytes of space the journal takes (0: none)
 * @param holes        the holes by size, ascending (empty classes left out)
 * @param freeSlots    multi: free slots by slot size, ascending (empty classes left out)
 * @param inDoubt      prepared XA branches, each as its Xid's text
 * @param active       branches under way when the state was recorded (an open rolls them back)
 * @param verify       problems, notes, and what {@code readAll} read
 */
public record FileReport(
        String kind,
        int version,
        long sequence,
        long fileBytes,
        long end,
        long objects,
        long liveBytes,
        long freeBytes,
        long freeTailBytes,
        long slotBytes,
        long recordBytes,
        long journalBytes,
        List<SizeClassFigures> holes,
        List<SizeClassFigures> freeSlots,
        List<String> inDoubt,
        int active,
        VerifyReport verify) {

    /** Copies the lists. */
    public FileReport {
        holes = List.copyOf(holes);
        freeSlots = List.copyOf(freeSlots);
        inDoubt = List.copyOf(inDoubt);
    }

    /**
     * Free space of one size class.
     *
     * @param from  smallest size in the class (holes: a power of two; slots: the slot size)
     * @param to    one past the largest (holes: the next power of two; slots: from + 1)
     * @param count holes or free slots
     * @param bytes their bytes
     */
    public record SizeClassFigures(long from, long to, long count, long bytes) {}
}
