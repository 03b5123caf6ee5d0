package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Optional capability: an online backup. Obtain it with {@code store.unwrap(Backup.class)}; the
 * file kinds and {@link ConcurrentStore} over them offer it.
 *
 * <p>{@link #backupTo} writes a copy of the store file that opens as a valid store holding exactly
 * the store's state at one moment, the backup's <em>sync point</em>: the state a {@link Storer#sync()}
 * at that moment would have made durable. Every object is in it as written, overwritten or deleted
 * by the calls that returned before the backup began, and by none that began after the sync point;
 * none is torn. Transactions are copied as such a sync would have recorded them: on opening the
 * copy, those that were under way roll back, committed ones whose shadows were still being copied
 * finish, and prepared XA branches stay in doubt.
 *
 * <p>A backup does not make the store durable: {@link Storer#sync()} does, and after a crash the
 * store reopens at its last sync, backup or not. The copy's metadata is written into the copy
 * only. (When the store cannot tell what changed since its last sync — a store too small to keep a
 * log of its changes, one that changed more than its log holds, one whose last sync failed — the
 * backup syncs it first, before anything is paused, as {@link Storer#sync()} would.)
 *
 * <p>The store keeps serving reads and writes while the copy is made. Writers are paused twice:
 * once while the sync point is taken — the calls in progress finish, what the write-combining
 * cache gathered is written to the file (not forced), and the changes since the last sync are
 * noted, not copied: nothing is committed or forced, and nothing in it grows with the store's
 * size ({@link BackupReport#longestWriterPause()} says how long it took) — and each write into a
 * part of the file not yet copied first copies that part (at most 256 KiB) to the backup. The
 * copy's header is written last, once the rest of it is durable: a backup cut short leaves either
 * no file (a failure it sees deletes it) or one that is not a store, never one that opens at
 * another state.
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
     * @throws IOException if the copy fails (or the sync a backup may make first)
     */
    default BackupReport backupTo(Path target) throws IOException {
        return backupTo(target, bytes -> {});
    }

    /**
     * As {@link #backupTo(Path)}, telling {@code progress} the bytes of the store file copied so
     * far (of the file's length at the sync point) as the copy goes on: from the calling thread,
     * once a part (256 KiB) at most, never after this method returns.
     *
     * @throws StoreException BOB-204 if {@code target} exists, BOB-203 if its directory does not
     * @throws StoreClosedException if the store is closed
     * @throws IOException if the copy fails (or the sync a backup may make first)
     */
    BackupReport backupTo(Path target, LongConsumer progress) throws IOException;
}
