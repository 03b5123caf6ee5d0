package org.bobbob.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
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
 * overhead ≤ 10 %; report requests per operation"). See docs/BENCHMARKS.md.
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
 *
 * <p>The sides are interleaved operation by operation: each worker thread does one operation
 * through one side, then one through the other (bobbob first on even steps, the SDK first on odd
 * ones), and times each, so both see the same machine load to the millisecond, which whole rounds
 * one side after the other did not give on a shared 2-core machine (an A/A run, the SDK against a
 * second SDK client, differed by up to 60 % that way). With t threads, t operations are in flight
 * at any time, about half of them through each side. A round is as many steps as the last warm-up
 * round did in {@code --round-seconds}; per round and side: the operations' summed latency, and the
 * threads' CPU time in those operations. Per side, ops/s = threads / mean latency (what the side
 * alone would do at those latencies), the median round; overhead = bobbob's summed latency over the
 * SDK's in the same round, minus 1, the median round.
 *
 * <p>A put creates a new object; a round's objects are deleted after it (untimed). A get reads a
 * random object of a set each side wrote before (untimed), the same index on both sides; every
 * get is checked (length and index stamp) inside the clock on both sides, and every byte of the
 * sets after the rounds. Then a counting pass: a second store and a second client, both through a
 * {@link CountingProxy}, run the same operations, and the requests each makes per operation are
 * counted on the wire, by kind.
 */
final class S3Bench {
    static final String USAGE =
            """
            usage: s3 [--key=value ...]
              --rounds=61             timed rounds; per round and side the summed latency; medians
              --warmup-rounds=3       untimed rounds before them, per configuration
              --warmup-ops=200,20     steps (an operation through each side) per warm-up round and thread,
                                      per size (in the order of --sizes)
              --round-seconds=0.5     a timed round's length: its steps are set from the last warm-up round
              --sizes=16384,1048576   object sizes, bytes
              --threads=1,8           thread counts (each thread alternates the sides)
              --operations=put,get    which operations run
              --get-objects=512,64    objects a get reads from (at random), per size and side
              --count-ops=64          operations per side and configuration in the request-counting pass
              --sides=bobbob,sdk      the two sides compared, the first's overhead over the second's; one
                                      side alone for a profile; sdk,sdk2 (or bobbob,bobbob2) checks the
                                      harness itself: two clients of one kind should differ by noise only
              --sdk-put=plain         like-store: the SDK's put sends what the store's does, If-None-Match: *
                                      and x-amz-meta-bobbob-size (a diagnostic: what those cost the server)
              --target=10             the bound on the overhead, %
              --out=target/bench-s3.txt  the table is also written here
            """;

    private static final String ACCESS_KEY = "bench-access";
    private static final String SECRET_KEY = "bench-secret-0123456789abcdef";
    private static final String BUCKET = "bench";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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

        /** Puts as the store does: {@code If-None-Match: *} and the size metadata (a diagnostic). */
        private final boolean likeStore;

        SdkSide(URI endpoint, boolean likeStore) {
            s3 = client(endpoint);
            this.likeStore = likeStore;
        }

        @Override
        public long put(byte[] data) {
            long id = ThreadLocalRandom.current().nextLong(1L << 16, Long.MAX_VALUE);
            if (likeStore) {
                s3.putObject(
                        b -> b.bucket(BUCKET)
                                .key(key(id))
                                .ifNoneMatch("*")
                                .metadata(Map.of("bobbob-size", Integer.toString(data.length))),
                        RequestBody.fromBytes(data));
            } else {
                s3.putObject(b -> b.bucket(BUCKET).key(key(id)), RequestBody.fromBytes(data));
            }
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
        int rounds = 61;
        int warmupRounds = 3;
        int[] warmupOps = {200, 20};
        double roundSeconds = 0.5;
        int[] sizes = {16 * 1024, 1024 * 1024};
        int[] threads = {1, 8};
        List<Op> operations = List.of(Op.PUT, Op.GET);
        int[] getObjects = {512, 64};
        int countOps = 64;
        List<String> sides = List.of("bobbob", "sdk");
        String sdkPut = "plain";
        double target = 10;
        String out = "target/bench-s3.txt";
    }

    /** One configuration's figures. */
    private static final class Row {
        final Op op;
        final int size;
        final int threads;
        /** Operations per round through each side. */
        final int ops;
        /** Per side, per round: the operations' summed latency, s. */
        final Map<String, double[]> latency = new LinkedHashMap<>();
        /** Per side, per round: the threads' CPU time in the operations, s. */
        final Map<String, double[]> cpu = new LinkedHashMap<>();

        final Map<String, Map<String, Long>> requests = new LinkedHashMap<>();

        Row(Op op, int size, int threads, int ops) {
            this.op = op;
            this.size = size;
            this.threads = threads;
            this.ops = ops;
        }

        /** The side's ops/s in round r: threads over the mean latency. */
        double opsPerSecond(String side, int r) {
            return threads * ops / latency.get(side)[r];
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
            return Arrays.asList(args).stream().anyMatch(a -> a.equals("help") || a.equals("--help") || a.equals("-h"))
                    ? 0
                    : 2;
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
                case "warmup-ops" -> o.warmupOps = ints(value);
                case "round-seconds" -> o.roundSeconds = Double.parseDouble(value);
                case "sizes" -> o.sizes = ints(value);
                case "threads" -> o.threads = ints(value);
                case "operations" ->
                    o.operations = Arrays.stream(value.split(","))
                            .map(x -> Op.valueOf(x.trim().toUpperCase(Locale.ROOT)))
                            .toList();
                case "get-objects" -> o.getObjects = ints(value);
                case "count-ops" -> o.countOps = Integer.parseInt(value);
                case "sides" -> o.sides = List.of(value.split(","));
                case "sdk-put" -> o.sdkPut = value;
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
        if (o.sides.isEmpty()
                || o.sides.size() > 2
                || new java.util.HashSet<>(o.sides).size() != o.sides.size()
                || !List.of("bobbob", "sdk", "bobbob2", "sdk2").containsAll(o.sides)) {
            System.err.println("--sides: one or two of bobbob, sdk, bobbob2, sdk2\n" + USAGE);
            return null;
        }
        if (!List.of("plain", "like-store").contains(o.sdkPut)) {
            System.err.println("--sdk-put: plain or like-store\n" + USAGE);
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
            List<Side> timed = new ArrayList<>();
            List<Side> counted = new ArrayList<>();
            try {
                for (String name : o.sides) {
                    timed.add(open(name, endpoint));
                    counting.reset();
                    counted.add(open(name, counting.uri()));
                    openRequests.put(name, counting.snapshot());
                }
                for (int s = 0; s < o.sizes.length; s++) {
                    runSize(s, timed, counted, counting, admin);
                }
            } finally {
                for (Side side : counted) {
                    side.close();
                }
                for (Side side : timed) {
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

    private Side open(String name, URI endpoint) throws IOException {
        return name.startsWith("bobbob")
                ? new BobbobSide(endpoint)
                : new SdkSide(endpoint, o.sdkPut.equals("like-store"));
    }

    private static URI trimSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Every configuration of one size: the get sets written, rounds, the counting pass, the sets checked and deleted. */
    private void runSize(int s, List<Side> timed, List<Side> counted, CountingProxy counting, S3Client admin)
            throws Exception {
        int size = o.sizes[s];
        byte[] payload = new byte[size];
        new SplittableRandom(size).nextBytes(payload);
        List<long[]> sets = new ArrayList<>();
        for (Side side : timed) {
            long[] refs = new long[o.getObjects[s]];
            for (int i = 0; i < refs.length; i++) {
                refs[i] = side.put(content(payload, i));
            }
            sets.add(refs);
        }
        for (int threads : o.threads) {
            for (Op op : o.operations) {
                // warm-up rounds; the last one's speed sets the timed rounds' length
                int steps = o.warmupOps[s];
                Result warm = null;
                for (int w = 0; w < o.warmupRounds; w++) {
                    warm = round(timed, op, threads, steps, payload, sets, w, admin);
                }
                if (warm != null) {
                    double stepSeconds = warm.wall / 1e9 / (steps * threads);
                    steps = (int) Math.max(1, Math.round(o.roundSeconds / stepSeconds / threads));
                }
                Row row = new Row(op, size, threads, steps * threads);
                rows.add(row);
                for (String name : o.sides) {
                    row.latency.put(name, new double[o.rounds]);
                    row.cpu.put(name, new double[o.rounds]);
                }
                for (int r = 0; r < o.rounds; r++) {
                    System.gc();
                    Result result = round(timed, op, threads, steps, payload, sets, 100 + r, admin);
                    for (int i = 0; i < o.sides.size(); i++) {
                        row.latency.get(o.sides.get(i))[r] = result.latency[i] / 1e9;
                        row.cpu.get(o.sides.get(i))[r] = result.cpu[i] / 1e9;
                    }
                }
                StringBuilder line = new StringBuilder(String.format(
                        Locale.ROOT,
                        "%s %d B, %d thread(s), %d ops per round and side:",
                        op.label(),
                        size,
                        threads,
                        row.ops));
                for (String name : o.sides) {
                    double[] perRound = new double[o.rounds];
                    for (int r = 0; r < o.rounds; r++) {
                        perRound[r] = row.opsPerSecond(name, r);
                    }
                    line.append(String.format(Locale.ROOT, " %s %s ops/s", name, fmt(median(perRound))));
                }
                System.out.println(line);
                for (int i = 0; i < counted.size(); i++) {
                    // a few operations first, so that no pooled connection is stale from the minutes
                    // this side sat idle; the admin client deletes a put round's objects on the server
                    // itself, not through the proxy
                    List<Side> one = List.of(counted.get(i));
                    List<long[]> itsSet = List.of(sets.get(i));
                    round(one, op, threads, 2, payload, itsSet, 998, admin);
                    counting.reset();
                    round(one, op, threads, (o.countOps + threads - 1) / threads, payload, itsSet, 999, admin);
                    Map<String, Long> counts = counting.snapshot();
                    counts.put(COUNTED_OPS, (long) ((o.countOps + threads - 1) / threads * threads));
                    row.requests.put(o.sides.get(i), counts);
                }
            }
        }
        for (int i = 0; i < timed.size(); i++) {
            long[] refs = sets.get(i);
            for (int k = 0; k < refs.length; k++) {
                byte[] got = timed.get(i).get(refs[k]);
                if (!Arrays.equals(got, content(payload, k))) {
                    throw new IllegalStateException("CONTENT VERIFICATION FAILED on " + o.sides.get(i) + ": object " + k
                            + " of " + size + " B");
                }
            }
            Side side = timed.get(i);
            delete(admin, Arrays.stream(refs).mapToObj(side::key).toList());
        }
    }

    /** The key under which a row's request counts hold the number of operations counted. */
    private static final String COUNTED_OPS = "(operations)";

    /** {@code payload} with {@code index} stamped in its first 4 bytes. */
    private static byte[] content(byte[] payload, int index) {
        byte[] b = payload.clone();
        b[0] = (byte) (index >>> 24);
        b[1] = (byte) (index >>> 16);
        b[2] = (byte) (index >>> 8);
        b[3] = (byte) index;
        return b;
    }

    /** A round's wall time, and per side its operations' summed latency and CPU time, ns. */
    private record Result(long wall, long[] latency, long[] cpu) {}

    /**
     * One round: {@code threads} threads, started together, each doing {@code steps} steps; a step
     * is one operation through every side, in an order that turns each step (bobbob then SDK, then
     * SDK then bobbob, ...). Each operation is timed, wall and thread CPU. A put round's objects
     * are deleted afterwards (untimed), by {@code admin}.
     */
    private Result round(
            List<Side> sides,
            Op op,
            int threads,
            int steps,
            byte[] payload,
            List<long[]> sets,
            int seed,
            S3Client admin)
            throws Exception {
        int n = sides.size();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[][] created = new long[n][op == Op.PUT ? threads * steps : 0];
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            SplittableRandom random = new SplittableRandom(seed * 1000L + t);
            futures.add(pool.submit(() -> {
                long[] sums = new long[2 * n]; // latency per side, then CPU per side
                ready.countDown();
                go.await();
                for (int i = 0; i < steps; i++) {
                    int index = op == Op.GET ? random.nextInt(sets.get(0).length) : -1;
                    for (int k = 0; k < n; k++) {
                        int side = (i + thread + k) % n;
                        long cpu0 = THREADS.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        if (op == Op.PUT) {
                            created[side][thread * steps + i] = sides.get(side).put(payload);
                        } else {
                            byte[] got = sides.get(side).get(sets.get(side)[index]);
                            if (got.length != payload.length || Payload.getInt(got, 0) != index) {
                                throw new IllegalStateException("CONTENT VERIFICATION FAILED on " + o.sides.get(side)
                                        + ": object " + index + " gave " + got.length + " bytes stamped "
                                        + (got.length >= 4 ? Payload.getInt(got, 0) : -1));
                            }
                        }
                        sums[side] += System.nanoTime() - t0;
                        sums[n + side] += THREADS.getCurrentThreadCpuTime() - cpu0;
                    }
                }
                return sums;
            }));
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        long[] latency = new long[n];
        long[] cpu = new long[n];
        try {
            for (Future<long[]> f : futures) {
                long[] sums = f.get();
                for (int k = 0; k < n; k++) {
                    latency[k] += sums[k];
                    cpu[k] += sums[n + k];
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        long wall = System.nanoTime() - t0;
        for (int k = 0; k < n; k++) {
            if (created[k].length > 0) {
                Side side = sides.get(k);
                delete(admin, Arrays.stream(created[k]).mapToObj(side::key).toList());
            }
        }
        return new Result(wall, latency, cpu);
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
        String a = o.sides.get(0);
        String z = o.sides.size() > 1 ? o.sides.get(1) : null;
        b.append(String.format(
                Locale.ROOT,
                "s3: %s on an in-process S3Proxy (transient-nio2), interleaved operation by operation;"
                        + " %d timed round(s) (medians), %d warm-up%s; %d cores, Java %s; commit %s%n",
                z == null ? a + " alone" : a + " vs " + z,
                o.rounds,
                o.warmupRounds,
                o.sdkPut.equals("plain") ? "" : "; SDK puts like the store's (--sdk-put=like-store)",
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
        List<String> names = new ArrayList<>(o.sides);
        StringBuilder header = new StringBuilder("| op | size | threads |");
        for (String name : names) {
            header.append(' ').append(name).append(" ops/s |");
        }
        for (String name : names) {
            header.append(' ').append(name).append(" MB/s |");
        }
        if (z != null) {
            header.append(" overhead |");
        }
        for (String name : names) {
            header.append(" client CPU µs/op ").append(name).append(" |");
        }
        for (String name : names) {
            header.append(" requests/op ").append(name).append(" |");
        }
        if (z != null) {
            header.append(" overhead ≤ ").append(fmt(o.target)).append(" % |");
        }
        b.append(header).append('\n');
        b.append("|---".repeat((int) header.chars().filter(c -> c == '|').count() - 1))
                .append("|\n");
        for (Row row : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d |", row.op.label(), sizeLabel(row.size), row.threads));
            for (String name : names) {
                b.append(' ').append(fmt(opsPerSecond(row, name))).append(" |");
            }
            for (String name : names) {
                b.append(' ')
                        .append(fmt(opsPerSecond(row, name) * row.size / (1 << 20)))
                        .append(" |");
            }
            double overhead = z == null ? Double.NaN : median(paired(row, a, z));
            if (z != null) {
                b.append(String.format(Locale.ROOT, " %+.1f %% |", overhead));
            }
            for (String name : names) {
                b.append(' ')
                        .append(fmt(median(row.cpu.get(name)) * 1e6 / row.ops))
                        .append(" |");
            }
            for (String name : names) {
                b.append(' ').append(perOp(row, name)).append(" |");
            }
            if (z != null) {
                b.append(overhead <= o.target ? " met |" : " **not met** |");
            }
            b.append('\n');
        }
        b.append("\nops/s: threads / mean latency of the side's operations, median round; MB = MiB of payload."
                + (z == null
                        ? ""
                        : " overhead: " + a + "'s summed latency over " + z + "'s in the same round, minus 1,"
                                + " median round.")
                + " client CPU: the worker threads' CPU time in the side's operations, per operation, median"
                + " round (the in-process server's threads excluded)\n");
        if (z != null) {
            b.append("\nper configuration: operations per round and side; overhead per round, its range;"
                    + " run-to-run spread of each side's ops/s, (max - min) / median\n");
            for (Row row : rows) {
                double[] paired = paired(row, a, z);
                Arrays.sort(paired);
                b.append(String.format(
                        Locale.ROOT,
                        "  %-3s %-7s %d thr, %5d ops/round: overhead %+6.1f %% [%+.1f .. %+.1f];"
                                + " spread %s %.0f %%, %s %.0f %%%n",
                        row.op.label(),
                        sizeLabel(row.size),
                        row.threads,
                        row.ops,
                        median(paired),
                        paired[0],
                        paired[paired.length - 1],
                        a,
                        spread(row, a),
                        z,
                        spread(row, z)));
            }
        }
        b.append("\nrequests per operation, by kind (counting pass: each side alone through a forwarding proxy,")
                .append(" after a few uncounted operations)\n");
        for (Row row : rows) {
            for (Map.Entry<String, Map<String, Long>> e : row.requests.entrySet()) {
                long n = e.getValue().get(COUNTED_OPS);
                StringBuilder kinds = new StringBuilder();
                e.getValue().forEach((kind, count) -> {
                    if (!kind.equals(COUNTED_OPS)) {
                        kinds.append(kinds.length() == 0 ? "" : ", ")
                                .append(kind)
                                .append(" x")
                                .append(fmt((double) count / n));
                    }
                });
                b.append(String.format(
                        Locale.ROOT,
                        "  %-3s %-7s %d thr  %-7s %s (%d operations)%n",
                        row.op.label(),
                        sizeLabel(row.size),
                        row.threads,
                        e.getKey(),
                        kinds,
                        n));
            }
        }
        b.append("opening (once per store or client, not per operation):");
        openRequests.forEach((name, m) -> b.append(" ").append(name).append(" ").append(m.isEmpty() ? "none" : m));
        b.append('\n');
        return b.toString();
    }

    private double opsPerSecond(Row row, String side) {
        double[] perRound = new double[o.rounds];
        for (int r = 0; r < o.rounds; r++) {
            perRound[r] = row.opsPerSecond(side, r);
        }
        return median(perRound);
    }

    private double spread(Row row, String side) {
        double[] perRound = new double[o.rounds];
        for (int r = 0; r < o.rounds; r++) {
            perRound[r] = row.opsPerSecond(side, r);
        }
        Arrays.sort(perRound);
        return (perRound[perRound.length - 1] - perRound[0]) / median(perRound) * 100;
    }

    /** Per round, {@code a}'s summed latency over {@code z}'s, minus 1, in %. */
    private static double[] paired(Row row, String a, String z) {
        double[] la = row.latency.get(a);
        double[] lz = row.latency.get(z);
        double[] paired = new double[la.length];
        for (int r = 0; r < la.length; r++) {
            paired[r] = (la[r] / lz[r] - 1) * 100;
        }
        return paired;
    }

    private static String perOp(Row row, String side) {
        Map<String, Long> m = row.requests.get(side);
        if (m == null) {
            return "-";
        }
        long total = m.entrySet().stream()
                .filter(e -> !e.getKey().equals(CountingProxy.CONNECTIONS)
                        && !e.getKey().equals(COUNTED_OPS))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return fmt((double) total / m.get(COUNTED_OPS));
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
