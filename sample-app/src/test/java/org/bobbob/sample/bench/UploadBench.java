package org.bobbob.sample.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Uploads per second of small blobs against a running sample app, each one acknowledged only once
 * its transaction (object, row) is committed and the store's commit is forced; not a test. Each
 * client {@code PUT}s new keys back to back for the given seconds after one second of warm-up;
 * prints uploads/s and the median and 99th percentile latency per client count.
 *
 * <pre>
 * mvn -B -o -q exec:java -pl sample-app -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bobbob.sample.bench.UploadBench \
 *     -Dexec.args="http://localhost:8080/sample-app/ demo:PASSWORD 4096 10 1,8"
 * </pre>
 *
 * Arguments: the app's URL, {@code user:password} of a writer, the blob size in bytes, seconds
 * per run, and the client counts.
 */
public final class UploadBench {
    private UploadBench() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
        String auth = "Basic " + Base64.getEncoder().encodeToString(args[1].getBytes(StandardCharsets.UTF_8));
        int size = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        HttpClient client = HttpClient.newBuilder().build();
        System.out.printf("%-8s %10s %10s %10s%n", "clients", "uploads/s", "p50 ms", "p99 ms");
        for (String c : args[4].split(",")) {
            int clients = Integer.parseInt(c.trim());
            run(client, base, auth, size, clients, 1, false);
            double[] r = run(client, base, auth, size, clients, seconds, true);
            System.out.printf("%-8d %10.0f %10.2f %10.2f%n", clients, r[0], r[1], r[2]);
        }
    }

    /** {uploads/s, p50 ms, p99 ms} of {@code clients} clients for {@code seconds}. */
    private static double[] run(
            HttpClient http, URI base, String auth, int size, int clients, long seconds, boolean measured)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CyclicBarrier start = new CyclicBarrier(clients);
        String run = Long.toString(System.nanoTime(), 36);
        List<Future<List<Long>>> done = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int client = t;
            done.add(pool.submit(() -> {
                byte[] data = new byte[size];
                new SplittableRandom(client).nextBytes(data);
                List<Long> latencies = new ArrayList<>();
                start.await();
                long end = System.nanoTime() + seconds * 1_000_000_000L;
                for (int i = 0; System.nanoTime() < end; i++) {
                    HttpRequest put = HttpRequest.newBuilder(
                                    base.resolve("api/blobs/bench-" + run + "/" + client + "/" + i))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                            .timeout(Duration.ofSeconds(60))
                            .build();
                    long t0 = System.nanoTime();
                    HttpResponse<Void> r = http.send(put, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("PUT answered " + r.statusCode());
                    }
                    latencies.add(System.nanoTime() - t0);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : done) {
            all.addAll(f.get());
        }
        pool.shutdown();
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new double[] {
            all.size() / (double) seconds, sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 99 / 100] / 1e6
        };
    }
}
