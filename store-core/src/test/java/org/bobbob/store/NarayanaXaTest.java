package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.NarayanaXaWorker.Named;
import org.bobbob.store.NarayanaXaWorker.Point;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bobbob's XAResource with a real transaction manager outside any server: Narayana runs each
 * transaction over bobbob and H2 (an XADataSource); the transaction writes a blob through the XA
 * connection's Storer and inserts a row naming it.
 *
 * <p>In this JVM: commit shows both, rollback neither, and a transaction H2 fails leaves no blob.
 * Crash recovery: a child JVM ({@link NarayanaXaWorker}) runs the same transaction (which also
 * overwrites one object and deletes another) and is killed with {@code destroyForcibly} at each
 * point of the two-phase commit; a second child restarts Narayana on the same object store and
 * recovers both resources; then both must agree (blob, overwrite, delete and row, or none of
 * them), with nothing left in doubt and no transaction log left (a heuristic outcome would keep
 * its log).
 */
class NarayanaXaTest {
    /** Rounds per crash point: 1 in the default run; {@code -Dbobbob.narayana.rounds} in the stress profile. */
    private static final int ROUNDS = Integer.getInteger("bobbob.narayana.rounds", 1);
    /** A child that takes longer than this is killed (its pipe closes, the test fails). */
    private static final long CHILD_SECONDS = 90;

    /** Narayana's object store for this JVM (its configuration is set once per JVM). */
    @TempDir
    static Path objectStore;

    private static TransactionManager tm;

    @TempDir
    Path dir;

    private Storer store;
    private XAStoreConnection bobbob;
    private JdbcDataSource ds;
    private XAConnection h2;
    /**
     * The handle of {@link #h2}, taken once: H2's {@code getConnection()} closes the last handle,
     * which turns auto-commit on, under a running transaction too.
     */
    private Connection sql;

    @BeforeAll
    static void narayana() throws Exception {
        NarayanaXaWorker.configure(objectStore);
        tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    @BeforeEach
    void open() throws Exception {
        store = StoreManager.open("bobbob:multi:" + dir.resolve("store.bob"));
        bobbob = store.unwrap(TransactionalStore.class).openXAConnection();
        ds = NarayanaXaWorker.h2(dir.resolve("db"));
        NarayanaXaWorker.createTable(ds);
        h2 = ds.getXAConnection();
        sql = h2.getConnection();
    }

    @AfterEach
    void close() throws Exception {
        if (tm.getTransaction() != null) {
            tm.rollback();
        }
        h2.close();
        bobbob.close();
        store.close();
    }

    /** Begins a transaction with bobbob's and {@code h2Resource} enlisted, in that order. */
    private void begin(XAResource h2Resource) throws Exception {
        tm.begin();
        Transaction tx = tm.getTransaction();
        assertTrue(tx.enlistResource(new Named(NarayanaXaWorker.BOBBOB, bobbob.getXAResource(), null)));
        assertTrue(tx.enlistResource(h2Resource));
    }

    private XAResource h2Resource() throws SQLException {
        return new Named(NarayanaXaWorker.H2, h2.getXAResource(), null);
    }

    private void assertNothingInDoubt() throws Exception {
        assertEquals(List.of(), NarayanaXaWorker.inDoubt(bobbob.getXAResource()), "bobbob");
        assertEquals(List.of(), NarayanaXaWorker.inDoubt(h2.getXAResource()), "h2");
    }

    @Test
    void commitMakesTheBlobAndTheRowVisibleTogether() throws Exception {
        byte[] data = NarayanaXaWorker.payload("commit");
        begin(h2Resource());
        long id = bobbob.getStorer().writeNewObjFromBytes(data);
        NarayanaXaWorker.insertRow(sql, "commit", id);
        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id), "seen before the commit");
        tm.commit();

        assertArrayEquals(data, store.readBytesFromObj(id));
        assertEquals(id, NarayanaXaWorker.rowOf(ds, "commit"));
        assertNothingInDoubt();
        reopen();
        assertArrayEquals(data, store.readBytesFromObj(id));
        assertNothingInDoubt();
    }

    private void reopen() throws IOException {
        bobbob.close();
        store.close();
        store = StoreManager.open("bobbob:multi:" + dir.resolve("store.bob"));
        bobbob = store.unwrap(TransactionalStore.class).openXAConnection();
    }

    @Test
    void bobbobAloneCommitsInOnePhase() throws Exception {
        List<String> calls = new ArrayList<>();
        tm.begin();
        tm.getTransaction().enlistResource(new Recorded("bobbob", bobbob.getXAResource(), false, calls));
        long id = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("alone"));
        tm.commit();

        assertEquals(List.of("bobbob one-phase commit"), calls);
        reopen();
        assertArrayEquals(NarayanaXaWorker.payload("alone"), store.readBytesFromObj(id));
        assertNothingInDoubt();
    }

    @Test
    void twoConnectionsOfTheStoreJoinOneBranch() throws Exception {
        try (XAStoreConnection second = store.unwrap(TransactionalStore.class).openXAConnection()) {
            assertTrue(bobbob.getXAResource().isSameRM(second.getXAResource()));
            tm.begin();
            Transaction tx = tm.getTransaction();
            tx.enlistResource(bobbob.getXAResource());
            tx.enlistResource(second.getXAResource()); // Narayana: start(xid, TMJOIN)
            long a = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("a"));
            long b = second.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("b"));
            assertArrayEquals(NarayanaXaWorker.payload("a"), second.getStorer().readBytesFromObj(a), "one branch");
            tm.commit();

            assertArrayEquals(NarayanaXaWorker.payload("a"), store.readBytesFromObj(a));
            assertArrayEquals(NarayanaXaWorker.payload("b"), store.readBytesFromObj(b));
            assertNothingInDoubt();
        }
    }

    /** As a container's connection manager suspends and resumes a transaction with its connections. */
    @Test
    void aSuspendedBranchResumesWhereItWas() throws Exception {
        tm.begin();
        Transaction tx = tm.getTransaction();
        XAResource r = bobbob.getXAResource();
        tx.enlistResource(r);
        tx.enlistResource(h2Resource());
        long a = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("a"));
        assertTrue(tx.delistResource(r, XAResource.TMSUSPEND)); // end(xid, TMSUSPEND)
        assertEquals(tx, tm.suspend());
        long outside = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("outside"));
        assertArrayEquals(NarayanaXaWorker.payload("outside"), store.readBytesFromObj(outside), "not in the branch");
        assertThrows(ObjectNotFoundException.class, () -> bobbob.getStorer().readBytesFromObj(a));
        tm.resume(tx);
        assertTrue(tx.enlistResource(r)); // start(xid, TMRESUME)
        long b = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("b"));
        assertArrayEquals(NarayanaXaWorker.payload("a"), bobbob.getStorer().readBytesFromObj(a));
        NarayanaXaWorker.insertRow(sql, "suspended", b);
        tm.commit();

        assertArrayEquals(NarayanaXaWorker.payload("a"), store.readBytesFromObj(a));
        assertArrayEquals(NarayanaXaWorker.payload("b"), store.readBytesFromObj(b));
        assertEquals(b, NarayanaXaWorker.rowOf(ds, "suspended"));
        assertNothingInDoubt();
    }

    @Test
    void aBranchThatOnlyReadsVotesReadOnlyAndIsNotCommitted() throws Exception {
        long id = store.writeNewObjFromBytes(NarayanaXaWorker.payload("read"));
        store.sync();
        List<String> calls = new ArrayList<>();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(new Recorded("bobbob", bobbob.getXAResource(), false, calls));
        tx.enlistResource(new Recorded("h2", h2.getXAResource(), false, calls));
        assertArrayEquals(NarayanaXaWorker.payload("read"), bobbob.getStorer().readBytesFromObj(id));
        NarayanaXaWorker.insertRow(sql, "read", id);
        tm.commit();

        // with bobbob out, Narayana commits H2 in one phase
        assertEquals(List.of("bobbob prepare: read-only", "h2 one-phase commit"), calls);
        assertEquals(id, NarayanaXaWorker.rowOf(ds, "read"));
        assertNothingInDoubt();
    }

    @Test
    void rollbackLeavesNeither() throws Exception {
        begin(h2Resource());
        long id = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("rollback"));
        NarayanaXaWorker.insertRow(sql, "rollback", id);
        tm.rollback();

        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
        assertEquals(-1, NarayanaXaWorker.rowOf(ds, "rollback"));
        assertNothingInDoubt();
    }

    @Test
    void aConstraintViolationInH2RollsTheBlobBack() throws Exception {
        try (Connection c = ds.getConnection()) {
            NarayanaXaWorker.insertRow(c, "taken", 0);
        }
        begin(h2Resource());
        long id = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("taken"));
        assertThrows(SQLException.class, () -> NarayanaXaWorker.insertRow(sql, "taken", id));
        tm.setRollbackOnly(); // what an application (or a container) does when a statement fails
        assertThrows(RollbackException.class, tm::commit);

        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
        assertEquals(0, NarayanaXaWorker.rowOf(ds, "taken"));
        assertNothingInDoubt();
    }

    @Test
    void h2VotingNoAtPrepareRollsBackBobbobsPreparedBranch() throws Exception {
        List<String> calls = new ArrayList<>();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(
                new Named(NarayanaXaWorker.BOBBOB, new Recorded("bobbob", bobbob.getXAResource(), false, calls), null));
        tx.enlistResource(new Named(NarayanaXaWorker.H2, new Recorded("h2", h2.getXAResource(), true, calls), null));
        long id = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("vote"));
        NarayanaXaWorker.insertRow(sql, "vote", id);
        // Narayana warns of the failed prepare with stack traces: expected here
        java.util.logging.Logger arjuna = java.util.logging.Logger.getLogger("com.arjuna");
        java.util.logging.Level level = arjuna.getLevel();
        arjuna.setLevel(java.util.logging.Level.SEVERE);
        try {
            assertThrows(RollbackException.class, tm::commit);
        } finally {
            arjuna.setLevel(level);
        }

        assertEquals(List.of("bobbob prepare", "h2 prepare: votes no", "bobbob rollback"), calls);
        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
        assertEquals(-1, NarayanaXaWorker.rowOf(ds, "vote"));
        assertNothingInDoubt();
        reopen(); // the rollback of the prepared branch was durable: it does not come back
        assertNothingInDoubt();
        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(id));
    }

    /**
     * A resource that records its prepares and rollbacks in {@code calls}; with {@code votesNo}, it
     * rolls its branch back at prepare and votes no, as a database whose deferred constraint fails.
     */
    private static final class Recorded implements XAResource {
        private final String name;
        private final XAResource r;
        private final boolean votesNo;
        private final List<String> calls;

        /** With {@code ownTimeout} seconds, the resource keeps that timeout whatever Narayana sets; 0: Narayana's. */
        private final int ownTimeout;

        Recorded(String name, XAResource r, boolean votesNo, List<String> calls) {
            this(name, r, votesNo, calls, 0);
        }

        Recorded(String name, XAResource r, boolean votesNo, List<String> calls, int ownTimeout) {
            this.name = name;
            this.r = r;
            this.votesNo = votesNo;
            this.calls = calls;
            this.ownTimeout = ownTimeout;
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            if (votesNo) {
                r.rollback(xid);
                calls.add(name + " prepare: votes no");
                throw new XAException(XAException.XA_RBINTEGRITY);
            }
            int vote = r.prepare(xid);
            calls.add(name + " prepare" + (vote == XA_RDONLY ? ": read-only" : ""));
            return vote;
        }

        @Override
        public void start(Xid xid, int flags) throws XAException {
            r.start(xid, flags);
        }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            r.end(xid, flags);
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            calls.add(name + (onePhase ? " one-phase commit" : " commit"));
            r.commit(xid, onePhase);
        }

        @Override
        public void rollback(Xid xid) throws XAException {
            calls.add(name + " rollback");
            r.rollback(xid);
        }

        @Override
        public Xid[] recover(int flag) throws XAException {
            return r.recover(flag);
        }

        @Override
        public void forget(Xid xid) throws XAException {
            r.forget(xid);
        }

        @Override
        public boolean isSameRM(XAResource other) {
            return other == this;
        }

        @Override
        public int getTransactionTimeout() throws XAException {
            return r.getTransactionTimeout();
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws XAException {
            return r.setTransactionTimeout(ownTimeout > 0 ? ownTimeout : seconds);
        }
    }

    /**
     * bobbob's branch outlives its timeout (shorter than Narayana's): its next call rolls it back;
     * Narayana's commit then ends it (XA_RBTIMEOUT) and rolls back; the same connection serves the
     * next transaction. Before {@code end} ended the association of a branch rolled back by its
     * timeout, the connection stayed tied to it and Narayana could not enlist it again (start:
     * XAER_PROTO).
     */
    @Test
    void aConnectionWhoseBranchTimedOutServesTheNextTransaction() throws Exception {
        List<String> calls = new ArrayList<>();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(new Recorded("bobbob", bobbob.getXAResource(), false, calls, 1));
        tx.enlistResource(h2Resource());
        long lost = bobbob.getStorer().writeNewObjFromBytes(NarayanaXaWorker.payload("lost"));
        TimePasses.atLeast(java.time.Duration.ofMillis(1100)); // the timeout's second passes
        StoreException ended =
                assertThrows(StoreException.class, () -> bobbob.getStorer().writeNewObjFromBytes(new byte[1]));
        assertEquals(ErrorCode.TRANSACTION_ENDED, ended.code());
        NarayanaXaWorker.insertRow(sql, "lost", lost);
        java.util.logging.Logger arjuna = java.util.logging.Logger.getLogger("com.arjuna");
        java.util.logging.Level level = arjuna.getLevel();
        arjuna.setLevel(java.util.logging.Level.SEVERE); // Narayana warns of the failed end: expected
        try {
            assertThrows(RollbackException.class, tm::commit);
        } finally {
            arjuna.setLevel(level);
        }
        assertEquals(List.of("bobbob rollback"), calls);
        assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(lost));
        assertEquals(-1, NarayanaXaWorker.rowOf(ds, "lost"));

        byte[] data = NarayanaXaWorker.payload("kept");
        begin(h2Resource());
        long kept = bobbob.getStorer().writeNewObjFromBytes(data);
        NarayanaXaWorker.insertRow(sql, "kept", kept);
        tm.commit();
        assertArrayEquals(data, store.readBytesFromObj(kept));
        assertEquals(kept, NarayanaXaWorker.rowOf(ds, "kept"));
        assertNothingInDoubt();
    }

    // ---------------------------------------------------------------- crash recovery

    @ParameterizedTest
    @EnumSource(Point.class)
    void bothResourcesAgreeAfterAKillAtEachPointOfTwoPhaseCommit(Point point) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            crashAndRecover(point, Files.createDirectory(dir.resolve(point + "-" + round)));
        }
    }

    private static void crashAndRecover(Point point, Path dir) throws Exception {
        Path storeFile = dir.resolve("store.bob");
        Path db = dir.resolve("db");
        Path logs = dir.resolve("objectstore");
        List<String> ran = child(
                dir.resolve("run.err"),
                "PAUSED " + point,
                "run",
                point.name(),
                storeFile.toString(),
                db.toString(),
                logs.toString());
        String where = point + ": " + ran;
        assertEquals("PAUSED " + point, ran.get(ran.size() - 1), where);
        long id = ran.stream()
                .filter(l -> l.startsWith("BLOB "))
                .mapToLong(l -> Long.parseLong(l.substring(5)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(where));
        long[] objects = ran.stream()
                .filter(l -> l.startsWith("OBJECTS "))
                .map(l -> l.substring(8).split(" "))
                .map(f -> new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])})
                .findFirst()
                .orElseThrow(() -> new AssertionError(where));
        assertTrue(ran.contains("PREPARED " + NarayanaXaWorker.BOBBOB), where);
        boolean decided = point.decided();
        List<String> logged = NarayanaXaWorker.logs(logs).stream()
                .filter(NarayanaXaTest::isTransactionLog)
                .toList();
        assertEquals(decided, !logged.isEmpty(), where + "; logs " + NarayanaXaWorker.logs(logs));
        if (decided) {
            assertTrue(ran.contains("PREPARED " + NarayanaXaWorker.H2), where);
        }
        List<String> committed =
                ran.stream().filter(l -> l.startsWith("COMMITTED ")).toList();
        switch (point) {
            case BETWEEN_COMMITS -> assertEquals(List.of("COMMITTED " + NarayanaXaWorker.BOBBOB), committed, where);
            case BETWEEN_COMMITS_H2_FIRST ->
                assertEquals(List.of("COMMITTED " + NarayanaXaWorker.H2), committed, where);
            default -> assertEquals(List.of(), committed, where);
        }

        List<String> recovered = child(
                dir.resolve("recover.err"), null, "recover", storeFile.toString(), db.toString(), logs.toString());
        String recoveryErr = Files.readString(dir.resolve("recover.err"));
        assertTrue(recovered.contains("CLEAN"), where + "; recovery: " + recovered + "\n" + recoveryErr);
        // Narayana names heuristic outcomes TwoPhaseOutcome.HEURISTIC_* and XA_HEUR*.
        assertFalse(recoveryErr.contains("HEUR"), recoveryErr);

        byte[] payload = NarayanaXaWorker.payload(point.name());
        try (Storer s = StoreManager.open("bobbob:multi:" + storeFile)) {
            if (decided) {
                assertArrayEquals(payload, s.readBytesFromObj(id), where);
                assertArrayEquals(NarayanaXaWorker.AFTER, s.readBytesFromObj(objects[0]), where);
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(objects[1]), where);
            } else {
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), where);
                assertArrayEquals(NarayanaXaWorker.BEFORE, s.readBytesFromObj(objects[0]), where);
                assertArrayEquals(NarayanaXaWorker.BEFORE, s.readBytesFromObj(objects[1]), where);
            }
            try (XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
                assertEquals(List.of(), NarayanaXaWorker.inDoubt(c.getXAResource()), where);
            }
        }
        JdbcDataSource ds = NarayanaXaWorker.h2(db);
        assertEquals(decided ? id : -1, NarayanaXaWorker.rowOf(ds, point.name()), where);
        XAConnection x = ds.getXAConnection();
        try {
            assertEquals(List.of(), NarayanaXaWorker.inDoubt(x.getXAResource()), where);
        } finally {
            x.close();
        }
    }

    /** Whether a file of Narayana's object store is a transaction's log. */
    private static boolean isTransactionLog(String file) {
        return file.contains("AtomicAction");
    }

    /**
     * Runs {@link NarayanaXaWorker} with {@code args}, its stderr to {@code err}; with {@code stopAt},
     * kills it once it printed that line. Returns its stdout lines.
     */
    private static List<String> child(Path err, String stopAt, String... args)
            throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(
                NarayanaXaWorker.class, List.of(args), "256m", err, stopAt == null ? null : stopAt::equals, (int)
                        CHILD_SECONDS);
        if (stopAt == null) {
            assertEquals(0, r.exitValue(), r.lines() + "\n" + Files.readString(err));
        }
        return r.lines();
    }
}
