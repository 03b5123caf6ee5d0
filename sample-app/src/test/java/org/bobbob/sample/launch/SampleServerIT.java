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
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bobbob.store.MultiStore;
import org.bobbob.store.Storer;
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
        // the banner comes when the app serves: no 404 for a user who opens the URL at once
        assertEquals(200, get("/sample-app/api/health").statusCode());
        assertEquals(200, get("/sample-app/").statusCode());

        byte[] blob = new byte[50_000];
        new SplittableRandom(7).nextBytes(blob);
        HttpResponse<String> created = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP + "/sample-app/api/blobs"))
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
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
                        "timeoutSeconds=" + BOOT.toSeconds())
                .redirectErrorStream(true)
                .start();
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
        return new Launch(p, lines, banner, ended);
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
