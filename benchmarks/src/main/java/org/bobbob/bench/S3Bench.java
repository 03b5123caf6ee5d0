package org.bobbob.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The s3 store against the bare AWS SDK (the issue "put and get of 16 KiB and 1 MiB objects, 1 and
 * 8 threads, through bobbob vs the bare AWS SDK against the same in-process server: bobbob's
 * overhead ≤ 10 %; report requests per operation").
 *
 * <p>One JVM: an in-process S3Proxy (transient-nio2, in memory, 127.0.0.1, a free port), and two
 * sides talking to it:
 * <ul>
 *   <li><b>bobbob</b>: {@code StoreManager.open("bobbob:s3://bench/bobbob?endpoint=..&pathStyle=true",
 *       credentials)}, so the {@code ConcurrentStore} the URL gives by default; put =
 *       {@code writeNewObjFromBytes}, get = {@code readBytesFromObj};
 *   <li><b>SDK</b>: an {@link S3Client} configured as {@code S3StoreProvider} configures the
 *       store's (Apache HttpClient 5, standard retries, checksums WHEN_REQUIRED, us-east-1, path
 *       style, static credentials); put = {@code putObject} of a new key (the store's key form,
 *       prefix {@code bare}) with {@code RequestBody.fromBytes}, get =
 *       {@code getObjectAsBytes(..).asByteArrayUnsafe()}.
 * </ul>
 * For each size × threads × op: warm-up rounds, then timed rounds of as many operations as the
 * last warm-up round did in {@code --round-seconds} (the same number for both sides), the two sides
 * alternating (bobbob first in even rounds, the SDK first in odd ones) so both see the same machine
 * load; medians per side. A put round creates its objects and they are deleted after it (untimed); a
 * get round reads random objects of a set written before (untimed) by the same side. Every get is
 * checked (length and index stamp) inside the clock on both sides, and every byte of the set after
 * the rounds. Then a counting pass: a second store and a second client, both through a
 * {@link CountingProxy}, run the same operations, and the requests each makes per operation are
 * counted on the wire, by kind.
 */
final class S3Bench {
    static final String USAGE =
            """
            usage: s3 [--key=value ...]
              --rounds=11             timed rounds per side and configuration (sides alternate); medians
              --warmup-rounds=2       untimed rounds per side before them
              --warmup-ops=500,50     operations per warm-up round, per size (in the order of --sizes)
              --round-seconds=1.5     a timed round's length: its operations are set from the last
                                      warm-up round's speed (both sides' mean), the same for both sides
              --sizes=16384,1048576   object sizes, bytes
              --threads=1,8           thread counts
              --get-objects=512,64    objects a get round reads from (at random), per size
              --count-ops=64          operations per side and configuration in the request-counting pass
              --sides=bobbob,sdk      which sides run (one only: for a profile)
              --target=10             the bound on bobbob's overhead, %
              --out=target/bench-s3.txt  the table is also written here
            """;

    private static final String ACCESS_KEY = "bench-access";
    private static final String SECRET_KEY = "bench-secret-0123456789abcdef";
    private static final String BUCKET = "bench";

    enum Op {
        PUT,
        GET;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One side: how it puts a new object and gets one by its reference (an id; the SDK's key is made from it). */
    interface Side extends AutoCloseable {
        long put(byte[] data) throws Exception;

        byte[] get(long ref) throws Exception;

        /** The S3 key {@code ref} lives at: for deleting a round's objects behind the side's back. */
        String key(long ref);

        @Override
        void close() throws IOException;
    }

    /** bobbob's s3 store, opened the way an application opens it. */
    static final class BobbobSide implements Side {
        private final Storer store;

        BobbobSide(URI endpoint) throws IOException {
            Properties credentials = new Properties();
            credentials.setProperty("accessKey", ACCESS_KEY);
            credentials.setProperty("secretKey", SECRET_KEY);
            store = StoreManager.open(
                    "bobbob:s3://" + BUCKET + "/bobbob?endpoint=" + endpoint + "&pathStyle=true", credentials);
        }

        @Override
        public long put(byte[] data) throws IOException {
            return store.writeNewObjFromBytes(data);
        }

        @Override
        public byte[] get(long ref) throws IOException {
            return store.readBytesFromObj(ref);
        }

        /** The store's key form (docs/S3.md): prefix, '/', the id as 16 hex digits. */
        @Override
        public String key(long ref) {
            return "bobbob/" + String.format(Locale.ROOT, "%016x", ref);
        }

        @Override
        public void close() throws IOException {
            store.close();
        }
    }

    /** The bare SDK: what an application writes without bobbob, with the store's client settings. */
    static final class SdkSide implements Side {
        private final S3Client s3;

        SdkSide(URI endpoint) {
            s3 = client(endpoint);
        }

        @Override
        public long put(byte[] data) {
            long id = ThreadLocalRandom.current().nextLong(1L << 16, Long.MAX_VALUE);
            s3.putObject(b -> b.bucket(BUCKET).key(key(id)), RequestBody.fromBytes(data));
            return id;
        }

        @Override
        public byte[] get(long ref) {
            return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(ref))).asByteArrayUnsafe();
        }

        @Override
        public String key(long ref) {
            return "bare/" + String.format(Locale.ROOT, "%016x", ref);
        }

        @Override
        public void close() {
            s3.close();
        }
    }

    /** A client built as {@code S3StoreProvider.client} builds the store's, on {@code endpoint}. */
    static S3Client client(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .endpointOverride(endpoint)
                .build();
    }

    /** Options, with their defaults. */
    private static final class Options {
        int rounds = 11;
        int warmupRounds = 2;
        int[] warmupOps = {500, 50};
        double roundSeconds = 1.5;
        int[] sizes = {16 * 1024, 1024 * 1024};
        int[] threads = {1, 8};
        int[] getObjects = {512, 64};
        int countOps = 64;
        List<String> sides = List.of("bobbob", "sdk");
        double target = 10;
        String out = "target/bench-s3.txt";
    }

    /** One configuration's figures. */
    private static final class Row {
        final Op op;
        final int size;
        final int threads;
        final int ops;
        final Map<String, double[]> seconds = new LinkedHashMap<>();
        final Map<String, Map<String, Long>> requests = new LinkedHashMap<>();
        final Map<String, Integer> countedOps = new LinkedHashMap<>();

        Row(Op op, int size, int threads, int ops) {
            this.op = op;
            this.size = size;
            this.threads = threads;
            this.ops = ops;
        }
    }

    private final Options o;
    private final ExecutorService pool;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, Long>> openRequests = new LinkedHashMap<>();

    private S3Bench(Options o) {
        this.o = o;
        AtomicInteger n = new AtomicInteger();
        int max = Arrays.stream(o.threads).max().orElse(1);
        this.pool = Executors.newFixedThreadPool(max, r -> {
            Thread t = new Thread(r, "s3bench-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    static int run(String[] args) throws Exception {
        Options o = parse(args);
        if (o == null) {
            return 2;
        }
        S3Bench bench = new S3Bench(o);
        try {
            return bench.runAll();
        } finally {
            bench.pool.shutdownNow();
        }
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        for (String a : args) {
            if (a.equals("help") || a.equals("--help") || a.equals("-h")) {
                System.out.println(USAGE);
                return null;
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                System.err.println("bad argument " + a + "\n" + USAGE);
                return null;
            }
            String key = a.substring(2, eq);
            String value = a.substring(eq + 1);
            switch (key) {
                case "rounds" -> o.rounds = Integer.parseInt(value);
                case "warmup-rounds" -> o.warmupRounds = Integer.parseInt(value);
                case "sizes" -> o.sizes = ints(value);
                case "threads" -> o.threads = ints(value);
                case "warmup-ops" -> o.warmupOps = ints(value);
                case "round-seconds" -> o.roundSeconds = Double.parseDouble(value);
                case "get-objects" -> o.getObjects = ints(value);
                case "count-ops" -> o.countOps = Integer.parseInt(value);
                case "sides" -> o.sides = List.of(value.split(","));
                case "target" -> o.target = Double.parseDouble(value);
                case "out" -> o.out = value;
                default -> {
                    System.err.println("unknown option --" + key + "\n" + USAGE);
                    return null;
                }
            }
        }
        if (o.warmupOps.length != o.sizes.length || o.getObjects.length != o.sizes.length) {
            System.err.println("--warmup-ops and --get-objects need one value per size\n" + USAGE);
            return null;
        }
        if (o.sides.isEmpty() || !List.of("bobbob", "sdk").containsAll(o.sides)) {
            System.err.println("--sides: bobbob, sdk or both\n" + USAGE);
            return null;
        }
        return o;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
    }

    private int runAll() throws Exception {
        String started = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
        String loadBefore = loadAverage();
        long t0 = System.nanoTime();
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder()
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient-nio2")
                .build();
        proxy.beforeEach();
        URI endpoint = trimSlash(proxy.getUri());
        try (S3Client admin = client(endpoint);
                CountingProxy counting = new CountingProxy(endpoint)) {
            admin.createBucket(b -> b.bucket(BUCKET));
            Map<String, Side> timed = new LinkedHashMap<>();
            Map<String, Side> counted = new LinkedHashMap<>();
            try {
                for (String name : o.sides) {
                    timed.put(name, open(name, endpoint));
                    counting.reset();
                    counted.put(name, open(name, counting.uri()));
                    openRequests.put(name, counting.snapshot());
                }
                for (int s = 0; s < o.sizes.length; s++) {
                    runSize(s, timed, counted, counting, admin);
                }
            } finally {
                for (Side side : counted.values()) {
                    side.close();
                }
                for (Side side : timed.values()) {
                    side.close();
                }
            }
        } finally {
            proxy.afterEach();
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        String report = report(started, minutes, loadBefore, loadAverage());
        System.out.print(report);
        Path out = Path.of(o.out);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report, StandardCharsets.UTF_8);
        return 0;
    }

    private static Side open(String name, URI endpoint) throws IOException {
        return name.equals("bobbob") ? new BobbobSide(endpoint) : new SdkSide(endpoint);
    }

    private static URI trimSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Every configuration of one size: the get set written, timed rounds, the counting pass, the set checked and deleted. */
    private void runSize(
            int s, Map<String, Side> timed, Map<String, Side> counted, CountingProxy counting, S3Client admin)
            throws Exception {
        int size = o.sizes[s];
        int warmupOps = o.warmupOps[s];
        int n = o.getObjects[s];
        byte[] payload = new byte[size];
        new SplittableRandom(size).nextBytes(payload);
        Map<String, long[]> sets = new LinkedHashMap<>();
        for (Map.Entry<String, Side> e : timed.entrySet()) {
            long[] refs = new long[n];
            for (int i = 0; i < n; i++) {
                refs[i] = e.getValue().put(content(payload, i));
            }
            sets.put(e.getKey(), refs);
        }
        for (int threads : o.threads) {
            for (Op op : Op.values()) {
                // warm-up rounds; the last ones' speed sets the timed rounds' length (--round-seconds)
                double warmOpsPerSecond = 0;
                for (int w = 0; w < o.warmupRounds; w++) {
                    warmOpsPerSecond = 0;
                    for (String name : timed.keySet()) {
                        long nanos = round(timed.get(name), op, threads, warmupOps, payload, sets.get(name), w, admin);
                        warmOpsPerSecond += warmupOps / (nanos / 1e9) / timed.size();
                    }
                }
                int ops = o.warmupRounds == 0
                        ? warmupOps
                        : (int) Math.max(threads, Math.round(warmOpsPerSecond * o.roundSeconds / threads) * threads);
                Row row = new Row(op, size, threads, ops);
                rows.add(row);
                System.out.printf(
                        Locale.ROOT, "%s %d B, %d thread(s), %d ops per round ...%n", op.label(), size, threads, ops);
                for (String name : timed.keySet()) {
                    row.seconds.put(name, new double[o.rounds]);
                }
                List<String> names = new ArrayList<>(timed.keySet());
                for (int r = 0; r < o.rounds; r++) {
                    List<String> order = new ArrayList<>(names);
                    if (r % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (String name : order) {
                        System.gc();
                        long nanos = round(timed.get(name), op, threads, ops, payload, sets.get(name), 100 + r, admin);
                        row.seconds.get(name)[r] = nanos / 1e9;
                    }
                }
                for (String name : names) {
                    System.out.printf(
                            Locale.ROOT,
                            "  %-6s %s ops/s (rounds: %s)%n",
                            name,
                            fmt(ops / median(row.seconds.get(name))),
                            Arrays.toString(Arrays.stream(row.seconds.get(name))
                                    .mapToObj(x -> fmt(ops / x))
                                    .toArray()));
                }
                for (String name : counted.keySet()) {
                    // a few operations first, so that no pooled connection is stale from the minutes
                    // this side sat idle; the admin client deletes a put round's objects on the server
                    // itself, not through the proxy
                    round(counted.get(name), op, threads, 2 * threads, payload, sets.get(name), 998, admin);
                    counting.reset();
                    round(counted.get(name), op, threads, o.countOps, payload, sets.get(name), 999, admin);
                    row.requests.put(name, counting.snapshot());
                    row.countedOps.put(name, o.countOps);
                }
            }
        }
        for (Map.Entry<String, Side> e : timed.entrySet()) {
            long[] refs = sets.get(e.getKey());
            for (int i = 0; i < refs.length; i++) {
                byte[] got = e.getValue().get(refs[i]);
                if (!Arrays.equals(got, content(payload, i))) {
                    throw new IllegalStateException(
                            "CONTENT VERIFICATION FAILED on " + e.getKey() + ": object " + i + " of " + size + " B");
                }
            }
        }
        for (Map.Entry<String, Side> e : timed.entrySet()) {
            Side side = e.getValue();
            delete(
                    admin,
                    Arrays.stream(sets.get(e.getKey())).mapToObj(side::key).toList());
        }
    }

    /** {@code payload} with {@code index} stamped in its first 4 bytes. */
    private static byte[] content(byte[] payload, int index) {
        byte[] b = payload.clone();
        b[0] = (byte) (index >>> 24);
        b[1] = (byte) (index >>> 16);
        b[2] = (byte) (index >>> 8);
        b[3] = (byte) index;
        return b;
    }

    /**
     * One round: {@code ops} operations over {@code threads} threads, all started together; returns
     * the wall time from the start to the last one's end. A put round's objects are deleted
     * afterwards (untimed), by {@code admin}.
     */
    private long round(Side side, Op op, int threads, int ops, byte[] payload, long[] set, int seed, S3Client admin)
            throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] created = new long[op == Op.PUT ? ops : 0];
        List<Future<?>> futures = new ArrayList<>();
        int from = 0;
        for (int t = 0; t < threads; t++) {
            int mine = ops / threads + (t < ops % threads ? 1 : 0);
            int start = from;
            from += mine;
            SplittableRandom random = new SplittableRandom(seed * 1000L + t);
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                for (int i = 0; i < mine; i++) {
                    if (op == Op.PUT) {
                        created[start + i] = side.put(payload);
                    } else {
                        int index = random.nextInt(set.length);
                        byte[] got = side.get(set[index]);
                        if (got.length != payload.length || Payload.getInt(got, 0) != index) {
                            throw new IllegalStateException("CONTENT VERIFICATION FAILED: object " + index + " gave "
                                    + got.length + " bytes stamped " + (got.length >= 4 ? Payload.getInt(got, 0) : -1));
                        }
                    }
                }
                return null;
            }));
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        long nanos = System.nanoTime() - t0;
        if (created.length > 0) {
            delete(admin, Arrays.stream(created).mapToObj(side::key).toList());
        }
        return nanos;
    }

    private static void delete(S3Client admin, List<String> keys) {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            admin.deleteObjects(b -> b.bucket(BUCKET)
                    .delete(Delete.builder().objects(ids).quiet(true).build()));
        }
    }

    // ---------------------------------------------------------------- the report

    private String report(String started, double minutes, String loadBefore, String loadAfter) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "s3: bobbob vs the bare AWS SDK on an in-process S3Proxy (transient-nio2), %d timed round(s) per side"
                        + " (medians), %d warm-up; %d cores, Java %s; commit %s%n",
                o.rounds,
                o.warmupRounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                commit()));
        b.append(String.format(
                Locale.ROOT,
                "started %s, took %.1f min; load average (1/5/15 min) before: %s, after: %s%n%n",
                started,
                minutes,
                loadBefore,
                loadAfter));
        boolean both = o.sides.size() == 2;
        b.append("| op | size | threads | bobbob ops/s | bobbob MB/s | SDK ops/s | SDK MB/s | overhead"
                + " | requests/op bobbob | requests/op SDK | overhead ≤ " + fmt(o.target) + " % |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            double bob = row.seconds.containsKey("bobbob") ? row.ops / median(row.seconds.get("bobbob")) : Double.NaN;
            double sdk = row.seconds.containsKey("sdk") ? row.ops / median(row.seconds.get("sdk")) : Double.NaN;
            double overhead = (sdk / bob - 1) * 100;
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.op.label(),
                    sizeLabel(row.size),
                    row.threads,
                    fmt(bob),
                    fmt(bob * row.size / (1 << 20)),
                    fmt(sdk),
                    fmt(sdk * row.size / (1 << 20)),
                    both ? String.format(Locale.ROOT, "%+.1f %%", overhead) : "-",
                    perOp(row, "bobbob"),
                    perOp(row, "sdk"),
                    both ? (overhead <= o.target ? "met" : "**not met**") : "-"));
        }
        b.append("\noverhead = SDK ops/s / bobbob ops/s - 1 (medians): how much longer an operation takes through"
                + " bobbob; MB = MiB of payload\n");
        if (both) {
            b.append("\npaired rounds (SDK ops/s / bobbob ops/s - 1, each timed round with its neighbour),"
                    + " median and range; run-to-run spread (max - min) / median per side\n");
            for (Row row : rows) {
                double[] bob = row.seconds.get("bobbob");
                double[] sdk = row.seconds.get("sdk");
                double[] paired = new double[bob.length];
                for (int r = 0; r < bob.length; r++) {
                    paired[r] = (bob[r] / sdk[r] - 1) * 100;
                }
                double[] sorted = paired.clone();
                Arrays.sort(sorted);
                b.append(String.format(
                        Locale.ROOT,
                        "  %-3s %-7s %d thr, %5d ops/round: paired %+6.1f %% [%+.1f .. %+.1f];"
                                + " spread bobbob %.0f %%, SDK %.0f %%%n",
                        row.op.label(),
                        sizeLabel(row.size),
                        row.threads,
                        row.ops,
                        median(paired),
                        sorted[0],
                        sorted[sorted.length - 1],
                        spread(bob),
                        spread(sdk)));
            }
        }
        b.append("\nrequests per operation, by kind (counting pass through a forwarding proxy, ")
                .append(o.countOps)
                .append(" operations per side and configuration)\n");
        for (Row row : rows) {
            for (Map.Entry<String, Map<String, Long>> e : row.requests.entrySet()) {
                int n = row.countedOps.get(e.getKey());
                StringBuilder kinds = new StringBuilder();
                e.getValue().forEach((kind, count) -> kinds.append(kinds.length() == 0 ? "" : ", ")
                        .append(kind)
                        .append(" x")
                        .append(fmt((double) count / n)));
                b.append(String.format(
                        Locale.ROOT,
                        "  %-3s %-7s %d thr  %-6s %s%n",
                        row.op.label(),
                        sizeLabel(row.size),
                        row.threads,
                        e.getKey(),
                        kinds));
            }
        }
        b.append("opening (once per store or client, not per operation):");
        openRequests.forEach((name, m) -> b.append(" ").append(name).append(" ").append(m.isEmpty() ? "none" : m));
        b.append('\n');
        return b.toString();
    }

    private static String perOp(Row row, String side) {
        Map<String, Long> m = row.requests.get(side);
        if (m == null) {
            return "-";
        }
        long total = m.values().stream().mapToLong(Long::longValue).sum();
        return fmt((double) total / row.countedOps.get(side));
    }

    private static String sizeLabel(int size) {
        return size % (1 << 20) == 0
                ? size / (1 << 20) + " MiB"
                : size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double spread(double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return (s[s.length - 1] - s[0]) / median(s) * 100;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=7")
                    .redirectErrorStream(true)
                    .start();
            String line;
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && line != null ? line.trim() : "?";
        } catch (IOException | RuntimeException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
