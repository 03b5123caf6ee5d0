package org.bobbob.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.bobbob.store.Backup;
import org.bobbob.store.BackupReport;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreManager;
import org.bobbob.store.StoreStats;
import org.bobbob.store.StoreTransaction;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.VerifyReport;
import org.bobbob.store.internal.alloc.FileSpace;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.FileReport;

/**
 * Whole-workload figures for bobbob's own stores, one run, printed as a table:
 * <ul>
 *   <li>{@code write4k}: N objects of 4 KiB written then synced, MB/s (sync timed apart);
 *   <li>{@code read4k}: all of them read back in random order, MB/s;
 *   <li>{@code reopen}: close + open of a store of 1 M objects of 16–256 bytes, seconds;
 *   <li>{@code churn}: 100 000 objects log-uniform 16 B–16 KiB, delete a random half, sync,
 *       write as many again, sync: file bytes / live bytes;
 *   <li>{@code bookkeeping}: store heap bytes per object for 1 M small objects;
 *   <li>{@code refill}: a store of objects of uniform sizes up to 256 B, 1 KiB and 4 KiB; delete
 *       every other one, sync, then write as many new ones into the freed slots: ns per new
 *       object (the best of three rounds; the sync after it apart). Run it with
 *       {@code -Dbobbob.writeCombining=false} in the child to see the refill without gathering.
 *   <li>{@code holes}: the allocator of free space alone ({@code FileSpace}, basic's and the
 *       large objects' of multi): 100 000 ranges log-uniform 16 B–16 KiB taken, a random half
 *       freed, then 50 000 ranges of new lengths taken from the holes: ns per allocation (the best
 *       of 20 rounds after 5 of warm-up), no file and no I/O.
 *   <li>{@code lookup}: a store of 100 000 objects log-uniform 16 B–16 KiB, synced; every object
 *       looked up once in a random order ({@code ObjectInfoProvider.objectInfo}: where the object
 *       lies and its size, no bytes read): ns per look-up (the best of 10 passes after 5 of
 *       warm-up).
 *   <li>{@code commit}: what one transaction costs as the store grows: on stores of 1 000,
 *       10 000 and 100 000 objects of 16 B–4 KiB, 2 000 transactions of one new 4 KiB object each,
 *       committed one at a time: µs per commit (its durable step included).
 *   <li>{@code operate}: a store of 1 M objects log-uniform 16 B–4 KiB: {@code verify} with every
 *       object read, of the running store ({@code StoreVerifier}) and of the closed file (what
 *       {@code java -jar store-core.jar verify --read-all} runs), MB/s of object bytes; an online
 *       backup while four threads overwrite random objects: MB/s of file, and the writers' pause.
 * </ul>
 * Timing belongs here, not in tests. Usage: {@code CoreBench [all|write|reopen|churn|refill|holes|lookup|commit|operate] [dir]}.
 */
public final class CoreBench {
    private static final int N_4K = 50_000;
    private static final int N_SMALL = 1_000_000;

    private CoreBench() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        Path dir =
                args.length > 1 ? Files.createDirectories(Path.of(args[1])) : Files.createTempDirectory("bobbob-bench");
        System.out.printf(Locale.ROOT, "%-10s %-22s %14s%n", "store", "figure", "value");
        try {
            if (what.equals("all") || what.equals("holes")) {
                holes();
            }
            for (String kind : new String[] {"basic", "multi", "concurrent-multi"}) {
                if (what.equals("all") || what.equals("write")) {
                    write4k(dir, kind);
                }
                if (what.equals("all") || what.equals("reopen")) {
                    reopen(dir, kind);
                }
                if (what.equals("all") || what.equals("churn")) {
                    churn(dir, kind);
                }
                if (what.equals("all") || what.equals("lookup")) {
                    lookup(dir, kind);
                }
                if (what.equals("all") || what.equals("commit")) {
                    for (int objects : new int[] {1_000, 10_000, 100_000}) {
                        commit(dir, kind, objects);
                    }
                }
                if ((what.equals("all") || what.equals("operate")) && !kind.equals("multi")) {
                    operate(dir, kind);
                }
                if (what.equals("all") || what.equals("refill")) {
                    for (int maxSize : new int[] {256, 1024, 4096}) {
                        refill(dir, kind, maxSize);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void commit(Path dir, String kind, int objects) throws IOException {
        int transactions = 2_000;
        byte[] data = new byte[4096];
        SplittableRandom random = new SplittableRandom(7);
        try (Storer s = create(kind, dir.resolve("commit.bob"))) {
            for (int i = 0; i < objects; i++) {
                s.writeNewObjFromBytes(new byte[16 + random.nextInt(4080)]);
            }
            s.sync();
            TransactionalStore store = s.unwrap(TransactionalStore.class);
            long t0 = System.nanoTime();
            for (int i = 0; i < transactions; i++) {
                try (StoreTransaction tx = store.begin()) {
                    tx.writeNewObjFromBytes(data);
                    tx.commit();
                }
            }
            double micros = (System.nanoTime() - t0) / 1e3 / transactions;
            System.out.printf(Locale.ROOT, "%-10s %-22s %14.0f%n", kind, "commit us, " + objects + " objs", micros);
        }
    }

    private static void operate(Path dir, String kind) throws Exception {
        Path file = dir.resolve("operate.bob");
        Path copy = dir.resolve("operate-copy.bob");
        Files.deleteIfExists(copy);
        int n = N_SMALL;
        long[] ids = new long[n];
        int[] sizes = Payload.logUniform(5, n, Payload.MIN, 4096);
        try (Storer s = create(kind, file)) {
            for (int i = 0; i < n; i++) {
                ids[i] = s.writeNewObjFromBytes(Payload.content(i, 0, sizes[i]));
            }
            s.sync();
            long t0 = System.nanoTime();
            VerifyReport live = s.unwrap(StoreVerifier.class).verify(true);
            double seconds = (System.nanoTime() - t0) / 1e9;
            report(kind, "verify live MB/s", fmt(live.bytesRead() / seconds / (1 << 20)));
        }
        long t0 = System.nanoTime();
        FileReport onFile = Engines.check(file, true, done -> {});
        double seconds = (System.nanoTime() - t0) / 1e9;
        report(kind, "verify file MB/s", fmt(onFile.verify().bytesRead() / seconds / (1 << 20)));
        try (Storer s = open(kind.startsWith("concurrent-") ? kind : "concurrent-" + kind, file)) {
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writers = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                int seed = t;
                writers.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    while (!stop.get()) {
                        int i = r.nextInt(n);
                        s.writeBytesToObj(ids[i], Payload.content(i, 1 + seed, sizes[i]));
                    }
                    return null;
                });
            }
            BackupReport backup = s.unwrap(Backup.class).backupTo(copy);
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(1, TimeUnit.MINUTES);
            report(kind, "backup MB/s", fmt(backup.bytes() / (backup.duration().toNanos() / 1e9) / (1 << 20)));
            report(kind, "backup pause ms", fmt(backup.longestWriterPause().toNanos() / 1e6));
        }
    }

    static Storer create(String kind, Path file) throws IOException {
        Files.deleteIfExists(file);
        return StoreManager.open(url(kind, file, true));
    }

    static Storer open(String kind, Path file) throws IOException {
        return StoreManager.open(url(kind, file, false));
    }

    /** {@code basic} and {@code multi} bare; {@code concurrent-multi} a multi store in a {@code ConcurrentStore}. */
    private static String url(String kind, Path file, boolean create) {
        boolean concurrent = kind.startsWith("concurrent-");
        return StoreManager.SCHEME + kind.replace("concurrent-", "") + ":" + file + "?concurrent=" + concurrent
                + "&create=" + create;
    }

    /** Deletes every other object, syncs, and times writing as many new ones into the freed slots. */
    private static void refill(Path dir, String kind, int maxSize) throws IOException {
        Path file = dir.resolve(kind + "-refill.bob");
        int n = 4_000_000 / (maxSize / 2) * 8; // about 32 MB of objects whatever the sizes
        byte[] pool = new byte[maxSize];
        new SplittableRandom(7).nextBytes(pool);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            SplittableRandom r = new SplittableRandom(round);
            try (Storer s = create(kind, file)) {
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = s.writeNewObjFromBytes(Arrays.copyOf(pool, 16 + r.nextInt(maxSize - 15)));
                }
                s.sync();
                for (int i = 0; i < n; i += 2) {
                    s.deleteObj(ids[i]);
                }
                s.sync();
                byte[][] fresh = new byte[n / 2][];
                for (int i = 0; i < fresh.length; i++) {
                    fresh[i] = Arrays.copyOf(pool, 16 + r.nextInt(maxSize - 15));
                }
                long t0 = System.nanoTime();
                for (byte[] data : fresh) {
                    s.writeNewObjFromBytes(data);
                }
                best = Math.min(best, System.nanoTime() - t0);
                s.sync();
            }
        }
        report(kind, "refill <=" + maxSize + " B ns/obj", String.format(Locale.ROOT, "%.0f", best / (n / 2.0)));
    }

    private static void holes() {
        int n = 100_000;
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 25; round++) {
            FileSpace space = new FileSpace(4096);
            long[] offsets = new long[n];
            int[] lengths = Payload.logUniform(42, n, Payload.MIN, Payload.MAX);
            for (int i = 0; i < n; i++) {
                offsets[i] = space.allocate(lengths[i]);
            }
            int[] order = Payload.shuffled(round, n);
            for (int i = 0; i < n / 2; i++) {
                space.free(offsets[order[i]], lengths[order[i]]);
            }
            space.releaseFreed(space.freedMark());
            int[] fresh = Payload.logUniform(43, n / 2, Payload.MIN, Payload.MAX);
            long t0 = System.nanoTime();
            for (int length : fresh) {
                sink += space.allocate(length);
            }
            long t = System.nanoTime() - t0;
            if (round >= 5) {
                best = Math.min(best, t);
            }
        }
        report("basic", "hole refill ns/alloc", String.format(Locale.ROOT, "%.0f", best / (n / 2.0)));
        if (sink == 42) {
            System.out.println(); // keeps the allocations from being optimised away
        }
    }

    private static void lookup(Path dir, String kind) throws IOException {
        int n = 100_000;
        int[] sizes = Payload.logUniform(42, n, Payload.MIN, Payload.MAX);
        long[] ids = new long[n];
        long best = Long.MAX_VALUE;
        long sink = 0;
        try (Storer s = create(kind, dir.resolve(kind + "-lookup.bob"))) {
            for (int i = 0; i < n; i++) {
                ids[i] = s.writeNewObjFromBytes(new byte[sizes[i]]);
            }
            s.sync();
            ObjectInfoProvider info = s.unwrap(ObjectInfoProvider.class);
            for (int pass = 0; pass < 15; pass++) {
                int[] order = Payload.shuffled(pass, n);
                long t0 = System.nanoTime();
                for (int i : order) {
                    sink += info.objectInfo(ids[i]).orElseThrow().size();
                }
                long t = System.nanoTime() - t0;
                if (pass >= 5) {
                    best = Math.min(best, t);
                }
            }
        }
        report(kind, "look-up ns", String.format(Locale.ROOT, "%.0f", best / (double) n));
        if (sink == 42) {
            System.out.println(); // keeps the look-ups from being optimised away
        }
    }

    private static void report(String kind, String figure, String value) {
        System.out.printf(Locale.ROOT, "%-10s %-22s %14s%n", kind.replace("concurrent-", "conc-"), figure, value);
    }

    private static void write4k(Path dir, String kind) throws IOException {
        Path file = dir.resolve(kind + "-4k.bob");
        byte[] data = new byte[4096];
        new SplittableRandom(1).nextBytes(data);
        long[] ids = new long[N_4K];
        double mb = N_4K * 4096.0 / (1 << 20);
        try (Storer s = create(kind, file)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < N_4K; i++) {
                ids[i] = s.writeNewObjFromBytes(data);
            }
            long t1 = System.nanoTime();
            s.sync();
            long t2 = System.nanoTime();
            report(kind, "write 4KiB MB/s", fmt(mb / ((t1 - t0) / 1e9)));
            report(kind, "  incl. sync MB/s", fmt(mb / ((t2 - t0) / 1e9)));
            SplittableRandom r = new SplittableRandom(2);
            for (int i = ids.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                long t = ids[i];
                ids[i] = ids[j];
                ids[j] = t;
            }
            long t3 = System.nanoTime();
            long sum = 0;
            for (long id : ids) {
                sum += s.readBytesFromObj(id)[17];
            }
            long t4 = System.nanoTime();
            report(kind, "read 4KiB MB/s", fmt(mb / ((t4 - t3) / 1e9)) + (sum == 42 ? "" : ""));
        }
        Files.deleteIfExists(file);
    }

    private static void reopen(Path dir, String kind) throws IOException {
        Path file = dir.resolve(kind + "-small.bob");
        SplittableRandom r = new SplittableRandom(3);
        byte[] buf = new byte[256];
        try (Storer s = create(kind, file)) {
            for (int i = 0; i < N_SMALL; i++) {
                int size = 16 + r.nextInt(241);
                s.writeNewObjFromBytes(Arrays.copyOf(buf, size));
            }
            StoreStats st = s.unwrap(StatisticsProvider.class).stats();
            report(kind, "bookkeeping B/obj", fmt((double) st.bookkeepingBytes() / st.objects()));
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            Storer s = open(kind, file); // only the open is timed: close outside the figure
            best = Math.min(best, System.nanoTime() - t0);
            s.close();
        }
        report(kind, "reopen 1M small s", fmt(best / 1e9));
        Files.deleteIfExists(file);
    }

    private static void churn(Path dir, String kind) throws IOException {
        Path file = dir.resolve(kind + "-churn.bob");
        SplittableRandom r = new SplittableRandom(4);
        int n = 100_000;
        long[] ids = new long[n];
        int[] sizes = new int[n];
        byte[] buf = new byte[16384];
        try (Storer s = create(kind, file)) {
            for (int i = 0; i < n; i++) {
                sizes[i] = (int) Math.round(Math.exp(Math.log(16) + r.nextDouble() * (Math.log(16384) - Math.log(16))));
                ids[i] = s.writeNewObjFromBytes(Arrays.copyOf(buf, sizes[i]));
            }
            s.sync();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (r.nextBoolean()) {
                    s.deleteObj(ids[i]);
                    ids[i] = 0;
                }
            }
            s.sync();
            int ops = 0;
            for (int i = 0; i < n; i++) {
                if (ids[i] == 0) {
                    ids[i] = s.writeNewObjFromBytes(Arrays.copyOf(buf, sizes[i]));
                    ops += 2;
                }
            }
            s.sync();
            long t1 = System.nanoTime();
            StoreStats st = s.unwrap(StatisticsProvider.class).stats();
            report(kind, "churn ops/s", fmt(ops / ((t1 - t0) / 1e9)));
            report(kind, "space amplification", fmt((double) Files.size(file) / st.liveBytes()));
        }
        Files.deleteIfExists(file);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.3f", v);
    }
}
