package org.bobbob.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashTest}: runs a seeded workload forever and reports on stdout,
 * flushing every line, so the parent knows what had happened when it kills this process:
 * <pre>
 *   N id seed size   an object was created (printed after the write returned)
 *   W id seed        an in-place overwrite is about to start
 *   D id             a delete is about to start
 *   S                a sync returned: everything above is durable
 * </pre>
 */
public final class CrashWorker {
    private CrashWorker() {}

    public static void main(String[] args) throws Exception {
        TestStores stores = TestStores.valueOf(args[0]);
        Path path = Path.of(args[1]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        List<long[]> live = new ArrayList<>(); // {id, size}
        long seeds = 1;
        try (Storer s = stores.create(path)) {
            while (true) {
                int op = r.nextInt(100);
                if (op < 55 || live.isEmpty()) {
                    int size = size(r);
                    long seed = seeds++;
                    long id = s.writeNewObjFromBytes(TestBytes.of(seed, size));
                    live.add(new long[] {id, size});
                    println(out, "N " + id + " " + seed + " " + size);
                } else if (op < 70) {
                    long[] victim = live.remove(r.nextInt(live.size()));
                    println(out, "D " + victim[0]);
                    s.deleteObj(victim[0]);
                } else if (op < 88) {
                    long[] target = live.get(r.nextInt(live.size()));
                    long seed = seeds++;
                    println(out, "W " + target[0] + " " + seed);
                    s.writeBytesToObj(target[0], TestBytes.of(seed, (int) target[1]));
                } else {
                    s.sync();
                    println(out, "S");
                }
            }
        }
    }

    /** The size of a new object: a third up to 20 000 bytes, the rest up to 600. */
    static int size(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextInt(20_000) : r.nextInt(600);
    }

    private static void println(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
