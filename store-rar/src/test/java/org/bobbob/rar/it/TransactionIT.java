package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter in WildFly's transactions (XATransaction): container-managed transactions of a
 * {@code @Stateless} bean and bean-managed ones through {@link UserTransaction}. Blobs written in a
 * transaction that rolls back are gone; in one that commits, there; nothing written in a
 * transaction is seen outside before its commit.
 */
@ExtendWith(ArquillianExtension.class)
class TransactionIT {
    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar();
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ItArchives.warBesideTheRar(
                        "tx-it.war",
                        TransactionIT.class,
                        TransactionalWriterBean.class,
                        BlobAndRowBean.class,
                        AdapterChecks.class)
                .addAsWebInfResource("it/blobs-xa-ds.xml", "blobs-xa-ds.xml");
    }

    @EJB
    TransactionalWriterBean bean;

    @EJB
    BlobAndRowBean both;

    @Resource(lookup = "java:/bobbob/DefaultStore")
    StoreConnectionFactory factory;

    @Resource(lookup = "java:comp/UserTransaction")
    UserTransaction tx;

    private void assertGone(List<Long> ids) throws Exception {
        AdapterChecks.assertGone(factory, ids);
    }

    private void assertThere(List<Long> ids) throws Exception {
        try (StoreConnection store = factory.getConnection()) {
            for (int i = 0; i < ids.size(); i++) {
                assertArrayEquals(("blob " + i).getBytes(StandardCharsets.UTF_8), store.readBytesFromObj(ids.get(i)));
            }
        }
    }

    @Test
    @OperateOnDeployment("war")
    void aSystemExceptionRollsBackEveryBlobTheBeanWrote() throws Exception {
        List<Long> ids = new ArrayList<>();
        assertThrows(EJBException.class, () -> bean.writeThenThrow(3, ids));
        assertEquals(3, ids.size());
        assertGone(ids);
    }

    @Test
    @OperateOnDeployment("war")
    void setRollbackOnlyLeavesNothingAndAKeptApplicationExceptionCommits() throws Exception {
        List<Long> dropped = new ArrayList<>();
        bean.writeThenRollbackOnly(2, dropped);
        assertGone(dropped);
        List<Long> kept = new ArrayList<>();
        assertThrows(TransactionalWriterBean.KeepIt.class, () -> bean.writeThenKeep(2, kept));
        assertThere(kept);
        List<Long> committed = new ArrayList<>();
        bean.writeAndCommit(3, committed);
        assertThere(committed);
    }

    @Test
    @OperateOnDeployment("war")
    void userTransactionsCommitAndRollBackAndIsolateTheirWrites() throws Exception {
        List<Long> ids = new ArrayList<>();
        tx.begin();
        bean.writeAndCommit(2, ids); // joins the caller's transaction
        try (StoreConnection store = factory.getConnection()) {
            assertArrayEquals("blob 0".getBytes(StandardCharsets.UTF_8), store.readBytesFromObj(ids.get(0)));
            StoreException sync = assertThrows(StoreException.class, store::sync);
            assertEquals(ErrorCode.RAR_SYNC_IN_TRANSACTION, sync.code());
        }
        tx.rollback();
        assertGone(ids);

        long victim;
        long target;
        try (StoreConnection store = factory.getConnection()) {
            victim = store.writeNewObjFromBytes(new byte[] {1});
            target = store.writeNewObjFromBytes(new byte[] {2, 2});
        }
        List<Long> more = new ArrayList<>();
        tx.begin();
        bean.writeAndCommit(1, more);
        bean.overwriteAndDelete(target, new byte[] {3, 3}, victim);
        tx.commit();
        assertThere(more);
        try (StoreConnection store = factory.getConnection()) {
            assertArrayEquals(new byte[] {3, 3}, store.readBytesFromObj(target));
            assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(victim));
        }
    }

    /** A UserTransaction that outlives its timeout is rolled back by the server: its blobs are gone. */
    @Test
    @OperateOnDeployment("war")
    void aTransactionTimeoutRollsBackTheBlobs() throws Exception {
        List<Long> ids = new ArrayList<>();
        tx.setTransactionTimeout(1);
        try {
            tx.begin();
            bean.writeAndCommit(2, ids);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (tx.getStatus() == jakarta.transaction.Status.STATUS_ACTIVE) { // the reaper's time
                assertTrue(System.nanoTime() < deadline, "the transaction never timed out");
                Thread.onSpinWait();
            }
            assertThrows(Exception.class, tx::commit, "a timed-out transaction does not commit");
        } finally {
            tx.setTransactionTimeout(0);
        }
        assertGone(ids);
    }

    /** A blob and the database row naming it commit together, or neither stays (a failure in either). */
    @Test
    @OperateOnDeployment("war")
    void aBlobAndItsRowCommitTogetherOrNotAtAll() throws Exception {
        long id = both.blobAndRow("first", new byte[] {1, 2, 3});
        assertEquals(id, both.rowOf("first"));
        try (StoreConnection store = factory.getConnection()) {
            assertArrayEquals(new byte[] {1, 2, 3}, store.readBytesFromObj(id));
        }
        // the database fails (the name is taken): the blob written before is gone
        EJBException dbFailed = assertThrows(EJBException.class, () -> both.blobAndRow("first", new byte[] {4}));
        String message = String.valueOf(dbFailed.getCause());
        long lost = Long.parseLong(message.substring(message.lastIndexOf(' ') + 1));
        try (StoreConnection store = factory.getConnection()) {
            assertThrows(ObjectNotFoundException.class, () -> store.readBytesFromObj(lost));
        }
        // the store fails: the row inserted before is gone
        assertThrows(EJBException.class, () -> both.rowThenStoreFailure("second"));
        assertEquals(-1, both.rowOf("second"));
    }

    /**
     * 20 transactions at once, each adding one to a shared counter blob and writing a blob and its
     * row: no increment is lost, and every row names a blob that exists.
     */
    @Test
    @OperateOnDeployment("war")
    void twentyConcurrentTransactionsLoseNoUpdateAndLeaveNoPhantomBlob() throws Exception {
        long counter;
        try (StoreConnection store = factory.getConnection()) {
            counter = store.writeNewObjFromBytes(new byte[8]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<java.util.concurrent.Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "concurrent-" + i;
                all.add(pool.submit(() -> {
                    both.increment(counter, name);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : all) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try (StoreConnection store = factory.getConnection()) {
            assertEquals(
                    20,
                    java.nio.ByteBuffer.wrap(store.readBytesFromObj(counter)).getLong(),
                    "lost updates");
            for (int i = 0; i < 20; i++) {
                long id = both.rowOf("concurrent-" + i);
                assertTrue(id > 0, "row " + i);
                assertArrayEquals(new byte[] {2}, store.readBytesFromObj(id), "the blob row " + i + " names");
            }
        }
    }
}
