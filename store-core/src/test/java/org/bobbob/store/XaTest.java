package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XA side of transactions, driven by hand as a transaction manager would. */
class XaTest {
    @TempDir
    Path dir;

    /** An Xid of another class than the store's own, as a transaction manager's would be. */
    record TestXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
        static TestXid of(String global, String branch) {
            return new TestXid(4711, global.getBytes(StandardCharsets.UTF_8), branch.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }
    }

    private Storer open() throws IOException {
        return StoreManager.open("bobbob:multi:" + dir.resolve("store.bob") + "?lockTimeoutMillis=200");
    }

    private static XAStoreConnection connect(Storer s) throws IOException {
        return s.unwrap(TransactionalStore.class).openXAConnection();
    }

    private static int code(XAException e) {
        return e.errorCode;
    }

    @Test
    void twoPhaseCommitMakesTheBranchVisibleAndDurable() throws Exception {
        Xid xid = TestXid.of("g1", "b1");
        long id;
        long old;
        try (Storer s = open()) {
            old = s.writeNewObjFromBytes(TestBytes.of(1, 100));
            try (XAStoreConnection c = connect(s)) {
                XAResource xa = c.getXAResource();
                xa.start(xid, XAResource.TMNOFLAGS);
                id = c.getStorer().writeNewObjFromBytes(TestBytes.of(2, 300));
                c.getStorer().writeBytesToObj(old, TestBytes.of(3, 100));
                assertArrayEquals(TestBytes.of(2, 300), c.getStorer().readBytesFromObj(id), "the branch sees its own");
                assertThrows(IllegalStateException.class, () -> c.getStorer().sync());
                xa.end(xid, XAResource.TMSUCCESS);
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
                assertEquals(XAResource.XA_OK, xa.prepare(xid));
                assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id), "prepared is not committed");
                xa.commit(xid, false);
            }
            assertArrayEquals(TestBytes.of(2, 300), s.readBytesFromObj(id));
        }
        try (Storer s = open()) {
            assertArrayEquals(TestBytes.of(2, 300), s.readBytesFromObj(id));
            assertArrayEquals(TestBytes.of(3, 100), s.readBytesFromObj(old));
            try (XAStoreConnection c = connect(s)) {
                assertEquals(0, c.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
            }
        }
    }

    /**
     * A prepared branch outlives a close (and a crash: TxCrashTest): after reopening, recover
     * returns its whole Xid, its objects are held (in doubt) and hidden, and a new connection's
     * resource commits it.
     */
    @Test
    void aPreparedBranchIsRecoveredAfterReopenAndCommitsFromAnotherResource() throws Exception {
        Xid xid = TestXid.of("global-2", "branch-2");
        long created;
        long held;
        try (Storer s = open()) {
            held = s.writeNewObjFromBytes(TestBytes.of(1, 5000));
            try (XAStoreConnection c = connect(s)) {
                XAResource xa = c.getXAResource();
                xa.start(xid, XAResource.TMNOFLAGS);
                created = c.getStorer().writeNewObjFromBytes(TestBytes.of(2, 64));
                c.getStorer().writeBytesToObj(held, TestBytes.of(3, 5000));
                xa.end(xid, XAResource.TMSUCCESS);
                assertEquals(XAResource.XA_OK, xa.prepare(xid));
            }
        }
        try (Storer s = open()) {
            TransactionCounts counts = s.unwrap(TransactionalStore.class).transactionCounts();
            assertEquals(0, counts.active());
            assertEquals(1, counts.inDoubt(), "in doubt");
            assertTrue(counts.oldestInDoubtMillis() >= 0 && counts.oldestInDoubtMillis() < 60_000, counts::toString);
            assertEquals(
                    0, counts.committed() + counts.rolledBack() + counts.lockWaits(), "nothing yet since the open");
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(created));
            assertArrayEquals(TestBytes.of(1, 5000), s.readBytesFromObj(held), "committed bytes until decided");
            StoreException doubt = assertThrows(StoreException.class, () -> s.writeBytesToObj(held, new byte[1]));
            assertEquals(ErrorCode.IN_DOUBT, doubt.code());
            try (StoreTransaction t = s.unwrap(TransactionalStore.class).begin()) {
                assertEquals(
                        ErrorCode.IN_DOUBT,
                        assertThrows(StoreException.class, () -> t.deleteObj(held))
                                .code());
            }
            try (XAStoreConnection c = connect(s)) {
                Xid[] found = c.getXAResource().recover(XAResource.TMSTARTRSCAN);
                assertEquals(1, found.length);
                assertEquals(xid.getFormatId(), found[0].getFormatId());
                assertArrayEquals(xid.getGlobalTransactionId(), found[0].getGlobalTransactionId());
                assertArrayEquals(xid.getBranchQualifier(), found[0].getBranchQualifier());
                assertEquals(0, c.getXAResource().recover(XAResource.TMENDRSCAN).length, "one list per scan");
                c.getXAResource().commit(xid, false);
            }
            assertEquals(
                    new TransactionCounts(0, 0, 0, 1, 1, 2),
                    s.unwrap(TransactionalStore.class).transactionCounts(),
                    "the branch committed; the local transaction rolled back; two calls waited for the held object");
            assertArrayEquals(TestBytes.of(2, 64), s.readBytesFromObj(created));
            assertArrayEquals(TestBytes.of(3, 5000), s.readBytesFromObj(held));
            s.writeBytesToObj(held, TestBytes.of(4, 5000)); // released
        }
        try (Storer s = open()) {
            assertArrayEquals(TestBytes.of(2, 64), s.readBytesFromObj(created));
            assertArrayEquals(TestBytes.of(4, 5000), s.readBytesFromObj(held));
        }
    }

    /**
     * A prepared branch with so many new objects that the record's transaction table runs past
     * the first piece that opening reads of it (MetaRecord's check reads 64 KiB at a time and
     * decodes the table from the first piece) is recovered whole after reopening.
     */
    @Test
    void aPreparedBranchWhoseTableOutgrowsTheRecordsFirstPieceIsRecoveredWhole() throws Exception {
        Xid xid = TestXid.of("global-big", "branch-big");
        int count = 20_000;
        long[] created = new long[count];
        try (Storer s = open()) {
            try (XAStoreConnection c = connect(s)) {
                XAResource xa = c.getXAResource();
                xa.start(xid, XAResource.TMNOFLAGS);
                for (int i = 0; i < count; i++) {
                    created[i] = c.getStorer().writeNewObjFromBytes(TestBytes.of(i, 8));
                }
                xa.end(xid, XAResource.TMSUCCESS);
                assertEquals(XAResource.XA_OK, xa.prepare(xid));
            }
        }
        try (Storer s = open()) {
            assertEquals(
                    1, s.unwrap(TransactionalStore.class).transactionCounts().inDoubt());
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(created[count - 1]));
            try (XAStoreConnection c = connect(s)) {
                Xid[] found = c.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
                assertEquals(1, found.length);
                assertArrayEquals(xid.getGlobalTransactionId(), found[0].getGlobalTransactionId());
                c.getXAResource().commit(xid, false);
            }
            for (int i = 0; i < count; i += 997) {
                assertArrayEquals(TestBytes.of(i, 8), s.readBytesFromObj(created[i]));
            }
            assertArrayEquals(TestBytes.of(count - 1, 8), s.readBytesFromObj(created[count - 1]));
        }
    }

    @Test
    void aPreparedBranchRolledBackAfterReopenLeavesNothing() throws Exception {
        Xid xid = TestXid.of("g3", "b3");
        long created;
        long deleted;
        try (Storer s = open()) {
            deleted = s.writeNewObjFromBytes(TestBytes.of(1, 10));
            try (XAStoreConnection c = connect(s)) {
                XAResource xa = c.getXAResource();
                xa.start(xid, XAResource.TMNOFLAGS);
                created = c.getStorer().writeNewObjFromBytes(TestBytes.of(2, 64));
                c.getStorer().deleteObj(deleted);
                xa.end(xid, XAResource.TMSUCCESS);
                xa.prepare(xid);
            }
        }
        try (Storer s = open()) {
            try (XAStoreConnection c = connect(s)) {
                assertEquals(1, c.getXAResource().recover(XAResource.TMSTARTRSCAN).length);
                c.getXAResource().rollback(xid);
                assertEquals(XAException.XAER_NOTA, code(assertThrows(XAException.class, () -> c.getXAResource()
                        .commit(xid, false))));
            }
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(created));
            assertArrayEquals(TestBytes.of(1, 10), s.readBytesFromObj(deleted));
        }
        try (Storer s = open();
                XAStoreConnection c = connect(s)) {
            assertEquals(0, c.getXAResource().recover(XAResource.TMSTARTRSCAN).length, "the rollback was durable");
            assertArrayEquals(TestBytes.of(1, 10), s.readBytesFromObj(deleted));
        }
    }

    @Test
    void readOnlyOnePhaseFailedAndTimedOutBranches() throws Exception {
        try (Storer s = open();
                XAStoreConnection c = connect(s)) {
            XAResource xa = c.getXAResource();
            long id = s.writeNewObjFromBytes(TestBytes.of(1, 10));
            // read-only: XA_RDONLY, and the branch is over
            Xid ro = TestXid.of("ro", "1");
            xa.start(ro, XAResource.TMNOFLAGS);
            assertArrayEquals(TestBytes.of(1, 10), c.getStorer().readBytesFromObj(id));
            xa.end(ro, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_RDONLY, xa.prepare(ro));
            assertEquals(XAException.XAER_NOTA, code(assertThrows(XAException.class, () -> xa.commit(ro, false))));
            // one phase
            Xid one = TestXid.of("one", "1");
            xa.start(one, XAResource.TMNOFLAGS);
            long created = c.getStorer().writeNewObjFromBytes(TestBytes.of(2, 10));
            xa.end(one, XAResource.TMSUCCESS);
            assertEquals(XAException.XAER_PROTO, code(assertThrows(XAException.class, () -> xa.commit(one, false))));
            xa.commit(one, true);
            assertArrayEquals(TestBytes.of(2, 10), s.readBytesFromObj(created));
            // TMFAIL: prepare votes no and rolls back
            Xid failed = TestXid.of("failed", "1");
            xa.start(failed, XAResource.TMNOFLAGS);
            long lost = c.getStorer().writeNewObjFromBytes(TestBytes.of(3, 10));
            xa.end(failed, XAResource.TMFAIL);
            assertEquals(XAException.XA_RBROLLBACK, code(assertThrows(XAException.class, () -> xa.prepare(failed))));
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(lost));
            // a timeout rolls back an active branch: its holder's objects are free again
            assertTrue(xa.setTransactionTimeout(1));
            Xid slow = TestXid.of("slow", "1");
            xa.start(slow, XAResource.TMNOFLAGS);
            c.getStorer().writeBytesToObj(id, TestBytes.of(4, 10));
            xa.end(slow, XAResource.TMSUCCESS);
            xa.setTransactionTimeout(0);
            // the branch times out at its deadline; a writer outside then takes the object at once
            TimePasses.atLeast(java.time.Duration.ofMillis(1500));
            s.writeBytesToObj(id, TestBytes.of(5, 10));
            assertEquals(XAException.XA_RBTIMEOUT, code(assertThrows(XAException.class, () -> xa.prepare(slow))));
            assertArrayEquals(TestBytes.of(5, 10), s.readBytesFromObj(id));
        }
    }

    @Test
    void misuseGetsTheRightCodes() throws Exception {
        try (Storer s = open();
                XAStoreConnection c = connect(s);
                XAStoreConnection other = connect(s)) {
            XAResource xa = c.getXAResource();
            Xid xid = TestXid.of("m", "1");
            assertEquals(XAException.XAER_NOTA, code(assertThrows(XAException.class, () -> xa.prepare(xid))));
            assertEquals(XAException.XAER_NOTA, code(assertThrows(XAException.class, () -> xa.rollback(xid))));
            assertEquals(XAException.XAER_NOTA, code(assertThrows(XAException.class, () -> xa.forget(xid))));
            assertEquals(
                    XAException.XAER_INVAL,
                    code(assertThrows(XAException.class, () -> xa.start(null, XAResource.TMNOFLAGS))));
            xa.start(xid, XAResource.TMNOFLAGS);
            assertEquals(
                    XAException.XAER_PROTO,
                    code(assertThrows(XAException.class, () -> xa.start(TestXid.of("m", "2"), XAResource.TMNOFLAGS))),
                    "one branch per connection at a time");
            assertEquals(XAException.XAER_DUPID, code(assertThrows(XAException.class, () -> other.getXAResource()
                    .start(xid, XAResource.TMNOFLAGS))));
            assertEquals(XAException.XAER_PROTO, code(assertThrows(XAException.class, () -> xa.commit(xid, false))));
            xa.end(xid, XAResource.TMSUSPEND);
            other.getXAResource().start(xid, XAResource.TMJOIN); // joined from another connection
            long id = other.getStorer().writeNewObjFromBytes(TestBytes.of(1, 10));
            other.getXAResource().end(xid, XAResource.TMSUCCESS);
            assertTrue(xa.isSameRM(other.getXAResource()));
            assertEquals(XAResource.XA_OK, xa.prepare(xid));
            assertEquals(XAException.XAER_PROTO, code(assertThrows(XAException.class, () -> xa.commit(xid, true))));
            other.getXAResource().commit(xid, false);
            assertArrayEquals(TestBytes.of(1, 10), s.readBytesFromObj(id));
            // outside a branch the connection's Storer is the store's
            long plain = c.getStorer().writeNewObjFromBytes(TestBytes.of(2, 10));
            assertArrayEquals(TestBytes.of(2, 10), s.readBytesFromObj(plain));
        }
        try (Storer a = open();
                XAStoreConnection ca = connect(a)) {
            Path otherFile = dir.resolve("other.bob");
            try (Storer b = StoreManager.open("bobbob:multi:" + otherFile);
                    XAStoreConnection cb = connect(b)) {
                assertFalse(ca.getXAResource().isSameRM(cb.getXAResource()), "another store is another RM");
            }
        }
    }
}
