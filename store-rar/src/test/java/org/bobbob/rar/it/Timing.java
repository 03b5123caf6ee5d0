package org.bobbob.rar.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The clock and the result rows of the adapter-cost measurements, shared by
 * {@code AdapterCostBench} (no server) and {@link AdapterCostServlet} (inside WildFly, where this
 * class is deployed with the servlet).
 */
public final class Timing {
    /** The column heads of {@link #row}. */
    public static final String HEADER =
            String.format(Locale.ROOT, "%-40s %7s %10s %8s", "pattern", "threads", "ns/op", "/direct");

    private Timing() {}

    /** One thread's work: {@code n} operations, first the warm-up, then the timed ones. */
    @FunctionalInterface
    public interface Work {
        void run(int thread, int n, boolean warmup) throws Exception;
    }

    /**
     * ns per operation: every thread runs its warm-up, then all start together; wall time over all
     * timed operations.
     */
    public static double nanosPerOp(int threads, int warmupPerThread, int opsPerThread, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            CyclicBarrier end = new CyclicBarrier(threads + 1);
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try {
                        work.run(thread, warmupPerThread, true);
                        start.await();
                        work.run(thread, opsPerThread, false);
                        end.await();
                        return null;
                    } catch (Exception | Error e) {
                        // a failed thread never reaches the barriers: break them, so nobody waits for it
                        start.reset();
                        end.reset();
                        throw e;
                    }
                }));
            }
            long elapsed;
            try {
                start.await();
                long t0 = System.nanoTime();
                end.await();
                elapsed = System.nanoTime() - t0;
            } catch (BrokenBarrierException e) {
                for (Future<Void> f : done) {
                    f.get(); // throws the failed thread's exception
                }
                throw e;
            }
            for (Future<Void> f : done) {
                f.get();
            }
            return (double) elapsed / ((long) opsPerThread * threads);
        } finally {
            pool.shutdown();
        }
    }

    /** The median of {@code values} (the upper one of an even count). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * One result row under {@link #HEADER}: ns/op of {@code pattern}, and its ratio to
     * {@code direct} (blank when {@code direct} is NaN).
     */
    public static String row(String pattern, int threads, double nanos, double direct) {
        return String.format(
                Locale.ROOT,
                "%-40s %7d %10.0f %8s",
                pattern,
                threads,
                nanos,
                Double.isNaN(direct) ? "" : String.format(Locale.ROOT, "%.2fx", nanos / direct));
    }
}
