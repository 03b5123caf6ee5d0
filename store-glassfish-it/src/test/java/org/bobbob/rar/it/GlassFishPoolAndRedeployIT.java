package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * From outside GlassFish, over HTTP (store-rar's {@link BlobServlet}), {@code asadmin} and
 * GlassFish's REST monitoring: a pool made by {@code asadmin} and its figures after 1 000 get/close
 * cycles, and the data across an undeploy and redeploy of the RAR.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GlassFishPoolAndRedeployIT {
    private static final URI HTTP = URI.create("http://127.0.0.1:8080/blob-gf-it/");
    private static final String ADMIN_POOL = "bobbob-it-pool";
    private static final String ADMIN_JNDI = "bobbob/AdminStore";
    private static final String MONITORING = "http://127.0.0.1:4848/monitoring/domain/server/resources";

    @Deployment(name = "rar", managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar();
    }

    @Deployment(name = "war", managed = false, testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "blob-gf-it.war")
                .addClasses(BlobServlet.class, GlassFishStores.class);
    }

    @ArquillianResource
    Deployer deployer;

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * A pool and resource made the admin way, with the {@code asadmin} commands docs/RAR.md gives
     * (GlassFish's monitoring shows pools made so; it has no node for a
     * {@code @ConnectionFactoryDefinition}'s pool): after 1 000 get/close cycles none is in use
     * and the cycles reused a physical connection (GlassFish may make a second as it sizes the pool); the same after 1 000 JTA transactions.
     */
    @Test
    void aThousandGetCloseCyclesLeaveNoConnectionInUseWithOrWithoutTransactions() throws Exception {
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            asadmin(
                    "create-connector-connection-pool",
                    "--raname",
                    "store-rar",
                    "--connectiondefinition",
                    "org.bobbob.rar.StoreConnectionFactory",
                    "--transactionsupport",
                    "XATransaction",
                    "--steadypoolsize",
                    "0",
                    "--maxpoolsize",
                    "20",
                    "--property",
                    "path=bobbob-it/admin.bob",
                    ADMIN_POOL);
            asadmin("create-connector-resource", "--poolname", ADMIN_POOL, ADMIN_JNDI);

            long nanos = Long.parseLong(get("blob/cycles", ADMIN_JNDI, "n=1000").body());
            String pool = monitoring(URI.create(MONITORING + "/" + ADMIN_POOL + ".json"));
            System.out.printf("BOBBOB-TIMING 1000 get/close cycles: %d ms; pool: %s%n", nanos / 1_000_000, pool);
            assertEquals(0, figure(pool, "numconnused", "current"), pool);
            assertEquals(1000, figure(pool, "numconnacquired", "count"), pool);
            long created = figure(pool, "numconncreated", "count");
            assertTrue(created >= 1 && created <= 2, "the cycles reused a pooled connection: " + pool);

            // the same inside JTA transactions: each writes a blob, every other one rolls back
            assertEquals(
                    "500", get("blob/txcycles", ADMIN_JNDI, "n=1000").body(), "blobs committed, counted afterwards");
            pool = monitoring(URI.create(MONITORING + "/" + ADMIN_POOL + ".json"));
            System.out.printf("1000 transactional get/close cycles; pool: %s%n", pool);
            assertEquals(0, figure(pool, "numconnused", "current"), pool);
        } finally {
            deployer.undeploy("war");
            asadmin("delete-connector-resource", ADMIN_JNDI);
            asadmin("delete-connector-connection-pool", ADMIN_POOL);
            deployer.undeploy("rar");
        }
    }

    @Test
    void undeployAndRedeployOfTheRarKeepTheData() throws Exception {
        RedeployCheck.undeployAndRedeployKeepTheData(
                deployer,
                data -> {
                    HttpResponse<String> posted = http.send(
                            request("blob", GlassFishStores.DEFAULT, "")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, posted.statusCode(), posted.body());
                    return Long.parseLong(posted.body());
                },
                id -> http.send(
                        request("blob", GlassFishStores.DEFAULT, "id=" + id)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    private HttpRequest.Builder request(String path, String jndi, String query) {
        String q = "jndi=" + URLEncoder.encode(jndi, StandardCharsets.UTF_8) + (query.isEmpty() ? "" : "&" + query);
        return HttpRequest.newBuilder(HTTP.resolve(path + "?" + q));
    }

    private HttpResponse<String> get(String path, String jndi, String query) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request(path, jndi, query).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    /** Runs {@code $GLASSFISH_HOME/bin/asadmin} with {@code args}; it must succeed within a minute. */
    private static void asadmin(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(
                Path.of(System.getProperty("glassfish.home"), "bin", "asadmin").toString());
        command.add("--interactive=false");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES), "asadmin " + args[0] + " did not end");
        assertEquals(0, process.exitValue(), command + ": " + output);
    }

    private String monitoring(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return response.body();
    }

    /** {@code field} of statistic {@code name} in a monitoring node's JSON. */
    private static long figure(String json, String name, String field) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\{[^}]*\"" + field + "\"\\s*:\\s*(-?\\d+)")
                .matcher(json);
        assertTrue(m.find(), name + "." + field + " not in " + json);
        return Long.parseLong(m.group(1));
    }
}
