package org.bobbob.sample.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bobbob.store.MultiStore;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.json.Json;

/**
 * README's first command as a user meets it: {@link SampleServer} in its own JVM (as
 * {@code exec:java} runs it inside Maven's), on a real WildFly with a port offset so that it
 * never meets the Arquillian server of this module. Stopped with SIGTERM as an IDE stops Maven,
 * started again on the same server directory (the blob and its row in the datasource's H2 file
 * database are still there), and its server killed with SIGKILL.
 */
class SampleServerIT {
    private static final int OFFSET = 400;
    private static final int HTTP = 8080 + OFFSET;
    private static final Duration BOOT = Duration.ofSeconds(240);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\d+)\"");
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The demo user's password, given to the launcher (it makes a random one otherwise). */
    private static final String DEMO_PASSWORD = "demo-it-secret";

    private static final String S3_ACCESS_KEY = "sample-it-access";
    private static final String S3_SECRET_KEY = "sample-it-SECRET-8e2b41";

    private static final String AUTHORIZATION = "Basic "
            + Base64.getEncoder()
                    .encodeToString((SampleServer.DEMO_USER + ":" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final Path build = Path.of(System.getProperty("project.build.directory"));
    private final Path jbossHome = Path.of(System.getProperty("jboss.home"));
    private final Path serverDir = build.resolve("launch-it/server");

    /**
     * A launcher JVM, its console lines, a future completed by the banner and one completed
     * when its console ends.
     */
    private record Launch(
            Process process, List<String> lines, CompletableFuture<String> banner, CompletableFuture<Void> ended) {
        /** Everything it printed; waits for the end of its console, so call it once it exited. */
        String output() throws Exception {
            ended.get(60, TimeUnit.SECONDS);
            return current();
        }

        String current() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        List<ProcessHandle> serverJvms() {
            return process.descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("jboss-modules.jar"))
                    .toList();
        }
    }

    /** Every launcher this test started, so that a failed test leaves no server on the ports. */
    private final List<Launch> launched = new ArrayList<>();

    @AfterEach
    void noServerOutlivesItsTest() throws Exception {
        for (Launch l : launched) {
            List<ProcessHandle> jvms = l.serverJvms();
            jvms.forEach(ProcessHandle::destroyForcibly);
            l.process().destroyForcibly();
            for (ProcessHandle jvm : jvms) {
                jvm.onExit().get(60, TimeUnit.SECONDS);
            }
        }
    }

    @BeforeEach
    void freshServerDirectory() throws IOException {
        if (Files.exists(serverDir)) {
            try (Stream<Path> all = Files.walk(serverDir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void keepsConfigurationAndDataAcrossAStopBySigtermAndAStart() throws Exception {
        Launch first = launch();
        String banner = first.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(banner.contains("http://localhost:" + HTTP + "/sample-app/"), banner);
        assertTrue(
                first.current().contains("Log in as user 'demo', password '" + DEMO_PASSWORD + "'"),
                "the run says how to log in:\n" + first.current());
        assertFalse(
                Files.readString(serverDir.resolve("configuration/application-users.properties"))
                        .contains("writer="),
                "the build's test users stay out of a run's server directory");
        // the banner comes when the app serves: no 404 for a user who opens the URL at once
        assertEquals(200, get("/sample-app/api/health").statusCode());
        assertEquals(200, get("/sample-app/").statusCode());

        byte[] blob = new byte[50_000];
        new SplittableRandom(7).nextBytes(blob);
        HttpResponse<String> created = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs"))
                        .header("Authorization", AUTHORIZATION)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        Matcher m = ID.matcher(created.body());
        assertTrue(m.find(), created.body());
        long id = Long.parseLong(m.group(1));
        assertEquals(0, cli("/system-property=bobbob.it.kept:add(value=yes)"), "jboss-cli change");

        List<ProcessHandle> jvms = first.serverJvms();
        assertEquals(1, jvms.size(), "one WildFly JVM under the launcher");
        // SIGTERM, what an IDE's stop button sends to Maven (through the handle: Process.destroy
        // would also close the pipe this test reads the launcher's last lines from)
        assertTrue(first.process().toHandle().destroy());
        assertTrue(first.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends");
        jvms.get(0).onExit().get(60, TimeUnit.SECONDS);
        assertFalse(SampleServer.answers(HTTP), "port " + HTTP + " is free");
        assertFalse(SampleServer.answers(9990 + OFFSET), "the management port is free");
        String out = first.output();
        assertTrue(out.contains("WFLYSRV0050"), "WildFly stopped gracefully:\n" + out);
        assertFalse(out.contains("\u001B"), "no colour codes in output that is not a terminal");

        assertTrue(Files.isRegularFile(serverDir.resolve("data/bobbob/sample-app.mv.db")), "the metadata database");
        Path store = serverDir.resolve("data/bobbob/default.bob");
        try (Storer s = MultiStore.open(store, 0)) { // the lock is released and the blob is on disk
            assertArrayEquals(blob, s.readBytesFromObj(id));
        }

        Launch second = launch();
        second.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(
                second.current().contains("Using the server configuration in " + serverDir.resolve("configuration")),
                second.current());
        assertTrue(
                Files.readString(serverDir.resolve("configuration/standalone-bobbob.xml"))
                        .contains("bobbob.it.kept"),
                "the jboss-cli change survives the restart");
        HttpResponse<byte[]> read = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs/" + id))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, read.statusCode());
        assertArrayEquals(blob, read.body());
        // its row, in the H2 file database of the server's XA datasource, survived the restart too
        HttpResponse<String> listing = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listing.statusCode(), listing.body());
        Map<String, Object> page = new Json().toType(listing.body(), Json.MAP_TYPE);
        assertEquals(1L, page.get("total"), listing.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> row = ((List<Map<String, Object>>) page.get("items")).get(0);
        assertEquals(Long.toString(id), row.get("id"));
        assertEquals((long) blob.length, row.get("size"));
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob)), row.get("sha256"));

        // a server that dies is a failed run, not a success
        ProcessHandle jvm = second.serverJvms().get(0);
        jvm.destroyForcibly();
        assertTrue(second.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends when its server dies");
        assertNotEquals(0, second.process().exitValue());
        assertTrue(second.output().contains("WildFly exited with status 137 (killed by signal 9)"), second.output());
    }

    /**
     * A server directory whose configuration predates the metadata datasource (a {@code
     * standalone-bobbob.xml} without {@code BobbobSampleDS}) gets it at the next start, kept in
     * its configuration, and the app stores and lists blobs.
     */
    @Test
    void addsTheMetadataDatasourceToAConfigurationWithoutIt() throws Exception {
        Path config = Files.createDirectories(serverDir.resolve("configuration"));
        try (Stream<Path> files = Files.list(jbossHome.resolve("standalone/configuration"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, config.resolve(f.getFileName().toString()));
                }
            }
        }
        Files.createDirectories(serverDir.resolve("deployments"));
        Path xml = config.resolve("standalone-bobbob.xml");
        String with = Files.readString(xml);
        String without = with.replaceAll(
                "(?s)<xa-datasource jndi-name=\"java:jboss/datasources/BobbobSampleDS\".*?</xa-datasource>\\s*", "");
        assertNotEquals(with, without, "the build's configuration has the datasource");
        assertFalse(without.contains("BobbobSampleDS"));
        Files.writeString(xml, without);

        Launch run = launch();
        run.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
        HttpResponse<String> created = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs"))
                        .header("X-Filename", "kept.bin")
                        .header("Authorization", AUTHORIZATION)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> listing = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, listing.statusCode(), listing.body());
        assertTrue(listing.body().contains("\"name\":\"kept.bin\""), listing.body());

        assertTrue(run.process().toHandle().destroy());
        assertTrue(run.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends");
        assertTrue(run.output().contains("WFLYSRV0050"), "WildFly stopped gracefully:\n" + run.output());
        assertTrue(Files.readString(xml).contains("BobbobSampleDS"), "the datasource is kept in the configuration");
    }

    @Test
    void theSampleServerDirectoryIsOutsideTheBuildDirectory() {
        Path configured = Path.of(System.getProperty("bobbob.server.dir"))
                .toAbsolutePath()
                .normalize();
        assertFalse(
                configured.startsWith(build.toAbsolutePath().normalize()),
                configured + " is under " + build + ": mvn clean would delete the blobs");
    }

    @Test
    void refusesToStartWhenThePortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", HTTP));
            Launch refused = launch();
            assertTrue(refused.process().waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, refused.process().exitValue());
            assertTrue(refused.output().contains("port " + HTTP + " is in use"), refused.output());
            assertTrue(refused.serverJvms().isEmpty());
        }
    }

    private Launch launch() throws IOException {
        return launch(Map.of());
    }

    /** {@code extra}: more {@code key=value} arguments, and environment variables as {@code env.NAME}. */
    private Launch launch(Map<String, String> extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                build.resolve("classes").toString(),
                SampleServer.class.getName(),
                "jbossHome=" + jbossHome,
                "serverDir=" + serverDir,
                "rar=" + Path.of(System.getProperty("it.deps"), "store-rar.rar"),
                "war=" + System.getProperty("sample.war"),
                "portOffset=" + OFFSET,
                "interactive=true",
                "timeoutSeconds=" + BOOT.toSeconds(),
                "demoPassword=" + DEMO_PASSWORD));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        extra.forEach((k, v) -> {
            if (k.startsWith("env.")) {
                builder.environment().put(k.substring(4), v);
            } else {
                command.add(k + "=" + v);
            }
        });
        Process p = builder.start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> banner = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            synchronized (lines) {
                                lines.add(line);
                            }
                            if (line.startsWith(SampleServer.BANNER)) {
                                banner.complete(line);
                            }
                        }
                    } catch (IOException e) {
                        banner.completeExceptionally(e);
                    }
                    banner.completeExceptionally(new IllegalStateException("the launcher ended before its banner"));
                    ended.complete(null);
                },
                "launcher-output");
        reader.setDaemon(true);
        reader.start();
        Launch launch = new Launch(p, lines, banner, ended);
        launched.add(launch);
        return launch;
    }

    /**
     * Four clients store blobs (new keys, and replacements of keys already acknowledged) until 40
     * are acknowledged; then the server JVM gets SIGKILL mid-upload, and the app is started again
     * on the same directory. Every key whose 2xx came back reads back exactly the bytes last
     * acknowledged for it, or bytes of an upload to it that was in flight at the kill (a
     * transaction the server had committed, or prepared and recovers, without answering); a new key
     * whose upload was in flight is either absent or exactly that upload. Nothing else, ever.
     */
    @Test
    void everyAcknowledgedUploadIsIntactAfterAKillNine() throws Exception {
        Launch first = launch();
        first.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
        URI api = URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs/");
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // key -> SHA-256 last acknowledged
        Map<String, Set<String>> inFlight = new ConcurrentHashMap<>(); // key -> SHA-256s sent, not answered
        CountDownLatch forty = new CountDownLatch(40);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                SplittableRandom random = new SplittableRandom(client);
                int i = 0;
                while (true) {
                    // every third upload replaces this client's key of three uploads ago
                    String key = "durable/" + client + "/" + (i % 3 == 2 ? i - 2 : i);
                    byte[] data = new byte[random.nextInt(1, 300_000)];
                    random.nextBytes(data);
                    String sha = sha256(data);
                    inFlight.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                            .add(sha);
                    HttpResponse<String> r;
                    try {
                        r = CLIENT.send(
                                HttpRequest.newBuilder(api.resolve(key))
                                        .header("Authorization", AUTHORIZATION)
                                        .timeout(Duration.ofSeconds(60))
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (IOException serverGone) {
                        return i; // its upload stays in flight: answered by no one
                    }
                    assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.statusCode() + " " + r.body());
                    acknowledged.put(key, sha);
                    inFlight.get(key).remove(sha);
                    forty.countDown();
                    i++;
                }
            }));
        }
        try {
            assertTrue(forty.await(BOOT.toSeconds(), TimeUnit.SECONDS), "40 uploads acknowledged");
            ProcessHandle jvm = first.serverJvms().get(0);
            assertTrue(jvm.destroyForcibly(), "SIGKILL");
            jvm.onExit().get(60, TimeUnit.SECONDS);
            for (Future<Integer> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        assertTrue(first.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends with its server");
        int inFlightAtKill = inFlight.values().stream().mapToInt(Set::size).sum();

        Launch second = launch();
        second.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
        try {
            for (String key : inFlight.keySet()) {
                HttpResponse<byte[]> r = CLIENT.send(
                        HttpRequest.newBuilder(api.resolve(key)).build(), HttpResponse.BodyHandlers.ofByteArray());
                String last = acknowledged.get(key);
                Set<String> allowed = new HashSet<>(inFlight.get(key));
                if (last != null) {
                    allowed.add(last);
                }
                if (last == null && r.statusCode() == 404) {
                    continue; // never acknowledged, not committed: absent is right
                }
                assertEquals(200, r.statusCode(), key + ": " + new String(r.body(), StandardCharsets.UTF_8));
                String got = sha256(r.body());
                assertTrue(
                        allowed.contains(got),
                        key + " reads " + r.body().length + " bytes that were never sent to it"
                                + (last == null ? "" : " (acknowledged: " + last + ")"));
                assertEquals(Optional.of('"' + got + '"'), r.headers().firstValue("ETag"), key);
            }
            assertEquals(0, forty.getCount(), "40 uploads acknowledged before the kill");
            System.out.println("kill -9: " + acknowledged.size() + " keys acknowledged (new and replaced), "
                    + inFlightAtKill + " uploads in flight at the kill; all intact");
        } finally {
            assertTrue(second.process().toHandle().destroy());
            assertTrue(second.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends");
        }
    }

    /**
     * README's S3 flag: the launcher given {@code s3=<bobbob:s3: URL>} (what {@code -Dbobbob.s3=...}
     * passes) deploys the S3 flavour of the adapter, and the service keeps its blobs in that
     * bucket, on an S3Proxy in this JVM, with the credentials in the server's environment. The
     * store takes no part in the transactions, so the bucket is checked after each answer: a
     * replaced object is gone once the PUT that replaced it committed, an upload that failed its
     * checksum leaves nothing, a delete removes the object.
     */
    @Test
    void keepsTheBlobsInAnS3BucketWithOneFlag() throws Exception {
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder()
                .withCredentials(S3_ACCESS_KEY, S3_SECRET_KEY)
                .withBlobStoreProvider("transient-nio2")
                .build();
        proxy.beforeEach();
        try {
            String endpoint = proxy.getUri().toString().replaceAll("/$", "");
            String url = "bobbob:s3://sample/blobs?endpoint=" + endpoint + "&pathStyle=true";
            Properties credentials = new Properties();
            credentials.setProperty("accessKey", S3_ACCESS_KEY);
            credentials.setProperty("secretKey", S3_SECRET_KEY);
            try (Storer made = StoreManager.open(url + "&create=true", credentials)) {
                assertEquals(0, made.unwrap(ObjectLister.class).objectIds().length, "a new, empty bucket");
            }
            Launch launch = launch(Map.of(
                    "s3", url,
                    "rarS3",
                            Path.of(System.getProperty("it.deps"), "store-rar-s3.rar")
                                    .toString(),
                    "env.AWS_ACCESS_KEY_ID", S3_ACCESS_KEY,
                    "env.AWS_SECRET_ACCESS_KEY", S3_SECRET_KEY));
            String banner = launch.banner().get(BOOT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(banner.contains("(store: " + url), banner);
            assertFalse(launch.current().contains(S3_SECRET_KEY), "the secret is never printed");

            try (Storer bucket = StoreManager.open(url, credentials)) {
                ObjectLister lister = bucket.unwrap(ObjectLister.class);
                URI blob = URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs/s3/photo.bin");
                byte[] first = "first bytes, in the bucket".getBytes(StandardCharsets.UTF_8);
                assertEquals(201, put(blob, first, null).statusCode());
                long[] ids = lister.objectIds();
                assertEquals(1, ids.length, "one object in the bucket");
                assertArrayEquals(first, bucket.readBytesFromObj(ids[0]));

                byte[] second = "second bytes replace them".getBytes(StandardCharsets.UTF_8);
                assertEquals(200, put(blob, second, null).statusCode());
                long[] replaced = lister.objectIds();
                assertEquals(1, replaced.length, "the replaced object is deleted once the PUT committed");
                assertNotEquals(ids[0], replaced[0]);
                assertArrayEquals(second, bucket.readBytesFromObj(replaced[0]));
                HttpResponse<byte[]> read =
                        CLIENT.send(HttpRequest.newBuilder(blob).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, read.statusCode());
                assertArrayEquals(second, read.body());

                HttpResponse<String> refused = put(blob, "third".getBytes(StandardCharsets.UTF_8), sha256(first));
                assertEquals(400, refused.statusCode(), refused.body());
                assertArrayEquals(replaced, lister.objectIds(), "the refused upload's object is deleted");

                HttpResponse<String> stats = CLIENT.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, stats.statusCode(), stats.body());
                assertTrue(stats.body().contains("\"statistics\":false"), stats.body());

                HttpResponse<String> deleted = CLIENT.send(
                        HttpRequest.newBuilder(blob)
                                .header("Authorization", AUTHORIZATION)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(204, deleted.statusCode(), deleted.body());
                assertEquals(0, lister.objectIds().length, "deleted from the bucket");
                assertEquals(404, get("/sample-app/api/blobs/s3/photo.bin").statusCode());
            } finally {
                assertTrue(launch.process().toHandle().destroy());
                assertTrue(launch.process().waitFor(120, TimeUnit.SECONDS), "the launcher ends");
            }
        } finally {
            proxy.afterEach();
        }
    }

    private static HttpResponse<String> put(URI blob, byte[] data, String sha256) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(blob)
                .header("Authorization", AUTHORIZATION)
                .timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data));
        if (sha256 != null) {
            request.header("x-checksum-sha256", sha256);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private int cli(String command) throws Exception {
        Process p = new ProcessBuilder(
                        jbossHome.resolve("bin/jboss-cli.sh").toString(),
                        "--connect",
                        "--controller=127.0.0.1:" + (9990 + OFFSET),
                        "--command=" + command)
                .redirectErrorStream(true)
                .start();
        p.getInputStream().transferTo(System.out);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static HttpResponse<Void> get(String path) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + path))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
