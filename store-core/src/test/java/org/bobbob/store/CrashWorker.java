package org.bobbob.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashTest}: runs a seeded workload forever, on one thread or on
 * several at once (each on objects of its own), and reports on stdout, flushing every line, so
 * the parent knows what had happened when it kills this process. Each line begins with the
 * number of the thread it is about:
 * <pre>
 *   t N id seed size   an object was created (printed after the write returned)
 *   t Z id size        an object of zeros was created with newObj (printed after it returned)
 *   t W id seed        an in-place overwrite is about to start
 *   t D id             a delete is about to start
 *   t S                a sync returned: everything above it from thread t is durable
 * </pre>
 * With {@code filler} objects written and synced first, the store's record is large enough that
 * its syncs append journal entries rather than rewrite it.
 */
public final class CrashWorker {
    private CrashWorker() {}

    public static void main(String[] args) throws Exception {
        TestStores stores = TestStores.valueOf(args[0]);
        Path path = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        int filler = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (Storer s = stores.create(path)) {
            for (int i = 0; i < filler; i++) {
                s.writeNewObjFromBytes(new byte[20 + i % 50]);
            }
            if (filler > 0) {
                s.sync();
            }
            for (int t = 1; t < threads; t++) {
                int me = t;
                new Thread(() -> {
                            try {
                                run(s, me, new SplittableRandom(seed * 31 + me), out);
                            } catch (Exception | Error e) {
                                println(out, me, "X " + e); // a line the parent does not expect: it fails
                            }
                        })
                        .start();
            }
            run(s, 0, new SplittableRandom(seed), out);
        }
    }

    /** Thread {@code me}'s workload, forever, on the objects it created. */
    private static void run(Storer s, int me, SplittableRandom r, PrintStream out) throws Exception {
        List<long[]> live = new ArrayList<>(); // {id, size}
        long seeds = me * 1_000_000_000L + 1; // contents of different threads never coincide
        while (true) {
            int op = r.nextInt(100);
            if (op < 10) {
                int size = size(r);
                long id = s.newObj(size);
                live.add(new long[] {id, size});
                println(out, me, "Z " + id + " " + size);
            } else if (op < 55 || live.isEmpty()) {
                int size = size(r);
                long seed = seeds++;
                long id = s.writeNewObjFromBytes(TestBytes.of(seed, size));
                live.add(new long[] {id, size});
                println(out, me, "N " + id + " " + seed + " " + size);
            } else if (op < 70) {
                long[] victim = live.remove(r.nextInt(live.size()));
                println(out, me, "D " + victim[0]);
                s.deleteObj(victim[0]);
            } else if (op < 88) {
                long[] target = live.get(r.nextInt(live.size()));
                long seed = seeds++;
                println(out, me, "W " + target[0] + " " + seed);
                s.writeBytesToObj(target[0], TestBytes.of(seed, (int) target[1]));
            } else {
                s.sync();
                println(out, me, "S");
            }
        }
    }

    /** The size of a new object: a third up to 20 000 bytes, the rest up to 600. */
    static int size(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextInt(20_000) : r.nextInt(600);
    }

    private static void println(PrintStream out, int thread, String line) {
        synchronized (out) {
            out.println(thread + " " + line);
            out.flush();
        }
    }
}
