package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's JDK Flight Recorder events, read back through a recording stream. */
class FlightRecorderEventsTest {
    private static final List<String> EVENTS = List.of(
            "org.bobbob.StoreOpen",
            "org.bobbob.StoreCommit",
            "org.bobbob.TxLockWait",
            "org.bobbob.TxRecovery",
            "org.bobbob.StoreBackup");

    @TempDir
    Path dir;

    private RecordingStream stream;
    private final BlockingQueue<RecordedEvent> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void record() {
        stream = new RecordingStream();
        stream.setReuse(false); // events wait in a queue: each must keep its own fields
        for (String name : EVENTS) {
            stream.enable(name).withThreshold(Duration.ZERO);
            stream.onEvent(name, seen::add);
        }
        stream.startAsync();
    }

    @AfterEach
    void stop() {
        stream.close();
    }

    /** The next event named {@code name}, skipping events of other names; fails after 30 s. */
    private RecordedEvent next(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            RecordedEvent e = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertNotNull(e, "no " + name + " event within 30 s");
            if (e.getEventType().getName().equals(name)) {
                return e;
            }
        }
    }

    @Test
    void openCommitLockWaitAndRecoveryAreRecordedWithTheirFields() throws Exception {
        Path file = dir.resolve("events.bob");
        String url = "bobbob:multi:" + file + "?lockTimeoutMillis=100";
        long held;
        try (Storer s = StoreManager.open(url)) {
            RecordedEvent created = next("org.bobbob.StoreOpen");
            assertTrue(created.getBoolean("created"));
            assertEquals("multi", created.getString("kind"));
            assertEquals(file.toString(), created.getString("path"));

            s.writeNewObjFromBytes(new byte[100]);
            held = s.writeNewObjFromBytes(new byte[10]);
            s.sync();
            RecordedEvent commit = next("org.bobbob.StoreCommit");
            assertTrue(commit.getBoolean("succeeded"));
            assertTrue(commit.getLong("recordBytes") > 0);
            assertFalse(commit.getBoolean("bothSlots"));
            assertFalse(commit.getBoolean("journalEntry"), "a small store's record is written whole");
            assertEquals(1, commit.getInt("forces"));

            try (StoreTransaction tx = s.unwrap(TransactionalStore.class).begin()) {
                tx.writeBytesToObj(held, new byte[10]);
                // a call outside the transaction waits for the object, then times out
                assertThrows(LockTimeoutException.class, () -> s.deleteObj(held));
                RecordedEvent wait = next("org.bobbob.TxLockWait");
                assertEquals(held, wait.getLong("objectId"));
                assertEquals("timed out", wait.getString("outcome"));
                // the event's clock starts at the first wait, a little after the timeout's: about 100 ms
                assertTrue(wait.getDuration().toMillis() >= 50, "waited about the lock timeout: " + wait.getDuration());
                tx.rollback();
            }
            // a prepared branch stays in the file for the transaction manager
            XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection();
            Xid xid = XaTest.TestXid.of("events", "b");
            c.getXAResource().start(xid, XAResource.TMNOFLAGS);
            c.getStorer().writeNewObjFromBytes(new byte[5]);
            c.getXAResource().end(xid, XAResource.TMSUCCESS);
            c.getXAResource().prepare(xid);
        }
        try (Storer s = StoreManager.open(url)) {
            RecordedEvent recovery = next("org.bobbob.TxRecovery"); // during the open, so before it
            assertEquals(1, recovery.getInt("inDoubt"));
            assertEquals(0, recovery.getInt("rolledBack"));
            RecordedEvent opened = next("org.bobbob.StoreOpen");
            assertFalse(opened.getBoolean("created"));
            assertTrue(opened.getLong("fileBytes") > 0);
            assertTrue(opened.getLong("recordBytes") > 0);
            assertEquals(10, s.readBytesFromObj(held).length);
        }
    }

    /**
     * Once the record is large, a commit appends a journal entry with its object's bytes and does not
     * force the file (the entry and its slot are written durably by themselves).
     */
    @Test
    void aCommitOfALargeStoreIsRecordedAsAJournalEntryWithoutAForce() throws Exception {
        try (Storer s = StoreManager.open("bobbob:basic:" + dir.resolve("large.bob"))) {
            next("org.bobbob.StoreOpen");
            for (int i = 0; i < 6000; i++) {
                s.writeNewObjFromBytes(new byte[20]);
            }
            s.sync();
            RecordedEvent whole;
            do { // the store's first commit (at create) comes first
                whole = next("org.bobbob.StoreCommit");
                assertFalse(whole.getBoolean("journalEntry"));
            } while (whole.getLong("recordBytes") < 32 << 10);
            long recordBytes = whole.getLong("recordBytes"); // the stream may reuse the event object
            s.writeNewObjFromBytes(new byte[3000]);
            s.sync();
            RecordedEvent entry = next("org.bobbob.StoreCommit");
            assertTrue(entry.getBoolean("journalEntry"));
            assertEquals(0, entry.getInt("forces"));
            assertTrue(entry.getLong("recordBytes") > 3000, "the entry carries the object's bytes");
            assertTrue(
                    entry.getLong("recordBytes") < recordBytes,
                    entry.getLong("recordBytes") + " bytes of entry, " + recordBytes + " of record");
        }
    }

    @Test
    void aBackupIsRecordedWithItsBytesObjectsAndWriterPause() throws Exception {
        Path copy = dir.resolve("copy.bob");
        try (Storer s = StoreManager.open("bobbob:multi:" + dir.resolve("backed.bob"))) {
            next("org.bobbob.StoreOpen");
            for (int i = 0; i < 10; i++) {
                s.writeNewObjFromBytes(new byte[1000]);
            }
            BackupReport report = s.unwrap(Backup.class).backupTo(copy);
            RecordedEvent backup = next("org.bobbob.StoreBackup");
            // Not its path: a stream on JDK 17 may show a string the same chunk already pooled (the
            // store's open event has it) as null. The target is a string of its own.
            assertEquals(copy.toString(), backup.getString("target"));
            assertEquals(report.bytes(), backup.getLong("bytes"));
            assertEquals(10, backup.getLong("objects"));
            assertEquals(report.longestWriterPause(), backup.getDuration("writerPause"));
            assertTrue(backup.getDuration().compareTo(report.longestWriterPause()) >= 0);
        }
    }
}
