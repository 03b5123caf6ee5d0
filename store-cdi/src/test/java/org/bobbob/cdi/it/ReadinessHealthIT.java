package org.bobbob.cdi.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * store-cdi's readiness check in a WildFly started with {@code standalone-microprofile.xml} (the
 * failsafe execution {@code microprofile-its}, container {@code wildfly-microprofile}), through the
 * server's own health endpoint on the management port: the RAR as built, a WAR injecting the
 * default store with store-cdi.jar in {@code WEB-INF/lib}. UP; then, with the store's file replaced
 * by garbage under the running server, DOWN (the adapter's periodic check fails the store, the
 * pool evicts its connection, the reopen finds no store); UP again once the file is put back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReadinessHealthIT {
    private static final long DEADLINE_SECONDS = 60;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(property("store.rar")));
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "health-it.war")
                .addClasses(PlainServlet.class)
                .addAsLibrary(ShrinkWrap.createFromZipFile(JavaArchive.class, new File(property("store.cdi.jar"))))
                .addAsWebInfResource("it/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through failsafe");
        }
        return value;
    }

    @ArquillianResource
    ManagementClient management;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The distinct answers seen, in order, for the failure messages. */
    private final List<String> seen = new ArrayList<>();

    @Test
    @OperateOnDeployment("war")
    void readyIsUpThenDownForAStoreMadeUnreadableThenUpOnceItIsFixed() throws Exception {
        String up = awaitReady(200, "\"default\":\"UP\"");
        assertTrue(up.contains("\"name\":\"bobbob\""), up);

        Path file = dataDir().resolve("bobbob/default.bob");
        Path aside = file.resolveSibling("default.bob.aside");
        assertTrue(Files.exists(file), "the first check opened (created) the store: " + file);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        Files.write(file, "this is no bobbob store, whatever its name".getBytes(StandardCharsets.UTF_8));
        String down = awaitReady(503, "BOB-");
        assertTrue(down.contains("\"status\":\"DOWN\""), down);

        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
        awaitReady(200, "\"default\":\"UP\"");
        System.out.printf("BOBBOB /health/ready answers in order: %s%n", seen);
    }

    /**
     * Asks {@code /health/ready} until it answers {@code status} with {@code fragment} in its body
     * (the periodic check that notices a replaced file runs every second: there is no event to wait
     * for; each request, a few milliseconds, paces the next), at most {@value #DEADLINE_SECONDS} s;
     * returns the body.
     */
    private String awaitReady(int status, String fragment) throws IOException, InterruptedException {
        URI ready =
                URI.create("http://" + management.getMgmtAddress() + ":" + management.getMgmtPort() + "/health/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (true) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(ready)
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = r.body().replace(" ", "");
            String outcome = r.statusCode() + " " + body;
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(outcome)) {
                seen.add(outcome);
            }
            if (r.statusCode() == status && body.contains(fragment)) {
                return body;
            }
            assertTrue(
                    System.nanoTime() < deadline,
                    "no " + status + " with " + fragment + " within " + DEADLINE_SECONDS + " s: " + seen);
        }
    }

    private Path dataDir() throws IOException {
        ModelNode op = Operations.createReadAttributeOperation(
                Operations.createAddress("path", "jboss.server.data.dir"), "path");
        ModelNode result = management.getControllerClient().execute(op);
        assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        return Path.of(Operations.readResult(result).asString());
    }
}
