package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly that an IT starts itself, beside the Arquillian-managed one (which runs at port offset
 * 0): a fresh copy of the unpacked server's {@code standalone/} under {@code target/<name>}, whose
 * configuration the test edits and whose {@code deployments/} it fills before {@link #start}, so
 * that what it deploys is there at boot. Its console goes to {@code console-<n>.log} there.
 */
final class OwnServer {
    static final Duration BOOT = Duration.ofMinutes(3);

    private final Path jbossHome = Path.of(required("jboss.home"));
    private final Path base;
    private final int offset;
    private int started;

    /** A fresh base directory {@code target/<name>} for a server at port offset {@code offset}. */
    OwnServer(String name, int offset) throws IOException {
        this.base = Path.of(required("project.build.directory"), name);
        this.offset = offset;
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
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run through failsafe");
        }
        return value;
    }

    /** The base directory. */
    Path base() {
        return base;
    }

    /** Where archives deployed at boot go. */
    Path deployments() {
        return base.resolve("deployments");
    }

    /** Replaces {@code find} (which must occur) by {@code replacement} in {@code standalone.xml}. */
    void editConfig(String find, String replacement) throws IOException {
        Path config = base.resolve("configuration/standalone.xml");
        String xml = Files.readString(config);
        assertTrue(xml.contains(find), "standalone.xml changed shape: no " + find);
        Files.writeString(config, xml.replace(find, replacement));
    }

    /** {@code path} on the server's HTTP port. */
    URI http(String path) {
        return URI.create("http://127.0.0.1:" + (8080 + offset) + "/" + path);
    }

    /** {@code path} on the server's management port. */
    URI management(String path) {
        return URI.create("http://127.0.0.1:" + (9990 + offset) + "/" + path);
    }

    /** The transactions subsystem's recovery listener port. */
    int recoveryListenerPort() {
        return 4712 + offset;
    }

    /**
     * Starts the server with the extra system properties {@code properties} ({@code -Dname=value})
     * and returns once it has booted.
     *
     * @throws AssertionError if it booted with errors (the console log is named)
     */
    Running start(String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                jbossHome.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + offset));
        command.addAll(List.of(properties));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", "-Xms64m -Xmx512m -Djava.net.preferIPv4Stack=true");
        builder.environment().put("JBOSS_HOME", jbossHome.toString());
        Process process = builder.start();
        Running server = new Running(process);
        Path console = base.resolve("console-" + ++started + ".log");
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
            assertTrue(line.contains("WFLYSRV0025"), "the server started with errors (see " + console + "): " + line);
        } catch (Exception | Error e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /** A started server process. */
    static final class Running {
        private final Process process;

        private Running(Process process) {
            this.process = process;
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
