package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Optional capability: an online backup. Obtain it with {@code store.unwrap(Backup.class)}; the
 * file kinds and {@link ConcurrentStore} over them offer it.
 *
 * <p>{@link #backupTo} writes a copy of the store file that opens as a valid store holding exactly
 * the state of one sync point: the backup syncs, and the copy holds every object as that sync made
 * it durable — every object written, overwritten or deleted by a call that returned before the
 * backup began, none torn. Transactions are copied as that sync recorded them: on opening the
 * copy, those that were under way roll back and prepared XA branches stay in doubt.
 *
 * <p>The store keeps serving reads and writes while the copy is made. Writers are paused twice:
 * once while the sync point is taken (the calls in progress finish, one sync runs: it writes what
 * changed since the sync the backup makes just before, so its length follows how much writers
 * changed meanwhile: milliseconds for a quiet store, a few hundred under heavy overwriting of a
 * large one), and each write into a part of the file not yet copied first copies
 * that part (at most 256 KiB) to the backup. {@link BackupReport#longestWriterPause()} says how long
 * the first pause took.
 *
 * <p>Thread-safe; one backup of a store runs at a time (a second call waits for the first). An
 * object whose in-place overwrite through an open {@link ObjectWriter} spans the sync point is
 * copied as a crash at that point would leave it (see {@link Storer#sync()}).
 */
public interface Backup {

    /**
     * Copies the store to {@code target}, a file that must not exist (its directory must). On any
     * failure the partial copy is deleted and the store goes on unchanged.
     *
     * @return what was copied, and how long writers were paused
     * @throws StoreException BOB-204 if {@code target} exists, BOB-203 if its directory does not
     * @throws StoreClosedException if the store is closed
     * @throws IOException if the sync or the copy fails
     */
    default BackupReport backupTo(Path target) throws IOException {
        return backupTo(target, bytes -> {});
    }

    /**
     * As {@link #backupTo(Path)}, telling {@code progress} the bytes copied so far (of
     * {@link BackupReport#bytes()}, the file's length at the sync point) as the copy goes on: from
     * the calling thread, once a part (256 KiB) at most, never after this method returns.
     *
     * @throws StoreException BOB-204 if {@code target} exists, BOB-203 if its directory does not
     * @throws StoreClosedException if the store is closed
     * @throws IOException if the sync or the copy fails
     */
    BackupReport backupTo(Path target, LongConsumer progress) throws IOException;
}
