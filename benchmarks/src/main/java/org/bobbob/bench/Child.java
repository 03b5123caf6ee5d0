package org.bobbob.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * One store, one run, in its own JVM: the workloads of docs/BENCHMARKS.md, each figure printed
 * as a line {@code @@ key value} for {@link Compare} to collect. Timed sections contain only
 * store calls: contents are made and checked in chunks outside the clock.
 *
 * <p>One class of some 760 lines so that every workload and the clock discipline they share
 * (what is inside a timed section and what is not) read in one place, in the order they run.
 */
final class Child {
    static final String TAG = "@@ ";
    private static final long CHUNK_BYTES = 32L << 20;
    private static final double MIB = 1 << 20;

    private final Contender contender;
    private final Map<String, String> opt;
    private final int n;
    private final long seed;
    private final Path base;
    private final StoreAdapter.Options storeOptions;
    /** Leave the main and small stores for a {@code cold} child. */
    private final boolean keep;

    private Child(Map<String, String> opt) {
        this.opt = opt;
        this.contender = Contender.of(req(opt, "store"));
        this.n = Integer.parseInt(opt.getOrDefault("n", "100000"));
        this.seed = Long.parseLong(opt.getOrDefault("seed", "42"));
        this.base = Path.of(req(opt, "dir"));
        this.storeOptions = new StoreAdapter.Options(
                Boolean.parseBoolean(opt.getOrDefault("mapdb-mmap", "true")),
                Integer.parseInt(opt.getOrDefault("lmdb-batch", "1000")),
                Integer.parseInt(opt.getOrDefault("raw-buffer", String.valueOf(4 << 20))));
        this.keep = Boolean.parseBoolean(opt.getOrDefault("keep", "false"));
    }

    private static String req(Map<String, String> opt, String key) {
        String v = opt.get(key);
        if (v == null) {
            throw new IllegalArgumentException("child: --" + key + " is required");
        }
        return v;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --key=value, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            m.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
        return m;
    }

    static int run(String[] args) {
        try {
            new Child(parse(args)).runAll();
            return 0;
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("child failed: " + t);
            t.printStackTrace();
            return 2;
        }
    }

    private boolean wants(String workload) {
        String w = opt.getOrDefault("workloads", "w1,w2,w3,w4,w5,w6,w7,w8,w9,heap,small");
        for (String s : w.split(",")) {
            if (s.trim().equalsIgnoreCase(workload)) {
                return true;
            }
        }
        return false;
    }

    /**
     * CPU time of this JVM so far, every thread's, user and system (the kernel's work for the
     * store's calls included; JIT compilation and GC too), in nanoseconds.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * What the block device holding {@code dir} has written since it started: {@code [bytes,
     * requests]} from {@code /sys/dev/block/<major>:<minor>/stat} (Linux only; null elsewhere or when
     * unreadable). The whole device's, file system journal included: taken around a timed phase on
     * an otherwise idle machine, it is what that phase asked of the disk.
     */
    private static long[] deviceWrites(Path dir) {
        try {
            long dev = ((Number) Files.getAttribute(dir, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            String[] f = Files.readString(Path.of("/sys/dev/block/" + major + ":" + minor + "/stat"))
                    .trim()
                    .split("\\s+");
            return new long[] {Long.parseLong(f[6]) * 512, Long.parseLong(f[4])};
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or not readable here: no figure
        }
    }

    private static void out(String key, double value) {
        System.out.println(TAG + key + " " + String.format(Locale.ROOT, "%.6g", value));
        System.out.flush();
    }

    /**
     * This process's minor page faults so far (field 10 of /proc/self/stat), or -1 where there is
     * no such file: what a first read through a map pays for, shown in W8's note.
     */
    private static long minorFaults() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/self/stat")).split(" ")[9]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void note(String s) {
        System.err.println("  [" + s + "]");
    }

    // ---------------------------------------------------------------- the run

    private void runAll() throws Exception {
        Files.createDirectories(base);
        if (wants("cold")) {
            cold();
            return;
        }
        String label = contender.label();
        // Warm-up: the same calls on a small store (also close + reopen), so the JIT has compiled the paths.
        int warm = Math.min(n, Integer.parseInt(opt.getOrDefault("warmup-n", "20000")));
        if (warm > 0) {
            Path wdir = fresh("warmup");
            StoreAdapter s = contender.create(wdir, storeOptions);
            int[] sizes = Payload.logUniform(seed ^ 0x5EED, warm, Payload.MIN, Payload.MAX);
            long[] keys = new long[warm];
            writeAll(s, keys, sizes, 0, null);
            s.durable();
            readAll(s, keys, sizes, Payload.shuffled(seed, warm), label);
            for (int i = 0; i < warm; i += 2) {
                s.overwrite(keys[i], Payload.content(i, 1, sizes[i]));
                s.delete(keys[i]);
                keys[i] = s.put(Payload.content(i, 0, sizes[i]));
            }
            s.durable();
            for (int i = 0; i < 10; i++) {
                s.close();
                s.reopen();
                s.get(keys[1]);
            }
            s.close();
            delete(wdir);
            if (wants("w6")) {
                durableTransactions(Math.max(warm / 10, 64), Math.max(warm / 10, 64), label, false);
            }
        }

        int[] sizes = Payload.logUniform(seed, n, Payload.MIN, Payload.MAX);
        long[] keys = new long[n];
        int[] order = Payload.shuffled(seed + 1, n);
        long payload = 0;
        for (int sz : sizes) {
            payload += sz;
        }
        out("n", n);
        out("payload_mib", payload / MIB);

        if (wants("w1") || wants("w2") || wants("w4") || wants("w5") || wants("heap")) {
            // W1 always runs here: the others read the store it writes
            Path dir = fresh("main");
            long heap0 = wants("heap") ? usedHeap() : 0;
            StoreAdapter s = contender.create(dir, storeOptions);
            // W1: write all, then durable (timed apart)
            long tWrite = writeAll(s, keys, sizes, 0, null);
            if (keep) {
                Files.writeString(base.resolve("main.key"), Long.toString(keys[0]));
            }
            long t0 = System.nanoTime();
            s.durable();
            long tDurable = System.nanoTime() - t0;
            out("w1.ops", n / sec(tWrite));
            out("w1.mbs", payload / MIB / sec(tWrite));
            out("w1.durable_ms", tDurable / 1e6);
            out("w1.ops_d", n / sec(tWrite + tDurable));
            out("w1.mbs_d", payload / MIB / sec(tWrite + tDurable));
            // bookkeeping heap with the store open and loaded
            if (wants("heap")) {
                long heap1 = usedHeap();
                out("heap.bpo", Math.max(0.0, (double) (heap1 - heap0) / n)); // below 0: GC noise
                long est = s.bookkeepingEstimate();
                if (est >= 0) {
                    out("heap.est_bpo", (double) est / n);
                }
            }
            // W2: random read of all, verified
            if (wants("w2")) {
                // a few passes, each over all objects in its own random order: the median pass
                int passes = Math.max(1, Integer.parseInt(opt.getOrDefault("w2-passes", "3")));
                long[] t = new long[passes];
                StringBuilder passNote = new StringBuilder(label).append(" w2 passes");
                for (int p = 0; p < passes; p++) {
                    long faultsBefore = minorFaults();
                    t[p] = readAll(s, keys, sizes, p == 0 ? order : Payload.shuffled(seed + 100 + p, n), label);
                    passNote.append(' ')
                            .append(t[p] / 1_000_000)
                            .append(" ms (")
                            .append(minorFaults() - faultsBefore)
                            .append(" faults)");
                }
                note(passNote.toString());
                Arrays.sort(t);
                long tRead = t[passes / 2];
                out("w2.ops", n / sec(tRead));
                out("w2.mbs", payload / MIB / sec(tRead));
            }
            // W5: close + reopen, the median of a few cycles (single ones are a few ms: noise)
            if (wants("w5")) {
                long[] co = closeReopen(s, Integer.parseInt(opt.getOrDefault("w5-cycles", "5")));
                out("w5.close_ms", co[0] / 1e6);
                out("w5.open_ms", co[1] / 1e6);
                out("w5.ms", co[2] / 1e6);
                spotCheck(s, keys, sizes, label);
            }
            // W4: mixed 50/50 read/overwrite
            if (wants("w4")) {
                int ops = Integer.parseInt(opt.getOrDefault("w4-ops", String.valueOf(4L * n)));
                for (String t : opt.getOrDefault("threads", "1,2,4").split(",")) {
                    int threads = Integer.parseInt(t.trim());
                    if (threads > 1 && !contender.threadSafe()) {
                        continue;
                    }
                    double opsPerSec = mixed(s, keys, sizes, threads, ops, label);
                    out("w4.t" + threads + ".ops", opsPerSec);
                }
            }
            s.close();
            if (!keep) {
                delete(dir);
            }
        }

        if (wants("w3")) {
            churn(sizes, label, "w3");
        }
        if (wants("w7")) {
            churn(sizes, label, "w7");
        }
        if (wants("w8")) {
            readRightAfterWriting(sizes, order, label);
        }
        if (wants("w9")) {
            mixedWithInserts(sizes, label);
        }
        if (wants("w6")) {
            int tx = Integer.parseInt(opt.getOrDefault("w6-tx", String.valueOf(Math.max(n / 10, 64))));
            durableTransactions(Math.max(n / 10, 64), tx, label, true);
        }

        if (wants("small")) {
            small(label);
        }
        if (!keep) {
            delete(base);
        }
    }

    /**
     * The "cold" figures, in a JVM of their own that has done nothing else: open the stores that
     * the run before kept ({@code main}: N objects after W4; {@code small}), time it, check an
     * object can be read, delete them.
     */
    private void cold() throws Exception {
        // load the store's classes and native code first (a tiny store elsewhere, created and
        // opened again, so that the open path's classes are loaded too): what is timed is opening
        // the data with cold JIT, not the library's one-time start
        Path lib = fresh("library");
        StoreAdapter tiny = contender.create(lib, storeOptions);
        long tinyKey = tiny.put(Payload.content(0, 0, 64));
        tiny.durable();
        tiny.close();
        tiny = contender.open(lib, storeOptions);
        tiny.get(tinyKey);
        tiny.close();
        delete(lib);
        for (String name : new String[] {"main", "small"}) {
            Path dir = base.resolve(name);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            long t0 = System.nanoTime();
            StoreAdapter s = contender.open(dir, storeOptions);
            long t1 = System.nanoTime();
            out((name.equals("main") ? "w5" : "small") + ".cold_ms", (t1 - t0) / 1e6);
            long key =
                    Long.parseLong(Files.readString(base.resolve(name + ".key")).trim());
            int size = name.equals("main")
                    ? Payload.logUniform(seed, 1, Payload.MIN, Payload.MAX)[0]
                    : Payload.logUniform(seed + 11, 1, 16, 256)[0];
            Payload.verifyIndex(contender.label(), key, s.get(key), 0, size);
            s.close();
        }
        delete(base);
    }

    private Path fresh(String name) throws Exception {
        Path dir = base.resolve(name);
        delete(dir);
        delete(dir.resolveSibling(name + "-compact"));
        return Files.createDirectories(dir);
    }

    static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code cycles} x (close, reopen, read one object): median close, open and close+open nanos. */
    private static long[] closeReopen(StoreAdapter s, int cycles) throws Exception {
        long[] close = new long[cycles];
        long[] open = new long[cycles];
        long[] both = new long[cycles];
        for (int c = 0; c < cycles; c++) {
            long t0 = System.nanoTime();
            s.close();
            long t1 = System.nanoTime();
            s.reopen();
            long t2 = System.nanoTime();
            close[c] = t1 - t0;
            open[c] = t2 - t1;
            both[c] = t2 - t0;
        }
        Arrays.sort(close);
        Arrays.sort(open);
        Arrays.sort(both);
        return new long[] {close[cycles / 2], open[cycles / 2], both[cycles / 2]};
    }

    private static double sec(long nanos) {
        return Math.max(nanos, 1) / 1e9;
    }

    /**
     * Bytes of live objects on the heap: the total of a class histogram (which runs a full GC
     * first), so that G1's region rounding of large arrays does not count; falls back to the
     * used heap after {@code System.gc()} where the diagnostic command is not available.
     */
    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            // Benchmark code, not a test: give reference processing and concurrent GC work a
            // moment to finish so the measured heap is settled; there is no event to wait on.
            Thread.sleep(40);
        }
        try {
            Object out = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            String[] lines = out.toString().trim().split("\n");
            String[] total = lines[lines.length - 1].trim().split("\\s+");
            if (total[0].equals("Total")) {
                return Long.parseLong(total[2]);
            }
        } catch (Exception | LinkageError e) {
            // fall through
        }
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        return mx.getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------- workloads

    /**
     * Writes objects {@code from..} (indices into {@code sizes}, version 0) where {@code which}
     * is null (all) or lists the indices; contents made per chunk outside the clock.
     * Returns the nanoseconds spent in put.
     */
    private static long writeAll(StoreAdapter s, long[] keys, int[] sizes, int from, int[] which) throws Exception {
        int total = which == null ? sizes.length - from : which.length;
        long nanos = 0;
        int done = 0;
        while (done < total) {
            List<byte[]> chunk = new ArrayList<>();
            long bytes = 0;
            int start = done;
            while (done < total && bytes < CHUNK_BYTES) {
                int i = which == null ? from + done : which[done];
                byte[] c = Payload.content(i, 0, sizes[i]);
                chunk.add(c);
                bytes += c.length;
                done++;
            }
            long t0 = System.nanoTime();
            for (int j = 0; j < chunk.size(); j++) {
                int i = which == null ? from + start + j : which[start + j];
                keys[i] = s.put(chunk.get(j));
            }
            nanos += System.nanoTime() - t0;
        }
        return nanos;
    }

    /** Reads every object in {@code order}; verifies outside the clock. Returns nanoseconds in get. */
    private static long readAll(StoreAdapter s, long[] keys, int[] sizes, int[] order, String label) throws Exception {
        long nanos = 0;
        int done = 0;
        byte[][] got = new byte[4096][];
        while (done < order.length) {
            int m = Math.min(got.length, order.length - done);
            long t0 = System.nanoTime();
            for (int j = 0; j < m; j++) {
                got[j] = s.get(keys[order[done + j]]);
            }
            nanos += System.nanoTime() - t0;
            for (int j = 0; j < m; j++) {
                int i = order[done + j];
                Payload.verify(label, keys[i], got[j], i, 0, sizes[i]);
                got[j] = null;
            }
            done += m;
        }
        return nanos;
    }

    /** Reads and verifies up to 1000 spread objects (not timed). */
    private static void spotCheck(StoreAdapter s, long[] keys, int[] sizes, String label) throws Exception {
        int step = Math.max(1, keys.length / 1000);
        for (int i = 0; i < keys.length; i += step) {
            Payload.verify(label, keys[i], s.get(keys[i]), i, 0, sizes[i]);
        }
    }

    /** W4: {@code ops} operations split over {@code threads}, each a read (checked) or an overwrite. */
    private double mixed(StoreAdapter s, long[] keys, int[] sizes, int threads, int ops, String label)
            throws Exception {
        return timedThreads(threads, ops, "w4", (tid, r) -> {
            int i = r.nextInt(keys.length);
            if (r.nextBoolean()) {
                Payload.verifyIndex(label, keys[i], s.get(keys[i]), i, sizes[i]);
            } else {
                s.overwrite(keys[i], Payload.content(i, 1 + tid, sizes[i]));
            }
        });
    }

    /**
     * W8: a fresh store, N objects written (untimed), then at once, in the same process and
     * without a durable step, every object read once in a random order (timed, checked). Its note
     * gives the page faults of the timed pass and the time of a second, untimed pass: what the
     * first touch of the pages costs.
     */
    private void readRightAfterWriting(int[] sizes, int[] order, String label) throws Exception {
        Path dir = fresh("w8");
        StoreAdapter s = contender.create(dir, storeOptions);
        long[] keys = new long[sizes.length];
        writeAll(s, keys, sizes, 0, null);
        long faultsBefore = minorFaults();
        long first = readAll(s, keys, sizes, order, label);
        long faults = minorFaults() - faultsBefore;
        long again = readAll(s, keys, sizes, order, label);
        note(label + " w8 first pass " + first / 1_000_000 + " ms, " + faults + " page faults; second pass "
                + again / 1_000_000 + " ms");
        out("w8.ops", sizes.length / sec(first));
        s.close();
        delete(dir);
    }

    /**
     * W9: a fresh store of N objects (untimed), then 2 N operations of 50 % reads (checked), 25 %
     * same-size overwrites and 25 % inserts of new objects, on random objects of the first N: on 1
     * thread, and on 8 threads (stores that are not thread-safe behind one lock of the caller's).
     */
    private void mixedWithInserts(int[] sizes, String label) throws Exception {
        for (int threads : new int[] {1, 8}) {
            Path dir = fresh("w9");
            // LMDB's write transactions belong to the thread that began them: with several
            // threads its puts cannot share one batch, so each commits its own
            StoreAdapter.Options options = threads == 1
                    ? storeOptions
                    : new StoreAdapter.Options(storeOptions.mapdbMmap(), 1, storeOptions.rawBuffer());
            StoreAdapter s = contender.create(dir, options);
            long[] keys = new long[sizes.length];
            writeAll(s, keys, sizes, 0, null);
            Object callerLock = contender.threadSafe() ? null : new Object();
            double opsPerSec = timedThreads(threads, 2 * sizes.length, "w9", (tid, r) -> {
                int i = r.nextInt(keys.length);
                int roll = r.nextInt(4);
                if (callerLock == null) {
                    mixOp(s, keys, sizes, i, roll, tid, label);
                } else {
                    synchronized (callerLock) {
                        mixOp(s, keys, sizes, i, roll, tid, label);
                    }
                }
            });
            out("w9.t" + threads + ".ops", opsPerSec);
            s.close();
            delete(dir);
        }
    }

    private static void mixOp(StoreAdapter s, long[] keys, int[] sizes, int i, int roll, int tid, String label)
            throws Exception {
        if (roll < 2) {
            Payload.verifyIndex(label, keys[i], s.get(keys[i]), i, sizes[i]);
        } else if (roll == 2) {
            s.overwrite(keys[i], Payload.content(i, 1 + tid, sizes[i]));
        } else {
            s.put(Payload.content(i, 100 + tid, sizes[i]));
        }
    }

    /**
     * W6: durable transactions, each 2 new objects of 1–4 KiB, 1 same-size overwrite and 1 delete,
     * committed one at a time, on 1 thread and on 8 (stores that are not thread-safe: 1 only), each
     * thread count on a fresh store of {@code objects} objects written in transactions (untimed). The
     * store's objects are split into one key range per thread, so that no two threads' transactions
     * touch the same object: the figure is commits, not lock waits. Contents are made before the
     * clock; afterwards every live object is read in transactions and checked. Stores without
     * transactions skip it. Besides transactions per second, the JVM's CPU time per transaction over
     * the timed phase (user and system, every thread): with 8 threads, 2 cores over it bound what
     * any overlap of commits could reach; and what the disk wrote per transaction, bytes and write
     * requests ({@link #deviceWrites}, Linux only), what binds commits once the disk is the busy part.
     * {@code report} false: the warm-up (no figures).
     */
    private void durableTransactions(int objects, int txCount, String label, boolean report) throws Exception {
        for (int threads : new int[] {1, 8}) {
            if (threads > 1 && !contender.threadSafe()) {
                continue;
            }
            Path dir = fresh("w6");
            StoreAdapter s = contender.create(dir, storeOptions);
            if (!s.transactional()) {
                s.close();
                delete(dir);
                return;
            }
            int perThread = Math.max(1, txCount / threads);
            TxRange[] ranges = new TxRange[threads];
            for (int t = 0; t < threads; t++) {
                ranges[t] = new TxRange(t, Math.max(2, objects / threads), perThread, seed);
                ranges[t].fill(s);
            }
            long cpuBefore = processCpuNanos();
            long[] writtenBefore = deviceWrites(dir);
            double txPerSec = timedThreads(threads, perThread * threads, "w6", (tid, r) -> ranges[tid].next(s));
            double cpuMicrosPerTx = (processCpuNanos() - cpuBefore) / 1e3 / (perThread * threads);
            long[] writtenAfter = deviceWrites(dir);
            for (TxRange range : ranges) {
                range.check(s, label);
            }
            if (report) {
                out("w6.t" + threads + ".tps", txPerSec);
                out("w6.t" + threads + ".cpu_us", cpuMicrosPerTx);
                if (writtenBefore != null && writtenAfter != null) {
                    int tx = perThread * threads;
                    out("w6.t" + threads + ".kb_written", (writtenAfter[0] - writtenBefore[0]) / 1024.0 / tx);
                    out("w6.t" + threads + ".writes", (double) (writtenAfter[1] - writtenBefore[1]) / tx);
                }
            }
            s.close();
            delete(dir);
        }
    }

    /**
     * One W6 thread's key range and its transactions, planned before the clock. Slots number the
     * range's objects in the order they are made: {@code initial} written before the clock, then two
     * per transaction. Transaction {@code k} adds slots {@code initial + 2k} and {@code initial + 2k + 1},
     * overwrites a random live slot other than {@code k} and deletes slot {@code k}, the oldest live one.
     */
    private static final class TxRange {
        private static final int FILL_PER_TX = 500;
        private static final int MIN_SIZE = 1024;
        private static final int MAX_SIZE = 4096;

        private final int initial;
        /** Content index of slot 0: slots of different ranges never share an index. */
        private final int indexBase;

        private final long[] keys;
        private final int[] sizes;
        /** The last version written of each slot (the version a check expects at the end). */
        private final int[] versions;
        /** Per transaction: the slot it overwrites, and its three contents (new, new, overwrite). */
        private final int[] overwrites;

        private final byte[][] contents;
        private int done;

        TxRange(int tid, int initial, int txCount, long seed) {
            this.initial = initial;
            int slots = initial + 2 * txCount;
            this.indexBase = tid * slots;
            this.keys = new long[slots];
            this.sizes = Payload.logUniform(seed + 600 + tid, slots, MIN_SIZE, MAX_SIZE);
            this.versions = new int[slots];
            this.overwrites = new int[txCount];
            this.contents = new byte[3 * txCount][];
            SplittableRandom r = new SplittableRandom(seed * 17 + tid);
            for (int k = 0; k < txCount; k++) {
                int a = initial + 2 * k;
                // live at transaction k: slots k .. a-1; slot k is the one it deletes
                int o = k + 1 + r.nextInt(a - k - 1);
                overwrites[k] = o;
                versions[o]++;
                contents[3 * k] = Payload.content(indexBase + a, 0, sizes[a]);
                contents[3 * k + 1] = Payload.content(indexBase + a + 1, 0, sizes[a + 1]);
                contents[3 * k + 2] = Payload.content(indexBase + o, versions[o], sizes[o]);
            }
        }

        /** Writes the initial objects, in transactions of up to {@value #FILL_PER_TX} (untimed). */
        void fill(StoreAdapter s) throws Exception {
            for (int from = 0; from < initial; from += FILL_PER_TX) {
                StoreAdapter.DurableTransaction tx = s.begin();
                for (int i = from; i < Math.min(initial, from + FILL_PER_TX); i++) {
                    keys[i] = tx.put(Payload.content(indexBase + i, 0, sizes[i]));
                }
                tx.commit();
            }
        }

        /** Runs the next transaction: two new objects, an overwrite, a delete, the commit. */
        void next(StoreAdapter s) throws Exception {
            int k = done++;
            int a = initial + 2 * k;
            StoreAdapter.DurableTransaction tx = s.begin();
            keys[a] = tx.put(contents[3 * k]);
            keys[a + 1] = tx.put(contents[3 * k + 1]);
            tx.overwrite(keys[overwrites[k]], contents[3 * k + 2]);
            tx.delete(keys[k]);
            tx.commit();
        }

        /** Reads every live object of the range in transactions and checks it (untimed). */
        void check(StoreAdapter s, String label) throws Exception {
            int end = initial + 2 * done;
            for (int from = done; from < end; from += FILL_PER_TX) {
                StoreAdapter.DurableTransaction tx = s.begin();
                for (int i = from; i < Math.min(end, from + FILL_PER_TX); i++) {
                    Payload.verify(label, keys[i], tx.get(keys[i]), indexBase + i, versions[i], sizes[i]);
                }
                tx.commit();
            }
        }
    }

    /** One operation of a thread ({@code tid}) with its own random source. */
    @FunctionalInterface
    private interface Op {
        void run(int tid, SplittableRandom r) throws Exception;
    }

    /** {@code ops} operations split over {@code threads} started together: ops/s over the wall time. */
    private double timedThreads(int threads, int ops, String name, Op op) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[threads];
        int per = ops / threads;
        for (int t = 0; t < threads; t++) {
            final int tid = t;
            ts[t] = new Thread(
                    () -> {
                        SplittableRandom r = new SplittableRandom(seed * 31 + threads * 1000L + tid);
                        try {
                            start.await();
                            for (int k = 0; k < per; k++) {
                                op.run(tid, r);
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    name + "-" + t);
            ts[t].start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        if (failure.get() != null) {
            throw new IllegalStateException(name + " with " + threads + " threads failed", failure.get());
        }
        return (double) per * threads / sec(nanos);
    }

    /**
     * W3: a fresh store of N objects (untimed), then timed: delete a random half, durable, write
     * as many new ones (new sizes), durable. Then space amplification after close + reopen, and
     * after the store's own compaction where it has one. W7 ({@code figure} "w7"): the same
     * without the durable step between the deletes and the writes (one sync window), and also
     * the space amplification right after the final durable step.
     */
    private void churn(int[] sizes0, String label, String figure) throws Exception {
        boolean oneWindow = figure.equals("w7");
        Path dir = fresh("churn");
        StoreAdapter s = contender.create(dir, storeOptions);
        int half = n / 2;
        int[] sizes = Arrays.copyOf(sizes0, n + half);
        int[] fresh = Payload.logUniform(seed + 7, half, Payload.MIN, Payload.MAX);
        System.arraycopy(fresh, 0, sizes, n, half);
        long[] keys = new long[n + half];
        writeAll(s, keys, sizes, 0, IntStream.range(0, n).toArray());
        s.durable();
        int[] victims = Arrays.copyOf(Payload.shuffled(seed + 3, n), half);
        int[] newcomers = IntStream.range(n, n + half).toArray();

        long t0 = System.nanoTime();
        for (int i : victims) {
            s.delete(keys[i]);
        }
        if (!oneWindow) {
            s.durable();
        }
        long tDel = System.nanoTime() - t0;
        long tPut = writeAll(s, keys, sizes, 0, newcomers);
        t0 = System.nanoTime();
        s.durable();
        long tSync = System.nanoTime() - t0;
        out(figure + ".ops", (double) (2 * half) / sec(tDel + tPut + tSync));
        note(label + " " + figure + " phases ms: del " + tDel / 1_000_000 + " put " + tPut / 1_000_000 + " sync "
                + tSync / 1_000_000);

        long live = 0;
        boolean[] dead = new boolean[n + half];
        for (int i : victims) {
            dead[i] = true;
            keys[i] = 0;
        }
        for (int i = 0; i < n + half; i++) {
            if (!dead[i]) {
                live += sizes[i];
            }
        }
        if (oneWindow) {
            out("w7.amp_sync", (double) s.fileBytes() / live);
        }
        s.close();
        s.reopen();
        out(figure + ".amp_reopen", (double) s.fileBytes() / live);
        checkLive(s, keys, sizes, dead, label);
        if (s.canCompact() && !oneWindow) {
            try {
                t0 = System.nanoTime();
                s.compact();
                out("w3.compact_s", (System.nanoTime() - t0) / 1e9);
                s.close();
                s.reopen();
                out("w3.amp_compact", (double) s.fileBytes() / live);
                checkLive(s, keys, sizes, dead, label);
            } catch (UnsupportedOperationException e) {
                note(label + ": compaction unsupported: " + e);
            }
        }
        s.close();
        delete(dir);
    }

    private static void checkLive(StoreAdapter s, long[] keys, int[] sizes, boolean[] dead, String label)
            throws Exception {
        int step = Math.max(1, keys.length / 2000);
        for (int i = 0; i < keys.length; i += step) {
            if (!dead[i]) {
                Payload.verify(label, keys[i], s.get(keys[i]), i, 0, sizes[i]);
            }
        }
    }

    /** W5 small: a store of {@code small-n} objects of 16–256 B; close + reopen time, heap per object. */
    private void small(String label) throws Exception {
        int m = Integer.parseInt(opt.getOrDefault("small-n", "1000000"));
        int[] sizes = Payload.logUniform(seed + 11, m, 16, 256);
        long[] keys = new long[m];
        Path dir = fresh("small");
        long heap0 = usedHeap();
        StoreAdapter s = contender.create(dir, storeOptions);
        writeAll(s, keys, sizes, 0, null);
        s.durable();
        if (keep) {
            Files.writeString(base.resolve("small.key"), Long.toString(keys[0]));
        }
        long heap1 = usedHeap();
        out("small.heap_bpo", Math.max(0.0, (double) (heap1 - heap0) / m));
        long est = s.bookkeepingEstimate();
        if (est >= 0) {
            out("small.est_bpo", (double) est / m);
        }
        long[] co = closeReopen(s, Integer.parseInt(opt.getOrDefault("w5-cycles", "5")));
        out("small.open_ms", co[1] / 1e6);
        out("small.ms", co[2] / 1e6);
        spotCheck(s, keys, sizes, label);
        s.close();
        if (!keep) {
            delete(dir);
        }
    }
}
