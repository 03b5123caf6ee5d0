package org.bobbob.store.internal.alloc;

/**
 * The store's generation: a 32-bit counter whose low bits every new object records as its check
 * ({@link ObjectIds}), so that no id of a deleted or lost object names a later object.
 *
 * <h2>Why a later object always has another check</h2>
 * <ol>
 *   <li><b>Deleted objects.</b> Freed space becomes reusable only once the sync that recorded the
 *       free is durable ({@link FileSpace}). If an object freed before that sync was allocated in
 *       the current generation, the generation advances when the space is released
 *       ({@link #freed}, {@link #takeFreedCurrent}, {@link #advance}), so whatever reuses the space
 *       is allocated in a later generation. Objects of older generations already differ.
 *   <li><b>Lost objects.</b> Ids handed out after the last sync are lost by a crash. Every header
 *       slot the store writes carries a <em>claim</em>: a generation at least as high as any this
 *       store may use before its next header write (the current one plus one, since a sync may
 *       advance it once). A store that opens starts at the durable claim plus one, and writes a new
 *       claim before its first allocation, so ids of a crashed session never come back.
 * </ol>
 * The counter wraps at 2^32; checks are its low 18 (extent) or 22 (slot) bits, see
 * {@link ObjectIds} for what that bounds.
 *
 * <p>Not thread-safe: the store guards it with its metadata lock.
 */
public final class Generation {
    private int value;
    private boolean freedCurrent;

    /** A generation starting at {@code value}. */
    public Generation(int value) {
        this.value = value;
    }

    /** Continues after a store's durable {@code claim}: no id was handed out in a later generation. */
    public void resumeAfter(int claim) {
        value = claim + 1;
    }

    /** The current generation. */
    public int value() {
        return value;
    }

    /** The claim to write into header slots now: the highest generation usable before the next write. */
    public int claim() {
        return value + 1;
    }

    /** Notes that an object with check {@code check} (masked by {@code mask}) was freed. */
    void freed(int check, int mask) {
        if (check == (value & mask)) {
            freedCurrent = true;
        }
    }

    /**
     * Whether an object of the current generation was freed since the last call; clears that.
     * The commit protocol asks at each record it encodes and {@link #advance advances} once that
     * record is durable, before the space it frees is reused.
     */
    public boolean takeFreedCurrent() {
        boolean f = freedCurrent;
        freedCurrent = false;
        return f;
    }

    /** Gives back what {@link #takeFreedCurrent} took (its record did not become durable). */
    public void restoreFreedCurrent(boolean taken) {
        freedCurrent |= taken;
    }

    /** Moves to the next generation. */
    public void advance() {
        value++;
    }

    @Override
    public String toString() {
        return "Generation[" + Integer.toUnsignedString(value) + "]";
    }
}
