package org.bobbob.store;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.RecoveryEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.arjuna.recovery.RecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.internal.jta.resources.arjunacore.XAResourceRecord;
import com.arjuna.ats.internal.jta.resources.arjunacore.XAResourceRecordWrappingPlugin;
import com.arjuna.ats.jta.common.JTAEnvironmentBean;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.h2.jdbcx.JdbcDataSource;
import org.jboss.tm.XAResourceWrapper;

/**
 * The child process of {@link NarayanaXaTest}, and the set-up both share: Narayana's configuration,
 * the H2 database, the named resources.
 *
 * <p>{@code run POINT store h2 objectStore}: one Narayana transaction writes a blob through
 * bobbob's XA connection and inserts an H2 row naming it, and stops for good at {@code POINT} of
 * the two-phase commit (the parent kills it there). {@code recover store h2 objectStore}: a
 * restarted Narayana with the same object store recovers both resources, scan after scan until
 * nothing is in doubt and no transaction log is left. Each line on stdout is flushed:
 * <pre>
 *   OBJECTS a b        objects written and synced before the transaction, which overwrites a and deletes b
 *   BLOB id            the blob was written in the transaction
 *   PREPARED name      a resource's prepare returned (name: bobbob or h2)
 *   COMMITTING name    a resource's commit is about to start
 *   COMMITTED name     a resource's commit returned
 *   PAUSED point       this process stops here, for good
 *   SCAN n left        after recovery scan n: what is still in doubt or logged ([] when nothing)
 *   CLEAN              recovery left nothing
 * </pre>
 */
public final class NarayanaXaWorker {
    /** The node identifier of every Narayana in these tests (at most 28 bytes). */
    static final String NODE = "bobbob-xa-test";

    static final String BOBBOB = "bobbob";
    static final String H2 = "h2";

    /** Where {@code run} stops, and which resource it enlists (so prepares and commits) first. */
    enum Point {
        /** bobbob's prepare returned, H2's has not run; Narayana has logged nothing: presumed abort. */
        AFTER_BOBBOB_PREPARE(false),
        /** Both resources prepared and Narayana logged its decision; no commit started. */
        AFTER_BOTH_PREPARES(false),
        /** bobbob committed, H2 not yet. */
        BETWEEN_COMMITS(false),
        /** H2 committed, bobbob not yet. */
        BETWEEN_COMMITS_H2_FIRST(true);

        final boolean h2First;

        Point(boolean h2First) {
            this.h2First = h2First;
        }

        /** Whether Narayana decided to commit before the kill. */
        boolean decided() {
            return this != AFTER_BOBBOB_PREPARE;
        }
    }

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true);

    private NarayanaXaWorker() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("run")) {
            run(Point.valueOf(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]));
        } else if (args[0].equals("recover")) {
            recover(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
        } else {
            throw new IllegalArgumentException(Arrays.toString(args));
        }
        System.exit(0); // Narayana's and H2's threads
    }

    private static void println(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    // ---------------------------------------------------------------- shared set-up

    /**
     * Configures this JVM's Narayana, before its first use: its object store in {@code objectStore},
     * node {@link #NODE} (and recovery of that node's Xids only), the resources' names recorded in
     * its log (as WildFly's plugin does), no sockets, recovery by {@code scan()} with the shortest
     * back-off and no orphan safety interval (nothing else runs transactions against these stores).
     */
    static void configure(Path objectStore) throws CoreEnvironmentBeanException {
        String dir = objectStore.toString();
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
                .setObjectStoreDir(dir);
        BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore")
                .setObjectStoreDir(dir);
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(NODE);
        arjPropertyManager.getCoordinatorEnvironmentBean().setTransactionStatusManagerEnable(false);
        JTAEnvironmentBean jta = jtaPropertyManager.getJTAEnvironmentBean();
        jta.setXaRecoveryNodes(List.of(NODE));
        jta.setOrphanSafetyInterval(0);
        jta.setXAResourceRecordWrappingPlugin(new RecordNames());
        RecoveryEnvironmentBean recovery = recoveryPropertyManager.getRecoveryEnvironmentBean();
        recovery.setRecoveryListener(false);
        recovery.setRecoveryBackoffPeriod(1);
        recovery.setExpiryScannerClassNames(List.of());
        recovery.setRecoveryModuleClassNames(List.of(
                "com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule",
                "com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule"));
    }

    /** The H2 file database {@code db} (a path without H2's suffix); commits are written at once. */
    static JdbcDataSource h2(Path db) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + db + ";WRITE_DELAY=0");
        ds.setUser("sa");
        ds.setPassword("");
        return ds;
    }

    /** Creates the table of rows naming blobs, if missing. */
    static void createTable(JdbcDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS blobs (name VARCHAR(64) PRIMARY KEY, blob_id BIGINT NOT NULL)");
        }
    }

    /** Inserts the row {@code name → blobId} on {@code c}. */
    static void insertRow(Connection c, String name, long blobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (name, blob_id) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, blobId);
            ps.executeUpdate();
        }
    }

    /** The blob id the row {@code name} names, or -1 if there is no such row. */
    static long rowOf(JdbcDataSource ds, String name) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM blobs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** The Xids {@code r} reports in doubt. */
    static List<String> inDoubt(XAResource r) throws XAException {
        List<String> out = new ArrayList<>();
        for (Xid x : r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) {
            out.add(x.toString());
        }
        return out;
    }

    /** The files in Narayana's object store: transaction logs (a heuristic outcome keeps its log). */
    static List<String> logs(Path objectStore) throws IOException {
        if (!Files.isDirectory(objectStore)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(objectStore)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> objectStore.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** An object's content before the transaction, and what the transaction overwrites it with. */
    static final byte[] BEFORE = TestBytes.of(1, 2000);

    static final byte[] AFTER = TestBytes.of(2, 2000);

    /** The content of the blob of this test: the same on both sides of the crash. */
    static byte[] payload(String name) {
        return TestBytes.of(name.hashCode(), 3000);
    }

    // ---------------------------------------------------------------- the crashing transaction

    private static void run(Point point, Path storeFile, Path db, Path objectStore) throws Exception {
        configure(objectStore);
        JdbcDataSource ds = h2(db);
        createTable(ds);
        Storer store = StoreManager.open("bobbob:multi:" + storeFile);
        XAStoreConnection bobbob = store.unwrap(TransactionalStore.class).openXAConnection();
        XAConnection h2 = ds.getXAConnection();
        Connection sql = h2.getConnection();
        Stops stops = new Stops(point);
        long overwritten = store.writeNewObjFromBytes(BEFORE);
        long deleted = store.writeNewObjFromBytes(BEFORE);
        store.sync();
        println("OBJECTS " + overwritten + " " + deleted);

        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        tm.begin();
        Transaction tx = tm.getTransaction();
        XAResource b = new Named(BOBBOB, bobbob.getXAResource(), stops);
        XAResource h = new Named(H2, h2.getXAResource(), stops);
        // Narayana prepares and commits in the order of enlistment.
        tx.enlistResource(point.h2First ? h : b);
        tx.enlistResource(point.h2First ? b : h);
        long id = bobbob.getStorer().writeNewObjFromBytes(payload(point.name()));
        println("BLOB " + id);
        bobbob.getStorer().writeBytesToObj(overwritten, AFTER);
        bobbob.getStorer().deleteObj(deleted);
        insertRow(sql, point.name(), id);
        tm.commit();
        throw new AssertionError("the transaction committed without stopping at " + point);
    }

    /** Where the transaction stops, told by the resources as they go. */
    private static final class Stops {
        private final Point point;
        private int commits;

        Stops(Point point) {
            this.point = point;
        }

        synchronized void prepared(String name) {
            println("PREPARED " + name);
            if (point == Point.AFTER_BOBBOB_PREPARE && name.equals(BOBBOB)) {
                stop();
            }
        }

        synchronized void committing(String name) {
            commits++;
            if (point == Point.AFTER_BOTH_PREPARES && commits == 1) {
                stop();
            }
            if ((point == Point.BETWEEN_COMMITS || point == Point.BETWEEN_COMMITS_H2_FIRST) && commits == 2) {
                stop();
            }
            println("COMMITTING " + name);
        }

        void committed(String name) {
            println("COMMITTED " + name);
        }

        private void stop() {
            println("PAUSED " + point);
            while (true) {
                LockSupport.park(); // until the parent kills this process
            }
        }
    }

    // ---------------------------------------------------------------- recovery

    private static void recover(Path storeFile, Path db, Path objectStore) throws Exception {
        configure(objectStore);
        JdbcDataSource ds = h2(db);
        Storer store = StoreManager.open("bobbob:multi:" + storeFile);
        XAStoreConnection bobbob = store.unwrap(TransactionalStore.class).openXAConnection();
        XAConnection h2 = ds.getXAConnection();

        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule module = null;
        for (RecoveryModule m : manager.getModules()) {
            if (m instanceof XARecoveryModule x) {
                module = x;
            }
        }
        if (module == null) {
            throw new IllegalStateException("no XARecoveryModule in " + manager.getModules());
        }
        XAResource[] resources = {
            new Named(BOBBOB, bobbob.getXAResource(), null), new Named(H2, h2.getXAResource(), null)
        };
        module.addXAResourceRecoveryHelper(new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return resources.clone();
            }
        });
        for (int scan = 1; scan <= 5; scan++) {
            manager.scan();
            List<String> left = new ArrayList<>();
            for (String x : inDoubt(bobbob.getXAResource())) {
                left.add("bobbob:" + x);
            }
            for (String x : inDoubt(h2.getXAResource())) {
                left.add("h2:" + x);
            }
            for (String f : logs(objectStore)) {
                left.add("log:" + f);
            }
            println("SCAN " + scan + " " + left);
            if (left.isEmpty()) {
                println("CLEAN");
                break;
            }
        }
        manager.terminate();
        h2.close();
        bobbob.close();
        store.close();
    }

    // ---------------------------------------------------------------- named resources

    /**
     * A resource under its name, as an application server wraps the resources it enlists: the name
     * goes into Narayana's log ({@link RecordNames}), so that recovery, having asked every named
     * resource, knows that a branch none reports in doubt was completed. With {@code stops}, tells
     * them how the two-phase commit goes.
     */
    static final class Named implements XAResourceWrapper {
        private final String name;
        private final XAResource r;
        private final Stops stops;

        Named(String name, XAResource r, Stops stops) {
            this.name = name;
            this.r = r;
            this.stops = stops;
        }

        @Override
        public XAResource getResource() {
            return r;
        }

        @Override
        public String getProductName() {
            return name;
        }

        @Override
        public String getProductVersion() {
            return "test";
        }

        @Override
        public String getJndiName() {
            return "java:/" + name;
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
        public int prepare(Xid xid) throws XAException {
            int vote = r.prepare(xid);
            if (stops != null) {
                stops.prepared(name);
            }
            return vote;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            if (stops != null) {
                stops.committing(name);
            }
            r.commit(xid, onePhase);
            if (stops != null) {
                stops.committed(name);
            }
        }

        @Override
        public void rollback(Xid xid) throws XAException {
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
        public boolean isSameRM(XAResource other) throws XAException {
            return r.isSameRM(other instanceof Named n ? n.r : other);
        }

        @Override
        public int getTransactionTimeout() throws XAException {
            return r.getTransactionTimeout();
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws XAException {
            return r.setTransactionTimeout(seconds);
        }

        @Override
        public String toString() {
            return getJndiName() + " (" + r + ")";
        }
    }

    /** Records the names of {@link Named} resources in Narayana's log (WildFly does the same). */
    static final class RecordNames implements XAResourceRecordWrappingPlugin {
        @Override
        public void transcribeWrapperData(XAResourceRecord record) {
            if (record.value() instanceof XAResourceWrapper w) {
                record.setProductName(w.getProductName());
                record.setProductVersion(w.getProductVersion());
                record.setJndiName(w.getJndiName());
            }
        }

        @Override
        public Integer getEISName(XAResource xaResource) {
            return 0;
        }

        @Override
        public String getEISName(Integer eisName) {
            return "unknown eis name";
        }
    }
}
