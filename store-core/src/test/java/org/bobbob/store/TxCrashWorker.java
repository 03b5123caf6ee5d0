package org.bobbob.store;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of {@link TxCrashTest}: runs seeded transactions forever, on one thread or on
 * several at once (each on objects of its own), and reports on stdout, flushing every line, so the
 * parent knows what had happened when it kills this process. Each line begins with the number of
 * the thread it is about:
 * <pre>
 *   t B                 a transaction begins
 *   t N id seed size    it created an object (after the call returned)
 *   t W id seed         it overwrote a whole object with content (seed, its size)
 *   t D id              it deleted an object
 *   t C                 its commit returned: all of the above is durable
 *   t R                 its rollback returned: none of it happened
 * </pre>
 * Some transactions sync the store from outside in their middle, so records name active branches.
 * With several threads, commits meet in group commits.
 */
public final class TxCrashWorker {
    private TxCrashWorker() {}

    public static void main(String[] args) throws Exception {
        TestStores stores = TestStores.valueOf(args[0]);
        Path path = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        int filler = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        try (Storer s = stores.create(path)) {
            for (int i = 0; i < filler; i++) { // a large record: commits write journal entries
                s.writeNewObjFromBytes(new byte[20 + i % 50]);
            }
            if (filler > 0) {
                s.sync();
            }
            TransactionalStore ts = s.unwrap(TransactionalStore.class);
            for (int t = 1; t < threads; t++) {
                int me = t;
                new Thread(() -> {
                            try {
                                run(s, ts, me, new SplittableRandom(seed * 31 + me), out);
                            } catch (Exception | Error e) {
                                println(out, me, "X " + e); // a line the parent does not expect: it fails
                            }
                        })
                        .start();
            }
            run(s, ts, 0, new SplittableRandom(seed), out);
        }
    }

    /** Thread {@code me}'s transactions, forever, on the objects it created. */
    private static void run(Storer s, TransactionalStore ts, int me, SplittableRandom r, PrintStream out)
            throws Exception {
        List<long[]> live = new ArrayList<>(); // {id, size}, as committed
        long seeds = me * 1_000_000_000L + 1; // contents of different threads never coincide
        while (true) {
            List<long[]> created = new ArrayList<>();
            List<long[]> deleted = new ArrayList<>();
            println(out, me, "B");
            try (StoreTransaction t = ts.begin()) {
                int creates = 1 + r.nextInt(3);
                for (int i = 0; i < creates; i++) {
                    int size = CrashWorker.size(r);
                    long seed = seeds++;
                    long id = t.writeNewObjFromBytes(TestBytes.of(seed, size));
                    created.add(new long[] {id, size});
                    println(out, me, "N " + id + " " + seed + " " + size);
                }
                List<long[]> pool = new ArrayList<>(live);
                int overwrites = pool.isEmpty() ? 0 : r.nextInt(3);
                for (int i = 0; i < overwrites && !pool.isEmpty(); i++) {
                    long[] target = pool.remove(r.nextInt(pool.size()));
                    long seed = seeds++;
                    byte[] data = TestBytes.of(seed, (int) target[1]);
                    if (r.nextBoolean()) {
                        t.writeBytesToObj(target[0], data); // the shadow is the data
                    } else {
                        try (ObjectWriter w = t.writeToObj(target[0])) { // a copy, then overwritten
                            ByteBuffer b = ByteBuffer.wrap(data);
                            while (b.hasRemaining()) {
                                w.write(b);
                            }
                        }
                    }
                    println(out, me, "W " + target[0] + " " + seed);
                }
                if (!pool.isEmpty() && r.nextInt(3) == 0) {
                    long[] victim = pool.remove(r.nextInt(pool.size()));
                    t.deleteObj(victim[0]);
                    deleted.add(victim);
                    println(out, me, "D " + victim[0]);
                }
                if (r.nextInt(4) == 0) {
                    s.sync(); // from outside: the record names this active branch
                }
                if (r.nextInt(8) == 0) {
                    t.rollback();
                    println(out, me, "R");
                } else {
                    t.commit();
                    println(out, me, "C");
                    live.addAll(created);
                    for (long[] d : deleted) {
                        live.removeIf(x -> x[0] == d[0]);
                    }
                }
            }
        }
    }

    private static void println(PrintStream out, int thread, String line) {
        synchronized (out) {
            out.println(thread + " " + line);
            out.flush();
        }
    }
}
