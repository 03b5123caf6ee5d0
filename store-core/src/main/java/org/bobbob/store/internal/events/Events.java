package org.bobbob.store.internal.events;

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

    /** An open under way. */
    public interface Open {
        void done(String path, String kind, boolean created, long objects, long fileBytes, long recordBytes);
    }

    /** A commit under way. */
    public interface Commit {
        void done(String path, long recordBytes, boolean bothSlots, boolean succeeded);
    }

    /** A wait for an object a transaction holds, under way. */
    public interface LockWait {
        void done(long objectId, String outcome);
    }

    private static final Open NO_OPEN = (path, kind, created, objects, fileBytes, recordBytes) -> {};
    private static final Commit NO_COMMIT = (path, recordBytes, bothSlots, succeeded) -> {};

    /** Starts timing an open ({@code org.bobbob.StoreOpen}). */
    public static Open open() {
        return AVAILABLE ? Recorded.open() : NO_OPEN;
    }

    /** Starts timing a commit ({@code org.bobbob.StoreCommit}). */
    public static Commit commit() {
        return AVAILABLE ? Recorded.commit() : NO_COMMIT;
    }

    /** Starts timing a wait for an object {@code holder} holds ({@code org.bobbob.TxLockWait}). */
    public static LockWait lockWait(String holder) {
        return AVAILABLE ? Recorded.lockWait(holder) : (objectId, outcome) -> {};
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
            return (path, kind, created, objects, fileBytes, recordBytes) -> {
                if (e.shouldCommit()) {
                    e.path = path;
                    e.kind = kind;
                    e.created = created;
                    e.objects = objects;
                    e.fileBytes = fileBytes;
                    e.recordBytes = recordBytes;
                    e.commit();
                }
            };
        }

        static Commit commit() {
            StoreCommitEvent e = new StoreCommitEvent();
            e.begin();
            return (path, recordBytes, bothSlots, succeeded) -> {
                if (e.shouldCommit()) {
                    e.path = path;
                    e.recordBytes = recordBytes;
                    e.bothSlots = bothSlots;
                    e.succeeded = succeeded;
                    e.commit();
                }
            };
        }

        static LockWait lockWait(String holder) {
            TxLockWaitEvent e = new TxLockWaitEvent();
            e.begin();
            return (objectId, outcome) -> {
                if (e.shouldCommit()) {
                    e.holder = holder;
                    e.objectId = objectId;
                    e.outcome = outcome;
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
