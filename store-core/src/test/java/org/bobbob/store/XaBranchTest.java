package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** XA branches across a reopen of the store, as a transaction manager's recovery finishes them. */
class XaBranchTest {
    @TempDir
    Path dir;

    private static final Xid XID = new XaTest.TestXid(4711, new byte[] {1, 2, 3}, new byte[] {4});

    private String url(String kind) {
        return "bobbob:" + kind + ":" + dir.resolve("store.bob");
    }

    private static List<Xid> inDoubt(Storer s) throws IOException, XAException {
        try (XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
            return List.of(c.getXAResource().recover(XAResource.TMSTARTRSCAN));
        }
    }

    /**
     * A branch prepared on a reopened store, committed by a resource of the store reopened again,
     * stays committed after the next reopen. Both changes of the branch table free nothing when
     * the branch only deletes (prepare) or only creates (commit); on a store opened lazily (one
     * whose last open built no allocator state: it allocated and freed nothing since) such a change
     * reached no record: prepare returned XA_OK with nothing durable (the next open had forgotten
     * the branch), and a commit after a reopen left the branch prepared, its new object hidden.
     */
    @ParameterizedTest
    @CsvSource({"basic, create", "multi, create", "multi, overwrite", "multi, delete"})
    void aBranchPreparedBeforeAReopenAndCommittedAfterItStaysCommitted(String kind, String change) throws Exception {
        byte[] before = TestBytes.of(1, 700);
        byte[] after = TestBytes.of(2, 700);
        long existing;
        long id;
        try (Storer s = StoreManager.open(url(kind))) {
            existing = s.writeNewObjFromBytes(before);
            s.sync();
        }
        try (Storer s = StoreManager.open(url(kind));
                XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
            XAResource r = c.getXAResource();
            r.start(XID, XAResource.TMNOFLAGS);
            id = switch (change) {
                case "create" -> c.getStorer().writeNewObjFromBytes(after);
                case "overwrite" -> {
                    c.getStorer().writeBytesToObj(existing, after);
                    yield existing;
                }
                default -> {
                    c.getStorer().deleteObj(existing);
                    yield existing;
                }
            };
            r.end(XID, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(XID));
        }
        try (Storer s = StoreManager.open(url(kind))) {
            List<Xid> prepared = inDoubt(s);
            assertEquals(1, prepared.size());
            assertEquals(XID.getFormatId(), prepared.get(0).getFormatId());
            assertArrayEquals(XID.getGlobalTransactionId(), prepared.get(0).getGlobalTransactionId());
            assertArrayEquals(XID.getBranchQualifier(), prepared.get(0).getBranchQualifier());
            try (XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
                c.getXAResource().commit(XID, false);
            }
            check(s, change, id, existing, before, after);
        }
        try (Storer s = StoreManager.open(url(kind))) {
            assertEquals(List.of(), inDoubt(s));
            check(s, change, id, existing, before, after);
        }
    }

    /**
     * A branch past its timeout is rolled back by its next call; {@code end} then says
     * XA_RBTIMEOUT and ends the association, so the connection starts the next branch. It used to
     * answer XAER_NOTA and keep the dead branch associated: every later {@code start} of the
     * connection failed with XAER_PROTO and its Storer kept failing with BOB-121.
     */
    @Test
    void aConnectionWhoseBranchTimedOutEndsItAndStartsTheNext() throws Exception {
        try (Storer s = StoreManager.open(url("multi"));
                XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection()) {
            XAResource r = c.getXAResource();
            r.setTransactionTimeout(1);
            r.start(XID, XAResource.TMNOFLAGS);
            long lost = c.getStorer().writeNewObjFromBytes(TestBytes.of(3, 100));
            TimePasses.atLeast(java.time.Duration.ofMillis(1100)); // the timeout's second passes
            StoreException ended =
                    assertThrows(StoreException.class, () -> c.getStorer().writeNewObjFromBytes(new byte[1]));
            assertEquals(ErrorCode.TRANSACTION_ENDED, ended.code());
            XAException e = assertThrows(XAException.class, () -> r.end(XID, XAResource.TMSUCCESS));
            assertEquals(XAException.XA_RBTIMEOUT, e.errorCode);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(lost));

            r.setTransactionTimeout(0);
            Xid next = new XaTest.TestXid(4711, new byte[] {5}, new byte[] {6});
            r.start(next, XAResource.TMNOFLAGS);
            long kept = c.getStorer().writeNewObjFromBytes(TestBytes.of(4, 100));
            r.end(next, XAResource.TMSUCCESS);
            r.commit(next, true);
            assertArrayEquals(TestBytes.of(4, 100), s.readBytesFromObj(kept));
            assertEquals(List.of(), inDoubt(s));
        }
    }

    /** As with a timeout, when another resource rolled the associated branch back (XA_RBROLLBACK). */
    @Test
    void aConnectionWhoseBranchWasRolledBackElsewhereEndsItAndStartsTheNext() throws Exception {
        try (Storer s = StoreManager.open(url("multi"));
                XAStoreConnection c = s.unwrap(TransactionalStore.class).openXAConnection();
                XAStoreConnection other = s.unwrap(TransactionalStore.class).openXAConnection()) {
            XAResource r = c.getXAResource();
            r.start(XID, XAResource.TMNOFLAGS);
            long lost = c.getStorer().writeNewObjFromBytes(TestBytes.of(3, 100));
            other.getXAResource().rollback(XID);
            XAException e = assertThrows(XAException.class, () -> r.end(XID, XAResource.TMFAIL));
            assertEquals(XAException.XA_RBROLLBACK, e.errorCode);
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(lost));

            Xid next = new XaTest.TestXid(4711, new byte[] {5}, new byte[] {6});
            r.start(next, XAResource.TMNOFLAGS);
            long kept = c.getStorer().writeNewObjFromBytes(TestBytes.of(4, 100));
            r.end(next, XAResource.TMSUCCESS);
            r.commit(next, true);
            assertArrayEquals(TestBytes.of(4, 100), s.readBytesFromObj(kept));
        }
    }

    private static void check(Storer s, String change, long id, long existing, byte[] before, byte[] after)
            throws IOException {
        if (change.equals("delete")) {
            assertThrows(ObjectNotFoundException.class, () -> s.readBytesFromObj(id));
        } else {
            assertArrayEquals(after, s.readBytesFromObj(id));
            if (id != existing) {
                assertArrayEquals(before, s.readBytesFromObj(existing));
            }
        }
    }
}
