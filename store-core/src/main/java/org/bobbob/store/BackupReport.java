package org.bobbob.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link Backup#backupTo} did.
 *
 * @param target             the copy
 * @param bytes              the copy's length in bytes: the store file's length at the sync point,
 *                           give or take the copy's own metadata (a journal entry or a record)
 * @param objects            live objects in the copy
 * @param longestWriterPause how long calls were held while the sync point was taken (no commit in
 *                           it: the calls in progress finishing, and bookkeeping that grows with the
 *                           changes since the last sync, not with the store)
 * @param duration           how long the whole backup took
 */
public record BackupReport(Path target, long bytes, long objects, Duration longestWriterPause, Duration duration) {}
