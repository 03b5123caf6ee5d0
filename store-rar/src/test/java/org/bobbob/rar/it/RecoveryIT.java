package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery for real: a WildFly this test starts itself (not the Arquillian-managed one),
 * with the built RAR and its shipped {@code ironjacamar.xml}, an H2 XA datasource and
 * {@link RecoveryServlet}. One JTA transaction writes a blob and the database row naming it; the
 * server halts after both prepared, before either committed ({@link HaltOnCommit}). While it is
 * down the store file holds one branch in doubt; the test restarts the server, asks
 * Narayana for recovery scans through the transactions subsystem's recovery listener, and finds
 * the blob and its row committed and no branch left in doubt.
 */
class RecoveryIT {
    /** Beside the Arquillian-managed server (offset 0): HTTP 8380, recovery listener 5012. */
    private static final int OFFSET = 300;

    private static final Duration BOOT = Duration.ofMinutes(3);

    private final Path jbossHome = Path.of(required("jboss.home"));
    private final Path base = Path.of(required("project.build.directory"), "recovery-server");
    private final Path storeFile = base.resolve("data/recovery.bob");
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run through failsafe");
        }
        return value;
    }

    @Test
    void aServerHaltedBetweenPrepareAndCommitCommitsTheBlobAndItsRowWhenItComesBack() throws Exception {
        prepareServer();
        Server server = Server.start(this);
        try {
            assertEquals("ok", get("setup"));
            assertThrows(IOException.class, () -> get("halt?name=first"), "the server halts in the commit");
            assertEquals(HaltOnCommit.STATUS, server.exit(), "the server's exit status: halted by HaltOnCommit");
        } finally {
            server.stop();
        }

        try (Storer store = StoreManager.open("bobbob:multi:" + storeFile)) {
            TransactionCounts counts = store.unwrap(TransactionalStore.class).transactionCounts();
            assertEquals(1, counts.inDoubt(), "the store keeps the prepared branch while the server is down");
            assertEquals(0, counts.active(), "and no other transaction");
        }

        server = Server.start(this);
        try {
            // Narayana acts on a transaction its log names in the second pass that sees it: a few scans
            String done = "row=\\d+ blob=ok inDoubt=0 active=0";
            String state = get("check?name=first");
            for (int scan = 0; scan < 5 && !state.matches(done); scan++) {
                recoveryScan();
                state = get("check?name=first");
            }
            assertTrue(
                    state.matches(done),
                    "after recovery the blob and its row are committed, nothing in doubt: " + state);
        } finally {
            server.stop();
        }
    }

    /** A fresh copy of the unpacked server's standalone/, the recovery listener on, both deployments in. */
    private void prepareServer() throws IOException {
        if (Files.exists(base)) {
            try (Stream<Path> old = Files.walk(base)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        Path standalone = jbossHome.resolve("standalone");
        try (Stream<Path> files = Files.walk(standalone)) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = base.resolve(standalone.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(base.resolve("data"));
        Path config = base.resolve("configuration/standalone.xml");
        String xml = Files.readString(config);
        String listener = "<recovery-environment socket-binding=\"txn-recovery-environment\"";
        assertTrue(xml.contains(listener), "standalone.xml changed shape: no " + listener);
        Files.writeString(config, xml.replace(listener, listener + " recovery-listener=\"true\""));

        Path deployments = base.resolve("deployments");
        Files.copy(Path.of(required("store.rar")), deployments.resolve(ItArchives.RAR));
        String datasource = "<datasources xmlns=\"http://www.jboss.org/ironjacamar/schema\">"
                + "<xa-datasource jndi-name=\"java:jboss/datasources/RecoveryXaDS\" pool-name=\"RecoveryXaDS\">"
                + "<xa-datasource-property name=\"URL\">jdbc:h2:" + base.resolve("data/recovery-db")
                + ";WRITE_DELAY=0</xa-datasource-property><driver>h2</driver>" // a prepare is on disk when it returns
                + "<security><user-name>sa</user-name><password>sa</password></security>"
                + "</xa-datasource></datasources>";
        ItArchives.warBesideTheRar("recovery-it.war", RecoveryServlet.class, HaltOnCommit.class)
                .addAsWebInfResource(new StringAsset(datasource), "recovery-xa-ds.xml")
                .as(ZipExporter.class)
                .exportTo(deployments.resolve("recovery-it.war").toFile());
    }

    private String get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + (8080 + OFFSET) + "/recovery-it/recovery/" + path);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** One full pass of Narayana's recovery modules, run now: the listener answers DONE when it ends. */
    private static void recoveryScan() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 4712 + OFFSET), 10_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write("SCAN\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("DONE", answer, "the recovery listener's answer to SCAN");
        }
    }

    /** A WildFly process on {@link #base}, its console copied to {@code console-<n>.log} there. */
    private static final class Server {
        private static int started;
        private final Process process;

        private Server(Process process) {
            this.process = process;
        }

        static Server start(RecoveryIT test) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(
                            "bash",
                            test.jbossHome.resolve("bin/standalone.sh").toString(),
                            "-Djboss.server.base.dir=" + test.base,
                            "-Djboss.socket.binding.port-offset=" + OFFSET,
                            "-Dbobbob.store.path=" + test.storeFile)
                    .redirectErrorStream(true);
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true");
            builder.environment().put("JBOSS_HOME", test.jbossHome.toString());
            Process process = builder.start();
            Server server = new Server(process);
            Path console = test.base.resolve("console-" + ++started + ".log");
            CompletableFuture<String> booted = new CompletableFuture<>();
            Thread copier = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                                PrintWriter log = new PrintWriter(Files.newBufferedWriter(console))) {
                            for (String line; (line = in.readLine()) != null; ) {
                                log.println(line);
                                log.flush();
                                if (line.contains("WFLYSRV0025") || line.contains("WFLYSRV0026")) {
                                    booted.complete(line);
                                }
                            }
                        } catch (IOException e) {
                            booted.completeExceptionally(e);
                        }
                        booted.completeExceptionally(new IllegalStateException("the server stopped before it started"));
                    },
                    "wildfly console");
            copier.setDaemon(true);
            copier.start();
            try {
                String line = booted.get(BOOT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(
                        line.contains("WFLYSRV0025"), "the server started with errors (see " + console + "): " + line);
            } catch (Exception | Error e) {
                server.stop();
                throw e;
            }
            return server;
        }

        /** The exit status once the process has ended by itself. */
        int exit() throws InterruptedException {
            assertTrue(process.waitFor(BOOT.toSeconds(), TimeUnit.SECONDS), "the server did not stop");
            return process.exitValue();
        }

        /** Stops the server as a shutdown would (SIGTERM to its JVM) if it still runs. */
        void stop() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(BOOT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
