package org.bobbob.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Two real JVMs on one bucket and prefix, as two servers would be: each child ({@link
 * TwoJvmChild}) opens its own {@code bobbob:s3:} store on the in-process S3Proxy, with credentials
 * in its {@code Properties}, and both write {@value #PER_CHILD} new objects at the same time (a
 * "go" line to both; their write intervals are checked to overlap). Then each reads every object
 * the other wrote and compares the bytes. Proves that random ids with conditional creates never
 * hand one id to two JVMs, that no write is lost (the bucket holds exactly the 40 000 keys the
 * children reported), and that each JVM reads the other's objects whole.
 */
class S3TwoJvmTest {
    private static final int PER_CHILD = 20_000;
    private static final String PREFIX = "shared";
    /**
     * Threads per child, on the bare store ({@code concurrent=false}), which is thread-safe: through
     * a ConcurrentStore a store's creates go one at a time (docs/S3.md, "Costs").
     */
    private static final int THREADS = 4;
    /** Bound of every wait for a child's answer. */
    private static final long STEP_SECONDS = 300;

    private static TestS3 s3;
    private static S3Client raw;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = TestS3.start();
        raw = s3.rawClient();
    }

    @AfterAll
    static void stopServer() {
        raw.close();
        s3.close();
    }

    @Test
    void twoJvmsWriteTwentyThousandObjectsEachIntoOnePrefixAtOnceAndReadEachOthers() throws Exception {
        String bucket = TestS3.newBucket();
        raw.createBucket(b -> b.bucket(bucket));
        String url = s3.url(bucket, PREFIX, "&concurrent=false");
        Path idsA = dir.resolve("a.ids");
        Path idsB = dir.resolve("b.ids");
        List<String> keys;
        try (Child a = new Child(url, 1, idsA, dir.resolve("a.err"));
                Child b = new Child(url, 2, idsB, dir.resolve("b.err"))) {
            a.expect("ready");
            b.expect("ready");
            a.send("write");
            b.send("write");
            long[] writtenA = a.expectNumbers("written", 3);
            long[] writtenB = b.expectNumbers("written", 3);
            assertEquals(PER_CHILD, writtenA[0]);
            assertEquals(PER_CHILD, writtenB[0]);
            assertTrue(
                    writtenA[1] < writtenB[2] && writtenB[1] < writtenA[2],
                    "the two JVMs wrote at the same time: a " + writtenA[1] + ".." + writtenA[2] + ", b " + writtenB[1]
                            + ".." + writtenB[2] + " (ms)");

            // the listing only reads: it runs while the children read each other's objects
            CompletableFuture<List<String>> listing = CompletableFuture.supplyAsync(() -> keys(bucket));
            a.send("check " + idsB);
            b.send("check " + idsA);
            assertEquals(PER_CHILD, a.expectNumbers("checked", 1)[0], "a read all of b's objects");
            assertEquals(PER_CHILD, b.expectNumbers("checked", 1)[0], "b read all of a's objects");
            assertEquals(0, a.exitStatus(), a.stderr());
            assertEquals(0, b.exitStatus(), b.stderr());
            keys = listing.get(STEP_SECONDS, TimeUnit.SECONDS);
        }

        Map<Long, Long> seedsA = ids(idsA);
        Map<Long, Long> seedsB = ids(idsB);
        assertEquals(PER_CHILD, seedsA.size(), "a reported 20 000 distinct ids");
        assertEquals(PER_CHILD, seedsB.size(), "b reported 20 000 distinct ids");
        Set<Long> both = new HashSet<>(seedsA.keySet());
        both.retainAll(seedsB.keySet());
        assertEquals(Set.of(), both, "no id was handed to both JVMs");
        Set<String> reported = new HashSet<>();
        for (long id : seedsA.keySet()) {
            reported.add(String.format(Locale.ROOT, "%s/%016x", PREFIX, id));
        }
        for (long id : seedsB.keySet()) {
            reported.add(String.format(Locale.ROOT, "%s/%016x", PREFIX, id));
        }
        assertEquals(2 * PER_CHILD, reported.size(), "40 000 distinct ids");
        assertEquals(2 * PER_CHILD, keys.size(), "object keys under the prefix");
        assertEquals(reported, new HashSet<>(keys), "the keys are exactly the ids the children reported");
    }

    /** Every key under the prefix, from a raw listing (1 000 keys a page). */
    private static List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : raw.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX + "/"))
                .contents()) {
            keys.add(o.key());
        }
        return keys;
    }

    /** A child's ids file: id to seed; a repeated id fails. */
    private static Map<Long, Long> ids(Path file) throws IOException {
        Map<Long, Long> seeds = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.split(" ");
            Long before = seeds.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (before != null) {
                fail("id " + parts[0] + " listed twice in " + file);
            }
        }
        return seeds;
    }

    /** One child JVM: its standard input for commands, its standard output's lines as answers. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final Path errFile;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(String url, int writer, Path idsFile, Path errFile) throws IOException {
            this.errFile = errFile;
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // C1 only: a child lives about a minute, too short for C2 to earn back its compiling
            // (measured on 2 cores: 31 s of CPU a child with C1 alone, 48 s with C2)
            ProcessBuilder pb = new ProcessBuilder(
                    java,
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    TwoJvmChild.class.getName(),
                    url,
                    Integer.toString(writer),
                    Integer.toString(PER_CHILD),
                    Integer.toString(THREADS),
                    idsFile.toString());
            pb.redirectError(errFile.toFile());
            process = pb.start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = out.readLine(); line != null; line = out.readLine()) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("read failed: " + e);
                        }
                        lines.add("<end>");
                    },
                    "child " + writer + " stdout");
            reader.setDaemon(true);
            reader.start();
            // the credentials go over the pipe, not the command line or the URL
            send(TestS3.ACCESS_KEY);
            send(TestS3.SECRET_KEY);
        }

        void send(String line) {
            in.println(line);
        }

        /** Waits, bounded, for the next answer and checks its first word. */
        String expect(String word) throws Exception {
            String line = lines.poll(STEP_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("no '" + word + "' from the child in " + STEP_SECONDS + " s\n" + stderr());
            }
            if (!(line.equals(word) || line.startsWith(word + " "))) {
                fail("expected '" + word + "' from the child, got '" + line + "'\n" + stderr());
            }
            return line;
        }

        /** The {@code n} numbers after {@code word} in the next answer. */
        long[] expectNumbers(String word, int n) throws Exception {
            String[] parts = expect(word).split(" ");
            assertEquals(n + 1, parts.length, String.join(" ", parts));
            long[] numbers = new long[n];
            for (int i = 0; i < n; i++) {
                numbers[i] = Long.parseLong(parts[i + 1]);
            }
            return numbers;
        }

        int exitStatus() throws Exception {
            if (!process.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                fail("the child did not exit in " + STEP_SECONDS + " s\n" + stderr());
            }
            return process.exitValue();
        }

        String stderr() {
            try {
                return "--- child's standard error:\n" + Files.readString(errFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "--- child's standard error unreadable: " + e;
            }
        }

        @Override
        public void close() {
            in.close();
            if (process.isAlive()) {
                process.destroyForcibly(); // a child that did not finish: the test has failed already
            }
        }
    }
}
