package org.bobbob.rar;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bobbob.rar.it.Timing;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.Test;

/**
 * The adapter's per-call cost, measured without a server: connections come from
 * {@link ValidatingPool}, a pool that does what IronJacamar does on every {@code getConnection()}
 * for this adapter (match, then validate the matched connection through
 * {@link ValidatingManagedConnectionFactory#getInvalidConnections}, since the factory is a
 * validating one). Not part of the test run (the class name matches no surefire include); run it
 * with
 *
 * <pre>
 * mvn -B -o -pl store-core,store-rar -am test -Dtest=AdapterCostBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * One operation is {@code writeNewObjFromBytes} of 4 KiB and {@code readBytesFromObj} of it, on a
 * fresh {@code multi} store under {@code bench.dir} (default {@code /dev/shm} where it exists, so
 * that the file's growth costs no disk I/O; else {@code target}). Each figure is the median of 3
 * runs of {@code bench.ops} operations (default 50 000) after {@code bench.warmup} (default
 * 20 000), in ns per operation, the patterns taking turns after a round that is not counted; on 8 threads each thread does an eighth of them and the figure is
 * wall time divided by all operations. See docs/BENCHMARKS.md.
 */
class AdapterCostBench {
    private static final int OPS = Integer.getInteger("bench.ops", 50_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 20_000);
    private static final int RUNS = 3;
    private static final byte[] DATA = new byte[4096];

    /** One pattern's body: {@code n} operations on the store or through the factory. */
    @FunctionalInterface
    private interface Body {
        void run(int n) throws Exception;
    }

    /** One run of a pattern on one store file, shared by all threads of the run. */
    private interface Run extends AutoCloseable {
        /** {@code n} operations on the calling thread. */
        void ops(int n) throws Exception;

        @Override
        void close() throws IOException, ResourceException;
    }

    @FunctionalInterface
    private interface Pattern {
        Run open(Path file) throws Exception;
    }

    @Test
    void table() throws Exception {
        Arrays.fill(DATA, (byte) 7);
        Path shm = Path.of("/dev/shm");
        Path base = Path.of(System.getProperty("bench.dir", Files.isDirectory(shm) ? shm.toString() : "target"));
        Path dir = Files.createTempDirectory(Files.createDirectories(base), "bobbob-adapter-bench");
        StoreResourceAdapter adapter = Adapters.started();
        List<String> rows = new ArrayList<>();
        try {
            for (int threads : new int[] {1, 8}) {
                double[][] r = rounds(
                        dir,
                        threads,
                        List.of(
                                AdapterCostBench::direct,
                                file -> pooled(adapter, file, AdapterCostBench::perOperation),
                                file -> pooled(adapter, file, AdapterCostBench::held)));
                double direct = Timing.median(r[0]);
                rows.add(Timing.row("direct Storer from StoreManager", threads, direct, direct));
                rows.add(Timing.row("getConnection()/close() per operation", threads, Timing.median(r[1]), direct));
                rows.add(Timing.row("one connection held", threads, Timing.median(r[2]), direct));
            }
            double[][] empty = rounds(dir, 1, List.of(file -> pooled(adapter, file, AdapterCostBench::emptyCycles)));
            rows.add(Timing.row("empty getConnection()/close() cycle", 1, Timing.median(empty[0]), Double.NaN));
        } finally {
            adapter.stop();
            Files.deleteIfExists(dir);
        }
        System.out.printf(
                Locale.ROOT,
                "%nadapter per-call cost (4 KiB write + read, %d ops after %d warm-up, median of %d)%n",
                OPS,
                WARMUP,
                RUNS);
        System.out.println(Timing.HEADER);
        rows.forEach(System.out::println);
    }

    /**
     * {@code RUNS} rounds, each running every pattern once in turn (so that drift hits all alike),
     * after one round that is thrown away (JIT, page cache); ns/op per pattern and round.
     */
    private static double[][] rounds(Path dir, int threads, List<Pattern> patterns) throws Exception {
        double[][] results = new double[patterns.size()][RUNS];
        for (int r = -1; r < RUNS; r++) {
            for (int p = 0; p < patterns.size(); p++) {
                Path file = dir.resolve("bench-" + p + ".bob");
                double nanos;
                try (Run run = patterns.get(p).open(file)) {
                    nanos = Timing.nanosPerOp(threads, WARMUP / threads, OPS / threads, (t, n, warmup) -> run.ops(n));
                }
                Files.deleteIfExists(file);
                if (r >= 0) {
                    results[p][r] = nanos;
                }
            }
        }
        return results;
    }

    // ---------------------------------------------------------------- the patterns

    private static Run direct(Path file) throws IOException {
        Storer store = StoreManager.open("bobbob:multi:" + file);
        return new Run() {
            @Override
            public void ops(int n) throws IOException {
                for (int i = 0; i < n; i++) {
                    store.readBytesFromObj(store.writeNewObjFromBytes(DATA));
                }
            }

            @Override
            public void close() throws IOException {
                store.close();
            }
        };
    }

    @FunctionalInterface
    private interface PooledOps {
        void ops(StoreConnectionFactory factory, int n) throws Exception;
    }

    /** Through a factory of a fresh definition on {@code file}, pooled by a {@link ValidatingPool}. */
    private static Run pooled(StoreResourceAdapter adapter, Path file, PooledOps body) throws ResourceException {
        ValidatingPool pool = new ValidatingPool();
        StoreConnectionFactory factory = (StoreConnectionFactory)
                Adapters.factory(adapter, file, "multi").createConnectionFactory(pool);
        return new Run() {
            @Override
            public void ops(int n) throws Exception {
                body.ops(factory, n);
            }

            @Override
            public void close() throws ResourceException {
                pool.destroyIdle();
            }
        };
    }

    private static void perOperation(StoreConnectionFactory factory, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            try (StoreConnection c = factory.getConnection()) {
                c.readBytesFromObj(c.writeNewObjFromBytes(DATA));
            }
        }
    }

    private static void held(StoreConnectionFactory factory, int n) throws Exception {
        try (StoreConnection c = factory.getConnection()) {
            for (int i = 0; i < n; i++) {
                c.readBytesFromObj(c.writeNewObjFromBytes(DATA));
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
}
