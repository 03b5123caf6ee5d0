package org.bobbob.store.internal.events;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the engine emits its flight-recorder events. The event classes extend
 * {@code jdk.jfr.Event}, which not every runtime lets the store see: a jlink image without the
 * {@code jdk.jfr} module, or an application server's module loader that does not give deployments
 * that JDK module (WildFly does not). So the engine never touches them itself: it asks here for a
 * probe, which is a no-op when {@code jdk.jfr} is missing, and the event classes are loaded only
 * when it is present.
 *
 * <p>A probe is created on the path it describes (an open, a commit, a lock wait that happens),
 * never per read or write. Thread-safe; a probe belongs to the thread that created it.
 */
public final class Events {
    /** Whether {@code jdk.jfr} is visible to the store's class loader. */
    private static final boolean AVAILABLE = available();

    private Events() {}

    private static boolean available() {
        try {
            Class.forName("jdk.jfr.Event", false, Events.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * An open under way. Its figures are asked of {@code figures} only when the event is
     * recorded, so a disabled event costs no look-up and no system call.
     */
    public interface Open {
        void done(Path path, String kind, boolean created, OpenFigures figures);
    }

    /** What an open found, asked for only when its event is recorded. */
    public interface OpenFigures {
        long objects();

        long fileBytes() throws IOException;

        long recordBytes();
    }

    /** A commit under way. */
    public interface Commit {
        void done(Path path, long recordBytes, boolean journalEntry, int forces, boolean bothSlots, boolean succeeded);
    }

    /** A wait for an object a transaction holds, under way. */
    public interface LockWait {
        /** {@code holder}'s {@code toString()} names it in the event, if the event is recorded. */
        void done(long objectId, Object holder, String outcome);
    }

    /** An online backup under way. */
    public interface BackupCopy {
        void done(Path path, Path target, long bytes, long objects, long writerPauseNanos);
    }

    private static final Open NO_OPEN = (path, kind, created, figures) -> {};
    private static final Commit NO_COMMIT = (path, recordBytes, journalEntry, forces, bothSlots, succeeded) -> {};
    private static final LockWait NO_LOCK_WAIT = (objectId, holder, outcome) -> {};
    private static final BackupCopy NO_BACKUP = (path, target, bytes, objects, writerPauseNanos) -> {};

    /** Starts timing an open ({@code org.bobbob.StoreOpen}). */
    public static Open open() {
        return AVAILABLE ? Recorded.open() : NO_OPEN;
    }

    /** Starts timing a commit ({@code org.bobbob.StoreCommit}). */
    public static Commit commit() {
        return AVAILABLE ? Recorded.commit() : NO_COMMIT;
    }

    /** Starts timing a wait for an object a transaction holds ({@code org.bobbob.TxLockWait}). */
    public static LockWait lockWait() {
        return AVAILABLE ? Recorded.lockWait() : NO_LOCK_WAIT;
    }

    /** Starts timing an online backup ({@code org.bobbob.StoreBackup}). */
    public static BackupCopy backup() {
        return AVAILABLE ? Recorded.backup() : NO_BACKUP;
    }

    /** What an open found under way and did ({@code org.bobbob.TxRecovery}). */
    public static void recovery(String path, int rolledBack, int finished, int inDoubt) {
        if (AVAILABLE) {
            Recorded.recovery(path, rolledBack, finished, inDoubt);
        }
    }

    /** The only class that touches the event classes; loaded only when {@code jdk.jfr} is there. */
    private static final class Recorded {
        static Open open() {
            StoreOpenEvent e = new StoreOpenEvent();
            e.begin();
            return (path, kind, created, figures) -> {
                if (e.shouldCommit()) {
                    e.path = path.toString();
                    e.kind = kind;
                    e.created = created;
                    e.objects = figures.objects();
                    try {
                        e.fileBytes = figures.fileBytes();
                    } catch (IOException unknown) {
                        e.fileBytes = -1; // the open succeeded; only the figure is missing
                    }
                    e.recordBytes = figures.recordBytes();
                    e.commit();
                }
            };
        }

        static Commit commit() {
            StoreCommitEvent e = new StoreCommitEvent();
            e.begin();
            return (path, recordBytes, journalEntry, forces, bothSlots, succeeded) -> {
                if (e.shouldCommit()) {
                    e.path = path.toString();
                    e.recordBytes = recordBytes;
                    e.journalEntry = journalEntry;
                    e.forces = forces;
                    e.bothSlots = bothSlots;
                    e.succeeded = succeeded;
                    e.commit();
                }
            };
        }

        static LockWait lockWait() {
            TxLockWaitEvent e = new TxLockWaitEvent();
            e.begin();
            return (objectId, holder, outcome) -> {
                if (e.shouldCommit()) {
                    e.holder = String.valueOf(holder);
                    e.objectId = objectId;
                    e.outcome = outcome;
                    e.commit();
                }
            };
        }

        static BackupCopy backup() {
            StoreBackupEvent e = new StoreBackupEvent();
            e.begin();
            return (path, target, bytes, objects, writerPauseNanos) -> {
                if (e.shouldCommit()) {
                    e.path = path.toString();
                    e.target = target.toString();
                    e.bytes = bytes;
                    e.objects = objects;
                    e.writerPause = writerPauseNanos;
                    e.commit();
                }
            };
        }

        static void recovery(String path, int rolledBack, int finished, int inDoubt) {
            TxRecoveryEvent e = new TxRecoveryEvent();
            if (e.shouldCommit()) {
                e.path = path;
                e.rolledBack = rolledBack;
                e.finished = finished;
                e.inDoubt = inDoubt;
                e.commit();
            }
        }
    }
}
