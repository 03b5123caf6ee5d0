package org.bobbob.store;

import java.io.IOException;

/**
 * Optional capability: checks a store while it runs. Obtain it with
 * {@code store.unwrap(StoreVerifier.class)}; the file kinds and {@link ConcurrentStore} over them
 * offer it. A file that is not open is checked, read-only, by {@code java -jar store-core.jar
 * verify <file>}, which makes the same checks.
 *
 * <p>What a file store checks: both header slots (a slot that fails its checksum is a note, not a
 * problem, while the other names a valid state: a crash in a slot write leaves one); the state the
 * newest slot names, read again from the file: the metadata record (framing, checksum, index,
 * footer totals), the journal entries, and the allocator state built from them (every object's
 * extent inside the file and apart from every other, blocks and their slots consistent, free space
 * the gaps between them). With {@code readAll}, every object live now is also read and its bytes
 * compared with its current checksum (BOB-305 for each one that differs).
 *
 * <p>Thread-safe, and never changes the store. Other calls go on while it runs: the metadata is
 * checked under the commit lock (syncs wait for it, about as long as opening the store takes);
 * objects are read one at a time through the store's normal read path, so on a
 * {@link ConcurrentStore} each read waits for writers of that object. Objects created while it runs
 * may be left out and objects deleted while it runs are skipped.
 */
public interface StoreVerifier {

    /**
     * Checks the store and reports every problem found; never throws for a problem it finds.
     *
     * @param readAll whether to read every live object too
     * @throws StoreClosedException if the store is closed
     * @throws IOException if the file cannot be read at all
     */
    VerifyReport verify(boolean readAll) throws IOException;
}
