package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

/**
 * The definition of docs/RAR.md's {@code standalone.xml} example, in a WildFly this test starts
 * itself with the RAR deployed at boot: WildFly's {@code /metrics} carries the store's figures
 * ({@code statistics=extended}) and the pool's, with the exact counts of a known workload. (A
 * definition activated by the CLI after boot shows in the management model only, see
 * {@code PoolAndRedeployIT}.)
 */
class MetricsIT {
    /** Beside the Arquillian-managed server (0) and RecoveryIT's (300): HTTP 8480, management 10390. */
    private static final int OFFSET = 400;

    private static final String START = "```xml\n<subsystem xmlns=\"urn:jboss:domain:resource-adapters:7.1\">";
    private static final String LABELS = "{resource_adapter=\"bobbob\",connection_definitions=\"Blobs\"}";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private OwnServer server;

    @Test
    void theDocumentedBootTimeDefinitionShowsItsStoreAndPoolFiguresInMetrics() throws Exception {
        server = new OwnServer("metrics-server", OFFSET);
        server.editConfig("<subsystem xmlns=\"urn:jboss:domain:resource-adapters:7.1\"/>", documentedDefinition());
        Files.copy(
                Path.of(OwnServer.required("store.rar")), server.deployments().resolve(ItArchives.RAR));
        ItArchives.warBesideTheRar("metrics-it.war", BlobServlet.class)
                .as(ZipExporter.class)
                .exportTo(server.deployments().resolve("metrics-it.war").toFile());
        OwnServer.Running running = server.start();
        try {
            Map<String, Double> before = figures();
            assertEquals(0.0, before.get("wildfly_resource_adapters_extended_writes"), "nothing written yet");
            long[] ids = new long[5];
            int total = 0;
            for (int i = 0; i < ids.length; i++) {
                byte[] data = new byte[1000 * (i + 1)];
                data[0] = (byte) i;
                ids[i] = Long.parseLong(send(HttpRequest.newBuilder(blob(""))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                        .build()));
                total += data.length;
            }
            for (long id : ids) {
                send(HttpRequest.newBuilder(blob("&id=" + id)).GET().build());
            }
            Map<String, Double> after = figures();
            assertFigure(after, "extended_writes", 5);
            assertFigure(after, "extended_bytes_written", total);
            assertFigure(after, "extended_reads", 5);
            assertFigure(after, "extended_bytes_read", total);
            assertFigure(after, "extended_objects", 5);
            assertFigure(after, "extended_live_bytes", total);
            assertFigure(after, "extended_deletes", 0);
            assertFigure(after, "extended_open_late_handles", 0);
            assertFigure(after, "pool_in_use_count", 0);
            assertTrue(after.get("wildfly_resource_adapters_pool_created_count") >= 1, "the pool made a connection");
            assertTrue(after.get("wildfly_resource_adapters_extended_syncs") >= 5, "each POST synced");

            // four JTA transactions of one object each, every other one rolled back
            String there =
                    send(HttpRequest.newBuilder(server.http("metrics-it/blob/txcycles?n=4&jndi=java:/bobbob/Blobs"))
                            .GET()
                            .build());
            assertEquals("2", there);
            Map<String, Double> txs = figures();
            assertFigure(txs, "extended_transactions_committed", 2);
            assertFigure(txs, "extended_transactions_rolled_back", 2);
            assertFigure(txs, "extended_transactions_active", 0);
            assertFigure(txs, "extended_transactions_in_doubt", 0);
            assertFigure(txs, "extended_objects", 7);
        } finally {
            running.stop();
        }
    }

    /** The {@code <subsystem>} element of docs/RAR.md's {@code standalone.xml} example. */
    private static String documentedDefinition() throws IOException {
        String doc = Files.readString(Path.of(OwnServer.required("project.basedir"), "..", "docs", "RAR.md"));
        int from = doc.indexOf(START);
        assertTrue(from >= 0, "docs/RAR.md has no standalone.xml example starting " + START);
        int to = doc.indexOf("```", from + START.length());
        return doc.substring(from + "```xml\n".length(), to);
    }

    private java.net.URI blob(String query) {
        return server.http("metrics-it/blob?jndi=java:/bobbob/Blobs" + query);
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), request.uri() + ": " + response.body());
        return response.body();
    }

    /** The resource adapter figures {@code /metrics} has for definition Blobs, by metric name. */
    private Map<String, Double> figures() throws IOException, InterruptedException {
        String text =
                send(HttpRequest.newBuilder(server.management("metrics")).GET().build());
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int labels = line.indexOf(LABELS);
            if (!line.startsWith("#") && line.startsWith("wildfly_resource_adapters_") && labels > 0) {
                out.put(
                        line.substring(0, labels),
                        Double.parseDouble(
                                line.substring(labels + LABELS.length()).trim()));
            }
        }
        assertTrue(
                out.containsKey("wildfly_resource_adapters_extended_writes"), "no store figures in /metrics: " + text);
        assertTrue(
                out.containsKey("wildfly_resource_adapters_pool_in_use_count"), "no pool figures in /metrics: " + text);
        return out;
    }

    private static void assertFigure(Map<String, Double> figures, String name, double expected) {
        assertEquals(expected, figures.get("wildfly_resource_adapters_" + name), name);
    }
}
