package org.bobbob.store.s3;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;

/**
 * The child JVM of {@link S3TwoJvmTest}: one {@code bobbob:s3:} store, driven line by line over
 * standard input, answering on standard output.
 *
 * <ol>
 *   <li>reads the access key and the secret key (one line each) and opens the store with them in
 *       its {@code Properties}; answers {@code ready};
 *   <li>on {@code write}: writes {@code count} new objects from {@code threads} threads, object
 *       {@code seq} holding {@link #content(long) content(seed)} for {@code seed = writer << 32 | seq},
 *       writes {@code <id> <seed>} lines to {@code idsFile} (whole, by a rename), answers
 *       {@code written <count> <startMillis> <endMillis>};
 *   <li>on {@code check <file>}: reads every object the file lists and compares its bytes, answers
 *       {@code checked <count>}, closes the store and exits 0.
 * </ol>
 *
 * Any failure: its stack trace on standard error, exit status 1. Standard output carries the
 * answers only; {@code System.out} is standard error, for anything that logs.
 *
 * <p>Arguments: {@code <url> <writer number> <count> <threads> <idsFile>}.
 */
public final class TwoJvmChild {
    private TwoJvmChild() {}

    /** The bytes of the object with {@code seed}: 16 to 256 of them, the same for the same seed. */
    static byte[] content(long seed) {
        int size = 16 + (int) Long.remainderUnsigned(seed * 0x9E3779B97F4A7C15L, 241);
        return TestBytes.of(seed, size);
    }

    public static void main(String[] args) {
        // the answers alone on standard output: anything logged (S3Proxy's logback is on the class
        // path, and its console appender writes to System.out) goes to standard error
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            run(args, out);
            out.flush();
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
    }

    private static void run(String[] args, PrintStream out) throws Exception {
        String url = args[0];
        long writer = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path idsFile = Path.of(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Properties credentials = new Properties();
        credentials.setProperty("accessKey", line(in));
        credentials.setProperty("secretKey", line(in));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Storer store = StoreManager.open(url, credentials)) {
            out.println("ready");
            out.flush();
            expect(line(in), "write");
            long start = System.currentTimeMillis();
            long[] ids = write(store, pool, writer, count, threads);
            long end = System.currentTimeMillis();
            Path tmp = idsFile.resolveSibling(idsFile.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
                for (int seq = 0; seq < count; seq++) {
                    w.write(ids[seq] + " " + (writer << 32 | seq) + "\n");
                }
            }
            Files.move(tmp, idsFile, StandardCopyOption.ATOMIC_MOVE);
            out.println("written " + count + " " + start + " " + end);
            out.flush();
            String check = line(in);
            expect(check.startsWith("check ") ? "check" : check, "check");
            int checked = check(store, pool, Path.of(check.substring("check ".length())), threads);
            out.println("checked " + checked);
            out.flush();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] write(Storer store, ExecutorService pool, long writer, int count, int threads)
            throws Exception {
        long[] ids = new long[count];
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int seq = first; seq < count; seq += threads) {
                    ids[seq] = store.writeNewObjFromBytes(content(writer << 32 | seq));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        return ids;
    }

    private static int check(Storer store, ExecutorService pool, Path file, int threads) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            done.add(pool.submit(() -> {
                for (int i = first; i < lines.size(); i += threads) {
                    String[] parts = lines.get(i).split(" ");
                    long id = Long.parseLong(parts[0]);
                    byte[] expected = content(Long.parseLong(parts[1]));
                    byte[] actual = store.readBytesFromObj(id);
                    if (!Arrays.equals(expected, actual)) {
                        throw new AssertionError("object " + id + " (" + lines.get(i) + ") holds other bytes: "
                                + actual.length + " bytes, expected " + expected.length);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        return lines.size();
    }

    private static String line(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("standard input ended: the test went away");
        }
        return line;
    }

    private static void expect(String line, String expected) throws IOException {
        if (!line.equals(expected)) {
            throw new IOException("expected '" + expected + "', got '" + line + "'");
        }
    }
}
