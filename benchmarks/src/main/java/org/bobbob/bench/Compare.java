package org.bobbob.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.bobbob.bench.Contender.Role;

/**
 * The comparison of the issue "Benchmarks against the stores users would pick instead": every
 * store runs the same workloads in its own JVM ({@link Child}), {@code runs} times, stores
 * interleaved per run; the medians go into one table, with each bobbob store's ratio to RAW and
 * to the best peer, and a list of the targets met and missed. See docs/BENCHMARKS.md.
 *
 * <p>One class of some 600 lines because it is one procedure read top to bottom: options, the
 * child command lines, collecting the figures, and the tables and verdicts they print, which
 * share the collected figures.
 */
final class Compare {
    static final String USAGE =
            """
            usage: compare [--key=value ...]
              --n=100000            objects in W1..W5 (sizes log-uniform 16 B..16 KiB)
              --runs=3              runs per store (each store in its own JVM per run); medians
              --stores=LIST         of %s (default all)
              --workloads=LIST      of w1,w2,w3,w4,w5,w6,w7,w8,w9,heap,small (default all; w1 w2 w4 w5 heap share one store)
              --threads=1,2,4       W4 thread counts (stores that are not thread-safe run 1 only)
              --w2-passes=3         W2 passes over all objects (each its own random order); the median pass
              --w4-ops=N            W4 operations per thread count (default 4 n)
              --w6-tx=N             W6 transactions per thread count (default n/10)
              --small-n=1000000     objects (16..256 B) of the 'small' reopen figure
              --small-stores=multi  stores that run 'small' (or 'all')
              --w5-cycles=5         close+reopen cycles per W5 figure (median)
              --xmx=2g              heap of each child JVM
              --xmn=256m            young generation of each child JVM (fixed: see docs/BENCHMARKS.md)
              --gc=parallel         each child JVM's collector: parallel or g1 (see docs/BENCHMARKS.md)
              --seed=42             workload seed
              --warmup-n=20000      objects of the untimed warm-up store in each child
              --mapdb-mmap=true     MapDB on memory-mapped files (false: RandomAccessFile)
              --lmdb-batch=1000     LMDB puts/deletes per write transaction
              --raw-buffer=4194304  RAW-buffered append buffer bytes
              --dir=target/bench-data   where the stores' files go (a disk, not tmpfs)
              --out=target/bench-compare.txt  the table is also written here
              --timeout-min=60      per child JVM
              --jfr                 record each child with JFR into target/bench-jfr/
              --child-arg=ARG       one more JVM argument for every child; {store} becomes
                                    e.g. multi-run1 (for a profiler agent's output file)
            other commands: s3 [--key=value ...]  the s3 store against the bare AWS SDK (S3Bench; "s3 --help")
                            CoreBench's  all|write|reopen|churn|refill [dir]
            """
                    .formatted(Contender.labels());

    /** A row of the table. {@code ref}: the RAW column a bobbob store's ratio is taken against. */
    record Fig(String key, String label, boolean higherBetter, Contender ref) {}

    static final List<Fig> FIGS = List.of(
            new Fig("w1.ops", "W1 write ops/s (excl. durable)", true, Contender.RAW_BUFFERED),
            new Fig("w1.mbs", "W1 write MB/s (excl. durable)", true, Contender.RAW_BUFFERED),
            new Fig("w1.durable_ms", "W1 durable step ms", false, Contender.RAW_BUFFERED),
            new Fig("w1.ops_d", "W1 write+durable ops/s", true, Contender.RAW_BUFFERED),
            new Fig("w1.mbs_d", "W1 write+durable MB/s", true, Contender.RAW_BUFFERED),
            new Fig("w2.ops", "W2 random read ops/s", true, Contender.RAW_PWRITE),
            new Fig("w2.mbs", "W2 random read MB/s", true, Contender.RAW_PWRITE),
            new Fig("w3.ops", "W3 churn ops/s", true, Contender.RAW_BUFFERED),
            new Fig("w3.amp_reopen", "W3 space amp, after reopen", false, Contender.RAW_BUFFERED),
            new Fig("w3.amp_compact", "W3 space amp, after compaction", false, null),
            new Fig("w3.compact_s", "W3 compaction s", false, null),
            new Fig("w7.ops", "W7 churn in one sync window ops/s", true, Contender.RAW_BUFFERED),
            new Fig("w7.amp_sync", "W7 space amp, after the sync", false, Contender.RAW_BUFFERED),
            new Fig("w7.amp_reopen", "W7 space amp, after reopen", false, Contender.RAW_BUFFERED),
            new Fig("w8.ops", "W8 read right after writing ops/s", true, Contender.RAW_MAPREAD),
            new Fig("w9.t1.ops", "W9 read/overwrite/insert ops/s, 1 thread", true, Contender.RAW_PWRITE),
            new Fig("w9.t8.ops", "W9 read/overwrite/insert ops/s, 8 threads", true, Contender.RAW_PWRITE),
            new Fig("w6.t1.tps", "W6 durable transactions/s, 1 thread", true, Contender.RAW_PWRITE),
            new Fig("w6.t8.tps", "W6 durable transactions/s, 8 threads", true, Contender.RAW_PWRITE),
            new Fig("w6.t1.cpu_us", "W6 process CPU us/transaction, 1 thread", false, Contender.RAW_PWRITE),
            new Fig("w6.t8.cpu_us", "W6 process CPU us/transaction, 8 threads", false, Contender.RAW_PWRITE),
            new Fig("w6.t1.kb_written", "W6 disk KB written/transaction, 1 thread", false, Contender.RAW_PWRITE),
            new Fig("w6.t8.kb_written", "W6 disk KB written/transaction, 8 threads", false, Contender.RAW_PWRITE),
            new Fig("w6.t1.writes", "W6 disk writes/transaction, 1 thread", false, Contender.RAW_PWRITE),
            new Fig("w6.t8.writes", "W6 disk writes/transaction, 8 threads", false, Contender.RAW_PWRITE),
            new Fig("w4.t1.ops", "W4 50/50 ops/s, 1 thread", true, Contender.RAW_PWRITE),
            new Fig("w4.t2.ops", "W4 50/50 ops/s, 2 threads", true, Contender.RAW_PWRITE),
            new Fig("w4.t4.ops", "W4 50/50 ops/s, 4 threads", true, Contender.RAW_PWRITE),
            new Fig("w5.ms", "W5 close+reopen ms", false, Contender.RAW_BUFFERED),
            new Fig("w5.open_ms", "W5 reopen only ms", false, Contender.RAW_BUFFERED),
            new Fig("w5.cold_ms", "W5 open in a fresh JVM ms", false, Contender.RAW_BUFFERED),
            new Fig("small.ms", "W5 small objs close+reopen ms", false, Contender.RAW_BUFFERED),
            new Fig("small.cold_ms", "W5 small objs open, fresh JVM ms", false, Contender.RAW_BUFFERED),
            new Fig("heap.bpo", "heap bookkeeping B/obj (measured)", false, Contender.RAW_BUFFERED),
            new Fig("heap.est_bpo", "  StoreStats.bookkeepingBytes B/obj", false, null),
            new Fig("small.heap_bpo", "heap B/obj, small objs (measured)", false, Contender.RAW_BUFFERED),
            new Fig("small.est_bpo", "  StoreStats estimate B/obj, small", false, null));

    /**
     * A target of the issue. {@code vs}: "peer", a RAW contender's label, "abs" for an absolute
     * bound, or "self:" and another figure's key for a bound on the store's own other figure.
     */
    record Target(String text, String fig, String vs, double bound, boolean atLeast, List<Contender> stores) {}

    private static final List<Contender> BOB = List.of(Contender.BASIC, Contender.MULTI, Contender.CONC_MULTI);

    static final List<Target> TARGETS = List.of(
            new Target("W1 write incl. durable >= 1.0x best peer", "w1.ops_d", "peer", 1.0, true, BOB),
            new Target("W1 write incl. durable >= 0.8x RAW-buffered", "w1.ops_d", "raw-buffered", 0.8, true, BOB),
            new Target("W2 random read >= 1.0x best peer", "w2.ops", "peer", 1.0, true, BOB),
            new Target("W3 churn >= 3x best peer", "w3.ops", "peer", 3.0, true, BOB),
            new Target(
                    "W3 space amp <= 1.15 (multi)",
                    "w3.amp_reopen",
                    "abs",
                    1.15,
                    false,
                    List.of(Contender.MULTI, Contender.CONC_MULTI)),
            new Target("W7 churn in one sync window >= 3x best peer", "w7.ops", "peer", 3.0, true, BOB),
            new Target(
                    "W7 space amp after the sync <= 1.15 (multi)",
                    "w7.amp_sync",
                    "abs",
                    1.15,
                    false,
                    List.of(Contender.MULTI, Contender.CONC_MULTI)),
            new Target(
                    "W7 space amp after the sync <= 1.25 (basic)",
                    "w7.amp_sync",
                    "abs",
                    1.25,
                    false,
                    List.of(Contender.BASIC)),
            new Target("W8 read right after writing >= 1.0x best peer", "w8.ops", "peer", 1.0, true, BOB),
            new Target("W9 mixed, 1 thread >= 1.0x best peer", "w9.t1.ops", "peer", 1.0, true, BOB),
            new Target(
                    "W9 mixed, 8 threads >= 1.0x best peer",
                    "w9.t8.ops",
                    "peer",
                    1.0,
                    true,
                    List.of(Contender.CONC_MULTI)),
            new Target("W6 durable tx, 1 thread >= 1.0x best peer", "w6.t1.tps", "peer", 1.0, true, BOB),
            new Target(
                    "W6 durable tx, 8 threads >= 4x 1 thread",
                    "w6.t8.tps",
                    "self:w6.t1.tps",
                    4.0,
                    true,
                    List.of(Contender.CONC_MULTI)),
            new Target("W4 2 threads >= 1.0x best peer", "w4.t2.ops", "peer", 1.0, true, List.of(Contender.CONC_MULTI)),
            new Target("W4 4 threads >= 1.0x best peer", "w4.t4.ops", "peer", 1.0, true, List.of(Contender.CONC_MULTI)),
            new Target("W5 close+reopen <= best peer", "w5.ms", "peer", 1.0, false, BOB),
            new Target("W5 open in a fresh JVM <= best peer", "w5.cold_ms", "peer", 1.0, false, BOB),
            new Target(
                    "W5 1M small objs close+reopen < 300 ms", "small.ms", "abs", 300, false, List.of(Contender.MULTI)),
            new Target(
                    "W5 1M small objs open, fresh JVM < 300 ms",
                    "small.cold_ms",
                    "abs",
                    300,
                    false,
                    List.of(Contender.MULTI)),
            new Target("bookkeeping heap <= 16 B/object", "heap.bpo", "abs", 16, false, BOB));

    private final Map<String, String> opt;
    private final List<Contender> stores = new ArrayList<>();
    /** store -> figure -> values of the runs. */
    private final Map<Contender, Map<String, List<Double>>> results = new LinkedHashMap<>();

    private final Map<Contender, String> failures = new LinkedHashMap<>();

    private Compare(Map<String, String> opt) {
        this.opt = opt;
        String list = opt.getOrDefault("stores", "all");
        if (list.equals("all")) {
            stores.addAll(Arrays.asList(Contender.values()));
        } else {
            for (String s : list.split(",")) {
                stores.add(Contender.of(s.trim()));
            }
        }
        for (Contender k : stores) {
            results.put(k, new LinkedHashMap<>());
        }
    }

    static int run(String[] args) throws Exception {
        Map<String, String> opt = Child.parse(args);
        if (opt.containsKey("help")) {
            System.out.println(USAGE);
            return 0;
        }
        return new Compare(opt).go();
    }

    private int go() throws Exception {
        int runs = Integer.parseInt(opt.getOrDefault("runs", "3"));
        Path dir = Path.of(opt.getOrDefault("dir", "target/bench-data")).toAbsolutePath();
        String started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"));
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        for (int r = 1; r <= runs; r++) {
            for (Contender k : stores) {
                if (failures.containsKey(k)) {
                    continue;
                }
                runChild(k, r, runs, dir);
            }
        }
        String loadAfter = loadAverage();
        double minutes = (System.nanoTime() - t0) / 60e9;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "bobbob vs peers: N=%s (small objs: %s of 16-256 B), %d run(s) per store (medians), seed %s, child JVMs -Xmx%s -Xmn%s %s GC, %s cores, Java %s%n",
                opt.getOrDefault("n", "100000"),
                opt.getOrDefault("small-n", "1000000"),
                runs,
                opt.getOrDefault("seed", "42"),
                opt.getOrDefault("xmx", "2g"),
                opt.getOrDefault("xmn", "256m"),
                gc(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        sb.append(String.format(
                Locale.ROOT,
                "started %s, took %.1f min; load average (1/5/15 min) before: %s, after: %s%n",
                started,
                minutes,
                loadBefore,
                loadAfter));
        table(sb);
        ratios(sb);
        if (runs > 1) {
            spread(sb);
        }
        targets(sb);
        if (!failures.isEmpty()) {
            sb.append("\nFAILED stores:\n");
            failures.forEach((k, why) ->
                    sb.append("  ").append(k.label()).append(": ").append(why).append('\n'));
        }
        System.out.print(sb);
        Path out = Path.of(opt.getOrDefault("out", "target/bench-compare.txt"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, sb.toString());
        System.err.println("(table also in " + out.toAbsolutePath() + ")");
        return failures.isEmpty() ? 0 : 1;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    // ---------------------------------------------------------------- children

    private void runChild(Contender k, int run, int runs, Path dir) throws Exception {
        Path storeDir = dir.resolve(k.label() + "-run" + run);
        String smallStores = opt.getOrDefault("small-stores", "multi");
        boolean small = smallStores.equals("all")
                || Arrays.asList(smallStores.split(",")).contains(k.label());
        List<String> w =
                new ArrayList<>(Arrays.asList(opt.getOrDefault("workloads", "w1,w2,w3,w4,w5,w6,w7,w8,w9,heap,small")
                        .split(",")));
        if (!small) {
            w.remove("small");
        }
        if (k.onlyWorkloads() != null) {
            w.retainAll(k.onlyWorkloads());
            if (w.isEmpty()) {
                return; // none of its workloads asked for: no child, its cells stay empty
            }
        }
        boolean cold = w.contains("w5") || w.contains("small");
        List<String> args = new ArrayList<>();
        args.add("--workloads=" + String.join(",", w));
        for (String pass : new String[] {
            "n",
            "seed",
            "threads",
            "w2-passes",
            "w4-ops",
            "w6-tx",
            "small-n",
            "w5-cycles",
            "warmup-n",
            "mapdb-mmap",
            "lmdb-batch",
            "raw-buffer"
        }) {
            if (opt.containsKey(pass)) {
                args.add("--" + pass + "=" + opt.get(pass));
            }
        }
        System.err.printf(Locale.ROOT, "[run %d/%d] %-12s ... ", run, runs, k.label());
        long t0 = System.nanoTime();
        List<String> main = new ArrayList<>(args);
        if (cold) {
            main.add("--keep=true");
        }
        boolean ok = spawn(k, run, storeDir, main, "");
        if (ok && cold) {
            // the cold reopen: a fresh JVM opens the stores the first one left
            List<String> c = new ArrayList<>(args);
            c.set(0, "--workloads=cold");
            spawn(k, run, storeDir, c, "-cold");
        }
        System.err.printf(
                Locale.ROOT,
                "%s in %.1f s%n",
                failures.containsKey(k) ? "FAILED" : "done",
                (System.nanoTime() - t0) / 1e9);
        Child.delete(storeDir);
    }

    /** The children's collector: {@code parallel} (the default) or {@code g1}. */
    private String gc() {
        String gc = opt.getOrDefault("gc", "parallel");
        if (!gc.equals("parallel") && !gc.equals("g1")) {
            throw new IllegalArgumentException("--gc=" + gc + ": parallel or g1");
        }
        return gc;
    }

    /** Runs one child JVM; its figures go to {@link #results}; false (and a failure noted) if it fails. */
    private boolean spawn(Contender k, int run, Path storeDir, List<String> args, String jfrSuffix) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + opt.getOrDefault("xmx", "2g"));
        // A young generation of fixed size, in one place: the parallel collector reuses the same
        // eden every cycle, so its pages are touched once, in the warm-up. G1 would grow its young
        // generation during the timed sections and place new eden regions in heap nothing touched
        // yet, and every such page costs the kernel's first-touch fault (4-35 µs per 4 KiB page on
        // the table's machine), paid by whichever workload allocates then (every read returns a
        // new array), not by the store: see docs/BENCHMARKS.md (the workloads).
        cmd.add("-Xmn" + opt.getOrDefault("xmn", "256m"));
        cmd.add(gc().equals("g1") ? "-XX:+UseG1GC" : "-XX:+UseParallelGC");
        cmd.add("--add-opens");
        cmd.add("java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-opens");
        cmd.add("java.base/sun.nio.ch=ALL-UNNAMED");
        if (opt.containsKey("jfr")) {
            Path jfr = Path.of("target", "bench-jfr").toAbsolutePath();
            Files.createDirectories(jfr);
            cmd.add("-XX:StartFlightRecording=filename=" + jfr.resolve(k.label() + "-run" + run + jfrSuffix + ".jfr")
                    + ",settings=profile");
        }
        if (opt.containsKey("child-arg")) {
            cmd.add(opt.get("child-arg").replace("{store}", k.label() + "-run" + run + jfrSuffix));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("child");
        cmd.add("--store=" + k.label());
        cmd.add("--dir=" + storeDir);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, List<Double>> res = results.get(k);
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(Child.TAG)) {
                    String[] kv = line.substring(Child.TAG.length()).split(" ");
                    res.computeIfAbsent(kv[0], x -> new ArrayList<>()).add(Double.parseDouble(kv[1]));
                } else {
                    System.err.println("  " + k.label() + ": " + line);
                }
            }
        }
        long timeout = Long.parseLong(opt.getOrDefault("timeout-min", "60"));
        if (!p.waitFor(timeout, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            failures.put(k, "run " + run + jfrSuffix + " timed out after " + timeout + " min");
            return false;
        } else if (p.exitValue() != 0) {
            failures.put(k, "run " + run + jfrSuffix + " exited with " + p.exitValue() + " (see its stderr above)");
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- figures

    private Double median(Contender k, String fig) {
        if (failures.containsKey(k)) {
            return null;
        }
        List<Double> v = results.get(k).get(fig);
        if (v == null || v.isEmpty()) {
            return null;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** The best peer's store for a figure, or null. */
    private Contender bestPeer(String fig, boolean higherBetter) {
        Contender best = null;
        Double bv = null;
        for (Contender k : stores) {
            Double v = k.role() == Role.PEER ? median(k, fig) : null;
            if (v != null && (bv == null || (higherBetter ? v > bv : v < bv))) {
                best = k;
                bv = v;
            }
        }
        return best;
    }

    static String num(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    static String ratio(Double v, Double ref) {
        if (v == null || ref == null || ref <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", v / ref);
    }

    private boolean anyValue(Fig f) {
        for (Contender k : stores) {
            if (median(k, f.key()) != null) {
                return true;
            }
        }
        return false;
    }

    private void table(StringBuilder sb) {
        perStore(
                sb,
                "\nmedians (better: higher/lower)\n",
                "better",
                f -> f.higherBetter() ? "higher" : "lower",
                (k, f) -> failures.containsKey(k) ? "FAIL" : num(median(k, f.key())));
    }

    /** A table with a row per figure that has a value and a column per store. */
    private void perStore(
            StringBuilder sb,
            String title,
            String secondHeader,
            Function<Fig, String> second,
            BiFunction<Contender, Fig, String> cell) {
        sb.append(title);
        sb.append(String.format(Locale.ROOT, "%-37s %-6s", "figure", secondHeader));
        for (Contender k : stores) {
            sb.append(String.format(Locale.ROOT, " %12s", k.label()));
        }
        sb.append('\n');
        for (Fig f : FIGS) {
            if (!anyValue(f)) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-37s %-6s", f.label(), second.apply(f)));
            for (Contender k : stores) {
                sb.append(String.format(Locale.ROOT, " %12s", cell.apply(k, f)));
            }
            sb.append('\n');
        }
    }

    private void ratios(StringBuilder sb) {
        List<Contender> bob =
                stores.stream().filter(k -> k.role() == Role.BOBBOB).toList();
        if (bob.isEmpty()) {
            return;
        }
        sb.append(
                "\nratios: bobbob / reference (RAW = the RAW column named; peer = the best of mvstore, mapdb, lmdb in this run)\n");
        sb.append(String.format(Locale.ROOT, "%-37s %-13s %-9s", "figure", "RAW ref", "best peer"));
        for (Contender k : bob) {
            sb.append(String.format(Locale.ROOT, " %16s %16s", k.label() + "/RAW", k.label() + "/peer"));
        }
        sb.append('\n');
        for (Fig f : FIGS) {
            if (!anyValue(f) || f.ref() == null && bestPeer(f.key(), f.higherBetter()) == null) {
                continue;
            }
            boolean bobHas = bob.stream().anyMatch(k -> median(k, f.key()) != null);
            if (!bobHas) {
                continue;
            }
            Contender peer = bestPeer(f.key(), f.higherBetter());
            Double rawV = f.ref() != null && stores.contains(f.ref()) ? median(f.ref(), f.key()) : null;
            Double peerV = peer == null ? null : median(peer, f.key());
            sb.append(String.format(
                    Locale.ROOT,
                    "%-37s %-13s %-9s",
                    f.label(),
                    rawV == null ? "-" : f.ref().label(),
                    peer == null ? "-" : peer.label()));
            for (Contender k : bob) {
                Double v = median(k, f.key());
                sb.append(String.format(Locale.ROOT, " %16s %16s", ratio(v, rawV), ratio(v, peerV)));
            }
            sb.append('\n');
        }
    }

    private void spread(StringBuilder sb) {
        perStore(sb, "\nrun-to-run spread: (max - min) / median, %\n", "", f -> "", (k, f) -> {
            List<Double> v = failures.containsKey(k) ? null : results.get(k).get(f.key());
            Double m = median(k, f.key());
            if (v == null || v.size() < 2 || m == null || m == 0) {
                return "-";
            }
            double spread = (v.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                            - v.stream().mapToDouble(Double::doubleValue).min().orElse(0))
                    / Math.abs(m)
                    * 100;
            return String.format(Locale.ROOT, "%.0f%%", spread);
        });
    }

    private void targets(StringBuilder sb) {
        sb.append("\ntargets (issue: medians of 3 runs, N = 100 000");
        String n = opt.getOrDefault("n", "100000");
        if (!n.equals("100000")) {
            sb.append("; THIS RUN USED N = ").append(n).append(", so these are indicative only");
        }
        sb.append(")\n");
        sb.append(String.format(
                Locale.ROOT, "%-45s %-11s %10s %9s  %s%n", "target", "store", "value", "needed", "verdict"));
        int met = 0;
        int missed = 0;
        for (Target t : TARGETS) {
            for (Contender k : t.stores()) {
                if (!stores.contains(k)) {
                    continue;
                }
                Double v = median(k, t.fig());
                Double ref;
                String refName;
                if (t.vs().equals("abs")) {
                    ref = 1.0;
                    refName = "";
                } else if (t.vs().equals("peer")) {
                    Fig f = fig(t.fig());
                    Contender p = bestPeer(t.fig(), f.higherBetter());
                    ref = p == null ? null : median(p, t.fig());
                    refName = p == null ? "" : " of " + p.label() + rawAgainstPeer(t.fig(), ref);
                } else if (t.vs().startsWith("self:")) {
                    String own = t.vs().substring("self:".length());
                    ref = median(k, own);
                    refName = " of its " + own
                            + rawOwnRatio(t.fig(), own, t.bound() * (ref == null ? 0 : ref))
                            + storageRates(k, t.fig());
                } else {
                    Contender raw = Contender.of(t.vs());
                    ref = stores.contains(raw) ? median(raw, t.fig()) : null;
                    refName = " of " + raw.label();
                }
                String value;
                String verdict;
                if (v == null || ref == null) {
                    value = "-";
                    verdict = "n/a (" + (v == null ? k.label() : "reference") + " not measured"
                            + (failures.containsKey(k) ? ", store FAILED" : "") + ")";
                } else {
                    double x = v / ref;
                    boolean abs = t.vs().equals("abs");
                    value = abs ? num(v) : String.format(Locale.ROOT, "%.2fx", x);
                    boolean ok = t.atLeast() ? x >= t.bound() : x <= t.bound();
                    if (ok) {
                        met++;
                        verdict = "met"
                                + (t.atLeast()
                                        ? String.format(Locale.ROOT, " (%.1f%% headroom)", (x / t.bound() - 1) * 100)
                                        : String.format(Locale.ROOT, " (%.1f%% headroom)", (1 - x / t.bound()) * 100));
                    } else {
                        missed++;
                        verdict = t.atLeast()
                                ? String.format(
                                        Locale.ROOT,
                                        "MISSED by %.1f%%: needs %.2fx its speed",
                                        (1 - x / t.bound()) * 100,
                                        t.bound() / x)
                                : String.format(
                                        Locale.ROOT,
                                        "MISSED: %.2fx the bound, needs %.0f%% less",
                                        x / t.bound(),
                                        (1 - t.bound() / x) * 100);
                    }
                }
                String needed = (t.atLeast() ? ">=" : "<=")
                        + (t.vs().equals("abs") ? num(t.bound()) : String.format(Locale.ROOT, "%.2fx", t.bound()));
                sb.append(String.format(
                        Locale.ROOT,
                        "%-45s %-11s %10s %9s  %s%s%n",
                        t.text(),
                        k.label(),
                        value,
                        needed,
                        verdict,
                        v != null && ref != null && !t.vs().equals("abs")
                                ? "  [" + num(v) + " vs " + num(ref) + refName + "]"
                                : ""));
            }
        }
        sb.append(String.format(Locale.ROOT, "%d met, %d missed%n", met, missed));
    }

    /**
     * Targets against the best peer whose verdict line also gives the RAW stores' ratios to that
     * peer in the same run, with the figures (of other workloads) that show what each RAW store's
     * way of writing and reading costs elsewhere: for W8, how each RAW store writes decides how its
     * reads right after writing go, and its W1 shows what that way of writing costs. For the
     * churns W3 and W7, RAW-refill is the store that reuses freed space in place, the others
     * append and never reuse it.
     */
    private static final Map<String, List<String>> RAW_AGAINST_PEER =
            Map.of("w8.ops", List.of("w1.ops_d"), "w2.ops", List.of(), "w3.ops", List.of(), "w7.ops", List.of());

    private static final Contender[] RAW_WRITERS = {
        Contender.RAW_PWRITE,
        Contender.RAW_BUFFERED,
        Contender.RAW_MAPREAD,
        Contender.RAW_MAPPED,
        Contender.RAW_CHECKED,
        Contender.RAW_REFILL
    };

    /**
     * For a target against the best peer (figure {@code fig}, the peer's value {@code peerValue}):
     * each RAW store's own ratio to it in this run, and its ratio to the best peer of each figure
     * {@link #RAW_AGAINST_PEER} names beside it. Empty for other targets.
     */
    private String rawAgainstPeer(String fig, Double peerValue) {
        List<String> beside = RAW_AGAINST_PEER.get(fig);
        if (beside == null || peerValue == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Contender raw : RAW_WRITERS) {
            Double a = stores.contains(raw) ? median(raw, fig) : null;
            if (a == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "; %s %.2fx", raw.label(), a / peerValue));
            for (String other : beside) {
                Fig f = fig(other);
                Contender p = bestPeer(other, f.higherBetter());
                Double o = median(raw, other);
                Double po = p == null ? null : median(p, other);
                if (o != null && po != null) {
                    sb.append(String.format(Locale.ROOT, " (its %s %.2fx %s's)", f.label(), o / po, p.label()));
                }
            }
        }
        return sb.length() == 0 ? "" : "; RAW in this run:" + sb.substring(1);
    }

    /** The row of {@link #FIGS} with key {@code key}. */
    private static Fig fig(String key) {
        return FIGS.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
    }

    /** The RAW stores whose own ratios a bound on a store's own figures is compared with. */
    private static final Contender[] RAW_RATIOS = {Contender.RAW_PWRITE, Contender.RAW_INPLACE};

    /**
     * For a bound on a store's own figures ("self:"): the same ratio of RAW-pwrite and RAW-inplace
     * in this run, when they ran both figures — what the machine gives the simplest stores that can
     * do the same work (for W6: a redo log with group commit, and the same log whose overwrites go
     * back in place) — and their own figures next to what the bound asks of the store
     * ({@code wanted}): for W6, whether four times the store's one-thread figure is more than the
     * raw logs commit on 8 threads.
     */
    private String rawOwnRatio(String fig, String own, double wanted) {
        StringBuilder sb = new StringBuilder();
        for (Contender raw : RAW_RATIOS) {
            Double a = stores.contains(raw) ? median(raw, fig) : null;
            Double b = stores.contains(raw) ? median(raw, own) : null;
            if (a != null && b != null) {
                sb.append(String.format(Locale.ROOT, "; %s makes %s, its own %.2fx", raw.label(), num(a), a / b));
            }
        }
        return sb.length() == 0
                ? ""
                : sb.append("; the bound asks ").append(num(wanted)).toString();
    }

    /**
     * For a bound on a rate of transactions whose run also measured the bytes each wrote to storage
     * ({@code <fig>} ending in {@code .tps}, {@code kb_written} beside it): what the disk wrote per
     * transaction of the store, of RAW-pwrite and of RAW-inplace, and the MB/s that makes at their
     * rates. Two stores whose disk writes at the same MB/s are bound by it alike, and the one that
     * has it write less per transaction commits more of them.
     */
    private String storageRates(Contender k, String fig) {
        if (!fig.endsWith(".tps")) {
            return "";
        }
        String kb = fig.substring(0, fig.length() - ".tps".length()) + ".kb_written";
        StringBuilder sb = new StringBuilder();
        for (Contender c : new Contender[] {k, Contender.RAW_PWRITE, Contender.RAW_INPLACE}) {
            Double rate = stores.contains(c) ? median(c, fig) : null;
            Double perTx = stores.contains(c) ? median(c, kb) : null;
            if (rate != null && perTx != null) {
                sb.append(sb.length() == 0 ? "; the disk wrote " : ", ")
                        .append(String.format(
                                Locale.ROOT, "%s %.1f KB/tx = %.0f MB/s", c.label(), perTx, rate * perTx / 1024));
            }
        }
        return sb.toString();
    }
}
