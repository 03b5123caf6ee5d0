package org.bobbob.rar.it;

import jakarta.ejb.EJB;
import jakarta.resource.ResourceException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.naming.InitialContext;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;

/**
 * {@code GET /cost?jndi=..&dir=..&ops=..&warmup=..[&rounds=true]}: the adapter's per-call cost inside the server
 * (see {@link AdapterCostServerBench}), answered as a text table. One operation is a 4 KiB
 * {@code writeNewObjFromBytes} and {@code readBytesFromObj}: on a direct store, on a connection per
 * operation, on one held connection, in a {@code UserTransaction} per operation, and through
 * {@link CostBean} with and without a container-managed transaction. After each timed run the objects are
 * deleted and the store synced (not timed), so the pooled store does not grow from run to run. The
 * direct store is a fresh file in {@code dir} per run.
 */
@WebServlet("/cost")
public class AdapterCostServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int ROUNDS = 3;
    private static final byte[] DATA = new byte[4096];

    @EJB
    private transient CostBean bean;

    /** The storer one thread uses for a run, and how it gives it back. */
    private interface Source {
        void run(int n, long[] ids) throws Exception;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        try {
            StoreConnectionFactory factory =
                    (StoreConnectionFactory) new InitialContext().lookup(request.getParameter("jndi"));
            Path dir = Files.createDirectories(Path.of(request.getParameter("dir")));
            int ops = Integer.parseInt(request.getParameter("ops"));
            int warmup = Integer.parseInt(request.getParameter("warmup"));
            boolean rounds = "true".equals(request.getParameter("rounds")); // every round, not only medians
            Arrays.fill(DATA, (byte) 7);
            out.printf(
                    Locale.ROOT,
                    "adapter per-call cost in WildFly (4 KiB write + read, %d ops after %d warm-up, median of %d)%n",
                    ops,
                    warmup,
                    ROUNDS);
            out.println(Timing.HEADER);
            for (int threads : new int[] {1, 8}) {
                double[] direct = new double[ROUNDS];
                double[] perOp = new double[ROUNDS];
                double[] held = new double[ROUNDS];
                double[] jta = new double[ROUNDS];
                double[] cmt = new double[ROUNDS];
                double[] ejb = new double[ROUNDS];
                for (int r = -1; r < ROUNDS; r++) { // round -1 is not counted (JIT)
                    double d = direct(dir, threads, ops, warmup);
                    double p = timed(threads, ops, warmup, (n, ids) -> perOperation(factory, n, ids), factory);
                    double h = timed(threads, ops, warmup, (n, ids) -> held(factory, n, ids), factory);
                    double j = timed(threads, ops, warmup, (n, ids) -> jtaPerOperation(factory, n, ids), factory);
                    double c = timed(threads, ops, warmup, (n, ids) -> ejb(true, n, ids), factory);
                    double e = timed(threads, ops, warmup, (n, ids) -> ejb(false, n, ids), factory);
                    if (r >= 0) {
                        direct[r] = d;
                        perOp[r] = p;
                        held[r] = h;
                        jta[r] = j;
                        cmt[r] = c;
                        ejb[r] = e;
                    }
                    if (rounds) {
                        out.printf(
                                Locale.ROOT,
                                "round %d, %d threads: direct %.0f, per operation %.0f, held %.0f, jta %.0f, cmt %.0f, ejb %.0f ns/op%n",
                                r,
                                threads,
                                d,
                                p,
                                h,
                                j,
                                c,
                                e);
                    }
                }
                double base = Timing.median(direct);
                out.println(Timing.row("direct Storer from StoreManager", threads, base, base));
                out.println(Timing.row("getConnection()/close() per operation", threads, Timing.median(perOp), base));
                out.println(Timing.row("one connection held", threads, Timing.median(held), base));
                out.println(Timing.row("UserTransaction per operation", threads, Timing.median(jta), base));
                out.println(Timing.row("EJB call, no transaction", threads, Timing.median(ejb), base));
                out.println(Timing.row("EJB call, CMT transaction", threads, Timing.median(cmt), base));
            }
            double[] empty = new double[ROUNDS];
            for (int r = -1; r < ROUNDS; r++) {
                double e = timed(1, ops, warmup, (n, ids) -> emptyCycles(factory, n), factory);
                if (r >= 0) {
                    empty[r] = e;
                }
            }
            out.println(Timing.row("empty getConnection()/close() cycle", 1, Timing.median(empty), Double.NaN));
        } catch (Exception e) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            response.sendError(500, trace.toString());
        }
    }

    private static double direct(Path dir, int threads, int ops, int warmup) throws Exception {
        Path file = dir.resolve("direct.bob");
        Files.deleteIfExists(file);
        try (Storer store = StoreManager.open("bobbob:multi:" + file)) {
            return timed(
                    threads,
                    ops,
                    warmup,
                    (n, ids) -> {
                        for (int i = 0; i < n; i++) {
                            long id = store.writeNewObjFromBytes(DATA);
                            store.readBytesFromObj(id);
                            ids[i] = id;
                        }
                    },
                    null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void perOperation(StoreConnectionFactory factory, int n, long[] ids) throws Exception {
        for (int i = 0; i < n; i++) {
            try (StoreConnection c = factory.getConnection()) {
                long id = c.writeNewObjFromBytes(DATA);
                c.readBytesFromObj(id);
                ids[i] = id;
            }
        }
    }

    private static void jtaPerOperation(StoreConnectionFactory factory, int n, long[] ids) throws Exception {
        UserTransaction tx = (UserTransaction) new InitialContext().lookup("java:jboss/UserTransaction");
        for (int i = 0; i < n; i++) {
            tx.begin();
            try (StoreConnection c = factory.getConnection()) {
                long id = c.writeNewObjFromBytes(DATA);
                c.readBytesFromObj(id);
                ids[i] = id;
            } catch (Exception | Error e) {
                tx.rollback();
                throw e;
            }
            tx.commit();
        }
    }

    private void ejb(boolean transacted, int n, long[] ids) throws Exception {
        for (int i = 0; i < n; i++) {
            ids[i] = transacted ? bean.inTransaction(DATA) : bean.outside(DATA);
        }
    }

    private static void held(StoreConnectionFactory factory, int n, long[] ids) throws Exception {
        try (StoreConnection c = factory.getConnection()) {
            for (int i = 0; i < n; i++) {
                long id = c.writeNewObjFromBytes(DATA);
                c.readBytesFromObj(id);
                ids[i] = id;
            }
        }
    }

    private static void emptyCycles(StoreConnectionFactory factory, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (StoreConnection c = factory.getConnection()) {
                if (!c.isOpen()) {
                    throw new IllegalStateException("a fresh handle is closed");
                }
            }
        }
    }

    /**
     * ns per operation ({@link Timing#nanosPerOp}); afterwards the pooled store's objects are deleted
     * and synced (not timed).
     */
    private static double timed(int threads, int ops, int warmup, Source body, StoreConnectionFactory cleanup)
            throws Exception {
        long[][] warm = new long[threads][warmup / threads];
        long[][] timed = new long[threads][ops / threads];
        double nanos;
        try {
            nanos = Timing.nanosPerOp(
                    threads, warmup / threads, ops / threads, (t, n, w) -> body.run(n, w ? warm[t] : timed[t]));
        } catch (Exception | Error e) {
            try {
                deleteAll(cleanup, warm, timed, true); // the failed operation's object may not exist
            } catch (Exception | Error again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        deleteAll(cleanup, warm, timed, false);
        return nanos;
    }

    /** Deletes every written object of the pooled store, then syncs; {@code lenient}: skips missing ones. */
    private static void deleteAll(StoreConnectionFactory cleanup, long[][] warm, long[][] timed, boolean lenient)
            throws IOException, ResourceException {
        if (cleanup == null) {
            return;
        }
        try (StoreConnection c = cleanup.getConnection()) {
            for (long[][] written : new long[][][] {warm, timed}) {
                for (long[] ids : written) {
                    for (long id : ids) {
                        if (id != 0) {
                            try {
                                c.deleteObj(id);
                            } catch (ObjectNotFoundException e) {
                                if (!lenient) {
                                    throw e;
                                }
                            }
                        }
                    }
                }
            }
            c.sync();
        }
    }
}
