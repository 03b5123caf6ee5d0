package org.bobbob.sample.launch;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the sample blob service in WildFly for README's first command
 * ({@code mvn -B -Prun -pl sample-app -am package -DskipTests}, which calls {@link #main} through
 * {@code exec:java} inside Maven's JVM). Not part of the WAR.
 *
 * <ol>
 *   <li><b>Server directory.</b> WildFly's base directory (configuration, data, logs) is
 *       {@code serverDir}, by default {@code sample-app/server/}: outside {@code target/}, so
 *       {@code mvn clean} keeps the blobs and the configuration. The first start copies it from
 *       the unpacked distribution's {@code standalone/} (whose {@code standalone-bobbob.xml} the
 *       build generates); every later start uses it as it is, so what jboss-cli changed stays.
 *   <li><b>Ports.</b> If the HTTP or management port already answers, another server is running:
 *       it refuses to start and says how to stop that one.
 *   <li><b>Start.</b> {@code bin/standalone.sh -c standalone-bobbob.xml} in the foreground, so the
 *       script ends with the server JVM's exit status. {@code bobbob.store.*} system properties of
 *       this JVM are handed on. The server's console is copied to ours; colour codes are removed
 *       unless this JVM writes to a terminal and Maven runs interactively (not {@code -B}).
 *   <li><b>Demo user.</b> User {@value #DEMO_USER} in roles {@code writer} and {@code reader}
 *       of the application realm ({@link AppUsers}), with the password given as
 *       {@code demoPassword} ({@code -Dbobbob.demo.password=...}) or else a new random one each
 *       start; the banner says how to log in. The first start's copy of the distribution's
 *       configuration takes none of its users (the build's test users live there).
 *   <li><b>Deploy.</b> Once booted, with jboss-cli: the XA datasource of the app's metadata,
 *       {@code BobbobSampleDS}, if the configuration lacks it (one created before the app had it);
 *       then {@code deploy --force} of the RAR, then the WAR (replacing the copies an earlier start
 *       left in the configuration). With {@code s3} set, the RAR is {@code store-rar-s3.rar} with
 *       its {@code ironjacamar.xml} replaced by one {@code NoTransaction} definition of
 *       {@code java:/bobbob/DefaultStore} on that URL (an s3 store takes no part in transactions),
 *       deployed under the same name, {@code store-rar.rar}, so the WAR finds it as always. The
 *       server's AWS SDK takes the credentials from its default chain: the
 *       {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} environment this JVM hands on, or
 *       the user's profile files. Then it polls
 *       {@code GET /sample-app/api/health} until it answers 200 and only then logs how to log in
 *       and, last, the banner: the URL it prints is serving.
 *   <li><b>Stop.</b> A JVM shutdown (Ctrl-C, an IDE's stop button sending SIGTERM to Maven)
 *       sends SIGTERM to the server JVM (a graceful stop that releases the store's lock and the
 *       ports) and waits for it. A server that ends by itself with status 0 ({@code :shutdown})
 *       ends the run normally; any other status (killed, crashed) makes {@link #main} throw, so
 *       Maven reports a failure.
 * </ol>
 * Arguments are {@code key=value}: {@code jbossHome}, {@code serverDir}, {@code rar}, {@code war}
 * (required), {@code store} (the store path; relative paths are under the server's data
 * directory), {@code s3} (a {@code bobbob:s3:} URL: the blobs go to that bucket instead, and
 * {@code rarS3}, the path of {@code store-rar-s3.rar}, is required), {@code interactive} ({@code true}|{@code false}), {@code portOffset},
 * {@code timeoutSeconds} (boot, deploy and first answer; default 180), {@code demoPassword}.
 */
public final class SampleServer {
    /** The line the banner starts with; tests wait for it. */
    public static final String BANNER = "bobbob sample app is up: ";
    /** WFLYSRV0025: started; WFLYSRV0026: started with errors (a failed deployment, replaced next). */
    private static final Pattern BOOTED = Pattern.compile("WFLYSRV002[56]");

    private static final Pattern COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final String CONFIG = "standalone-bobbob.xml";
    private static final String S3_URL = "bobbob:s3:";
    /** The deployment name of the adapter, whichever flavour: the WAR imports {@code deployment.store-rar.rar}. */
    private static final String RAR_NAME = "store-rar.rar";
    /** The user the run creates, in roles writer and reader. */
    static final String DEMO_USER = "demo";

    private static final int HTTP_PORT = 8080;
    private static final int MANAGEMENT_PORT = 9990;
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    /**
     * The app's metadata datasource. The build puts it in {@code standalone-bobbob.xml} (the pom's
     * {@code server-config} step, which has the same definition); a server directory whose
     * configuration was created before it gets it through the CLI before the deployment.
     */
    private static final String DATASOURCE = "/subsystem=datasources/xa-data-source=BobbobSampleDS";

    private static final String ADD_DATASOURCE = "xa-data-source add --name=BobbobSampleDS"
            + " --jndi-name=java:jboss/datasources/BobbobSampleDS --driver-name=h2 --user-name=sa --password=sa"
            + " --xa-datasource-properties={\"URL\"=>"
            + "\"jdbc:h2:file:${jboss.server.data.dir}/bobbob/sample-app;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0\"}";

    private final Path jbossHome;
    private final Path serverDir;
    private final Path rar;
    private final Path war;
    private final String store;
    /** A {@code bobbob:s3:} URL, or empty for the file store. */
    private final String s3;

    private final Path rarS3;
    private final boolean colour;
    private final int portOffset;
    private final Duration timeout;
    private final String demoPassword;
    private final PrintStream out = System.out;
    private final CompletableFuture<Void> booted = new CompletableFuture<>();
    /** Copies the server's console; joined after a stop so its last lines are not lost. */
    private Thread pump;
    /** Set by the shutdown hook before it signals the server; read by the thread waiting for it. */
    private volatile boolean stopping;

    SampleServer(Map<String, String> args) {
        this.jbossHome = Path.of(required(args, "jbossHome")).toAbsolutePath();
        this.serverDir = Path.of(required(args, "serverDir")).toAbsolutePath();
        this.rar = Path.of(required(args, "rar")).toAbsolutePath();
        this.war = Path.of(required(args, "war")).toAbsolutePath();
        this.store = args.getOrDefault("store", "bobbob/default.bob");
        this.s3 = args.getOrDefault("s3", "").strip();
        if (!s3.isEmpty() && !s3.startsWith(S3_URL)) {
            throw new IllegalArgumentException("s3=" + s3 + " is not a " + S3_URL + " URL (e.g. " + S3_URL
                    + "//bucket/prefix?endpoint=http://127.0.0.1:9000&pathStyle=true)");
        }
        this.rarS3 = s3.isEmpty() ? null : Path.of(required(args, "rarS3")).toAbsolutePath();
        this.colour = Boolean.parseBoolean(args.getOrDefault("interactive", "false")) && onTerminal();
        this.portOffset = Integer.parseInt(args.getOrDefault("portOffset", "0"));
        this.timeout = Duration.ofSeconds(Long.parseLong(args.getOrDefault("timeoutSeconds", "180")));
        String password = args.getOrDefault("demoPassword", "");
        this.demoPassword = password.isBlank() ? randomPassword() : password;
    }

    /**
     * Starts the server, deploys, logs the banner and blocks until the server ends.
     *
     * @throws IllegalStateException if a port is taken, boot or deployment fails, or the server
     *     ends with a status other than 0
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new SampleServer(options).run();
    }

    void run() throws Exception {
        String cli = jbossHome.resolve("bin/jboss-cli.sh") + " --connect"
                + (portOffset == 0 ? "" : " --controller=127.0.0.1:" + managementPort());
        for (int port : new int[] {httpPort(), managementPort()}) {
            if (answers(port)) {
                throw new IllegalStateException(
                        "port " + port + " is in use: is a server still running? Stop it with " + cli + " :shutdown");
            }
        }
        prepareServerDir();
        AppUsers.put(serverDir.resolve("configuration"), DEMO_USER, demoPassword, "writer,reader");
        Process server = start();
        Thread hook = new Thread(() -> stop(server), "stop-wildfly");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            CompletableFuture.anyOf(booted, server.onExit()).get(timeout.toSeconds(), TimeUnit.SECONDS);
            if (booted.isDone()) {
                deploy();
                awaitServing(server);
                out.println("Log in as user '" + DEMO_USER + "', password '" + demoPassword
                        + "' (roles writer, reader; -Dbobbob.demo.password=... keeps one across starts): curl -u "
                        + DEMO_USER + ":" + demoPassword + " -T photo.jpg http://localhost:" + httpPort()
                        + "/sample-app/api/blobs/photo.jpg");
                out.println(BANNER + "http://localhost:" + httpPort() + "/sample-app/  (store: "
                        + (s3.isEmpty() ? storeFile().toString() : s3)
                        + "; stop: Ctrl-C, or " + cli + " :shutdown)");
                out.flush();
            }
        } catch (TimeoutException | RuntimeException | IOException e) {
            stop(server);
            throw e instanceof TimeoutException
                    ? new IllegalStateException("WildFly did not boot within " + timeout.toSeconds() + " s")
                    : e;
        }
        int status = server.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook stopped it: the JVM is going down, nothing to report
        }
        if (status != 0 && !stopping) {
            throw new IllegalStateException("WildFly exited with status " + status
                    + (status > 128 ? " (killed by signal " + (status - 128) + ")" : "") + "; see "
                    + serverDir.resolve("log/server.log"));
        }
        out.println("WildFly stopped (status " + status + ")");
    }

    private int httpPort() {
        return HTTP_PORT + portOffset;
    }

    private int managementPort() {
        return MANAGEMENT_PORT + portOffset;
    }

    private Path storeFile() {
        Path p = Path.of(store);
        return p.isAbsolute() ? p : serverDir.resolve("data").resolve(p);
    }

    /** Creates the base directory from the distribution's {@code standalone/} once; keeps it after. */
    private void prepareServerDir() throws IOException {
        Path config = serverDir.resolve("configuration").resolve(CONFIG);
        if (Files.exists(config)) {
            out.println("Using the server configuration in " + serverDir.resolve("configuration")
                    + " (kept across starts)");
            return;
        }
        Path source = jbossHome.resolve("standalone/configuration");
        if (!Files.exists(source.resolve(CONFIG))) {
            throw new IllegalStateException(
                    source.resolve(CONFIG) + " is missing: run the build's package phase first");
        }
        Files.createDirectories(config.getParent());
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = config.getParent().resolve(f.getFileName().toString());
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || Files.exists(target)) {
                    continue;
                }
                if (name.equals(AppUsers.USERS) || name.equals(AppUsers.ROLES)) {
                    // the comments only: the users there are the build's, for its tests
                    Files.write(
                            target,
                            Files.readAllLines(f).stream()
                                    .filter(l -> l.isBlank() || l.startsWith("#"))
                                    .toList());
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(serverDir.resolve("deployments"));
        out.println("Created the server configuration in " + serverDir.resolve("configuration"));
    }

    private Process start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                jbossHome.resolve("bin/standalone.sh").toString(),
                "-c",
                CONFIG,
                "-Djboss.server.base.dir=" + serverDir,
                "-Dbobbob.store.path=" + store));
        System.getProperties().stringPropertyNames().stream()
                .sorted()
                .filter(k -> k.startsWith("bobbob.store.") && !k.equals("bobbob.store.path"))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        if (portOffset != 0) {
            command.add("-Djboss.socket.binding.port-offset=" + portOffset);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // In the foreground the script waits for the JVM and exits with its status; in the
        // background mode it reports 0 for a JVM killed with SIGKILL.
        builder.environment().remove("LAUNCH_JBOSS_IN_BACKGROUND");
        builder.environment().put("NOPAUSE", "true");
        Process process = builder.start();
        pump = new Thread(() -> copyConsole(process.getInputStream()), "wildfly-console");
        pump.setDaemon(true);
        pump.start();
        return process;
    }

    /** Copies the server's console to ours, line by line, and notes when it has booted. */
    private void copyConsole(InputStream console) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(console, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(colour ? line : COLOUR.matcher(line).replaceAll(""));
                if (!booted.isDone() && BOOTED.matcher(line).find()) {
                    booted.complete(null);
                }
            }
        } catch (IOException e) {
            booted.completeExceptionally(new UncheckedIOException(e));
        }
    }

    private void deploy() throws IOException, InterruptedException {
        Path script = Files.createTempFile("bobbob-deploy-", ".cli");
        Path adapter = s3.isEmpty() ? rar : s3Adapter();
        try {
            Files.writeString(
                    script,
                    "if (outcome != success) of " + DATASOURCE + ":read-resource\n"
                            + "    " + ADD_DATASOURCE + "\n"
                            + "end-if\n"
                            + "deploy --force --name=" + RAR_NAME + " " + adapter + "\n"
                            + "deploy --force " + war + "\n");
            Process cli = new ProcessBuilder(
                            jbossHome.resolve("bin/jboss-cli.sh").toString(),
                            "--connect",
                            "--controller=127.0.0.1:" + managementPort(),
                            "--file=" + script)
                    .redirectErrorStream(true)
                    .start();
            copy(cli.getInputStream());
            if (!cli.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || cli.exitValue() != 0) {
                cli.destroyForcibly();
                throw new IllegalStateException(
                        "deploying " + RAR_NAME + " and " + war.getFileName() + " failed; see above");
            }
        } finally {
            Files.deleteIfExists(script);
            if (adapter != rar) {
                Files.deleteIfExists(adapter);
            }
        }
    }

    /**
     * A copy of {@code store-rar-s3.rar} whose {@code ironjacamar.xml} activates one
     * {@code NoTransaction} definition, {@code java:/bobbob/DefaultStore}, on {@link #s3}.
     */
    private Path s3Adapter() throws IOException {
        if (!Files.isRegularFile(rarS3)) {
            throw new IllegalStateException(rarS3 + " is missing: run the build's package phase first");
        }
        Path copy = Files.createTempFile("store-rar-s3-", ".rar");
        Files.copy(rarS3, copy, StandardCopyOption.REPLACE_EXISTING);
        String url = s3.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
        String ironjacamar =
                """
                <ironjacamar xmlns="http://www.ironjacamar.org/doc/schema">
                  <transaction-support>NoTransaction</transaction-support>
                  <connection-definitions>
                    <connection-definition class-name="org.bobbob.rar.StoreManagedConnectionFactory"
                                           jndi-name="java:/bobbob/DefaultStore">
                      <config-property name="url">%s</config-property>
                      <pool>
                        <min-pool-size>0</min-pool-size>
                        <max-pool-size>20</max-pool-size>
                      </pool>
                    </connection-definition>
                  </connection-definitions>
                </ironjacamar>
                """
                        .formatted(url);
        try (FileSystem zip = FileSystems.newFileSystem(copy)) {
            Files.writeString(
                    zip.getPath("META-INF/ironjacamar.xml"),
                    ironjacamar,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        }
        return copy;
    }

    private void copy(InputStream from) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
            in.lines().forEach(out::println);
        }
    }

    /** Polls the health endpoint until it answers 200: the web context is registered and the store opens. */
    private void awaitServing(Process server) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest health = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort() + "/sample-app/api/health"))
                .timeout(Duration.ofSeconds(10))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                last = client.send(health, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (last == 200) {
                    return;
                }
            } catch (ConnectException notYet) {
                last = -1;
            }
            // Why a sleep: the server is another process, and nothing it does can wake this
            // thread; between two health requests, wait a tenth of a second rather than spin.
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "the sample app did not answer 200 on /sample-app/api/health (last: " + last + ")");
    }

    /** SIGTERM to the server JVM (the script's child), then wait; force only if it hangs. */
    private void stop(Process server) {
        stopping = true;
        List<ProcessHandle> jvms = server.descendants().toList();
        out.println("Stopping WildFly "
                + jvms.stream().map(h -> Long.toString(h.pid())).toList());
        if (jvms.isEmpty()) {
            server.destroy();
        }
        jvms.forEach(ProcessHandle::destroy);
        try {
            if (!server.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                jvms.forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
            pump.join(TimeUnit.SECONDS.toMillis(5)); // the console ends with the server: its last lines
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether something accepts connections on {@code port} of 127.0.0.1 (a running server). */
    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when this JVM writes to a terminal (JDK 22+ also answers a console for pipes). */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }
}
