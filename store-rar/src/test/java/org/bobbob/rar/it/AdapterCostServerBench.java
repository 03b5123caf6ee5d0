package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter's per-call cost inside WildFly: deploys the built RAR (with one definition,
 * {@code java:/bobbob/CostStore}, on a store in {@code /dev/shm/bobbob-cost}) and
 * {@link AdapterCostServlet}, and prints the servlet's table. Not part of the test run (the class
 * name matches no failsafe include); run it with
 *
 * <pre>
 * mvn -B -o -pl store-core,store-rar -am verify -Dit.test=AdapterCostServerBench -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dbench.ops} and {@code -Dbench.warmup} (defaults 50 000 and 20 000) reach the servlet;
 * {@code -Dbench.rounds=true} prints every round as well as the medians.
 * The pooled store's file stays in {@code /dev/shm/bobbob-cost} until the next run deletes it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdapterCostServerBench {
    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar("cost-ironjacamar.xml");
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return ItArchives.warBesideTheRar("cost-it.war", AdapterCostServlet.class, CostBean.class, Timing.class);
    }

    @ArquillianResource
    ManagementClient management;

    @Test
    @OperateOnDeployment("war")
    void table() throws Exception {
        URI base = management.getWebUri().resolve("/cost-it/");
        // the last run's files (no connection has opened the store yet: the pool is empty)
        Files.deleteIfExists(Path.of("/dev/shm/bobbob-cost/pooled.bob"));
        String query = "jndi=" + URLEncoder.encode("java:/bobbob/CostStore", StandardCharsets.UTF_8)
                + "&dir=" + URLEncoder.encode("/dev/shm/bobbob-cost/direct", StandardCharsets.UTF_8)
                + "&ops=" + Integer.getInteger("bench.ops", 50_000)
                + "&warmup=" + Integer.getInteger("bench.warmup", 20_000)
                + "&rounds=" + Boolean.getBoolean("bench.rounds");
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // an h2c connection idle for minutes gets GOAWAY
                .build()
                .send(
                        HttpRequest.newBuilder(base.resolve("cost?" + query))
                                .timeout(Duration.ofMinutes(15))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        System.out.println();
        System.out.println(response.body());
    }
}
