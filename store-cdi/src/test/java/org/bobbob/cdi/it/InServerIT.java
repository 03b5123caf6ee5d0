package org.bobbob.cdi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.cdi.Store;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Inject Storer} inside WildFly, over the resource adapter exactly as built: in a servlet,
 * an {@code @ApplicationScoped} bean, a {@code @Stateless} EJB and this test, with store-cdi.jar in
 * {@code WEB-INF/lib} and the configuration in the WAR's {@code microprofile-config.properties}.
 * The pool the default store uses has statistics on, so its in-use count is the server's own.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(PooledStoreSetup.class)
class InServerIT {
    private static final int REQUESTS = 20;
    private static final int OBJECTS = 50;

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(property("store.rar")));
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return webApp(
                        "cdi-it.war",
                        BlobServlet.class,
                        AppBlobs.class,
                        StatelessBlobs.class,
                        TransactionalBlobs.class,
                        WorkloadBean.class,
                        Workload.class,
                        PoolStats.class)
                .addAsResource("it/microprofile-config.properties", "META-INF/microprofile-config.properties");
    }

    /** No configuration at all: the default store is the adapter's java:/bobbob/DefaultStore. */
    @Deployment(name = "plain", order = 3, testable = false)
    static WebArchive plain() {
        return webApp("plain-it.war", PlainServlet.class);
    }

    @Deployment(name = "misconfigured", managed = false, testable = false)
    @ShouldThrowException(org.jboss.arquillian.container.spi.client.container.DeploymentException.class)
    static WebArchive misconfigured() {
        return webApp("misconfigured-it.war", MisconfiguredBean.class);
    }

    /** A WAR as an application builds it: its classes, store-cdi.jar in WEB-INF/lib, the RAR's module imported. */
    private static WebArchive webApp(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name)
                .addClasses(classes)
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

    @Inject
    Storer storer;

    @Inject
    @Store("shipped")
    Storer shipped;

    @Inject
    AppBlobs app;

    @Inject
    StatelessBlobs ejb;

    @Inject
    TransactionalBlobs transactional;

    // ---------------------------------------------------------------- in the server

    @Test
    @OperateOnDeployment("war")
    void theStorerIsInjectedIntoTheTestAnApplicationScopedBeanAndAStatelessEjb() throws IOException {
        assertTrue(
                storer.toString().contains("bobbob.store.default.jndi=java:/bobbob/CdiStore"),
                "configured by the WAR's microprofile-config.properties: " + storer);
        assertEquals(10, app.run(1, 5));
        assertEquals(10, ejb.run(2, 5));
        long id = app.storer().writeNewObjFromBytes("from the application-scoped bean".getBytes());
        assertArrayEquals("from the application-scoped bean".getBytes(), ejb.read(id));
        assertArrayEquals("from the application-scoped bean".getBytes(), storer.readBytesFromObj(id));

        long other = shipped.writeNewObjFromBytes(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, shipped.readBytesFromObj(other));
        assertEquals(0, PoolStats.inUse());
    }

    /**
     * {@code @Inject Storer} in a {@code @Transactional} CDI bean and in a CMT EJB joins the
     * transaction: blobs written before a failure are gone, committed ones are there, and no
     * pooled connection stays in use.
     */
    @Test
    @OperateOnDeployment("war")
    void theInjectedStorerJoinsTheCallersTransaction() throws IOException {
        java.util.List<Long> dropped = new java.util.ArrayList<>();
        assertThrows(IllegalStateException.class, () -> transactional.writeThenThrow(3, dropped));
        java.util.List<Long> droppedByEjb = new java.util.ArrayList<>();
        assertThrows(jakarta.ejb.EJBException.class, () -> ejb.writeThenThrow(2, droppedByEjb));
        dropped.addAll(droppedByEjb);
        assertEquals(5, dropped.size());
        for (long id : dropped) {
            assertThrows(org.bobbob.store.ObjectNotFoundException.class, () -> storer.readBytesFromObj(id));
        }
        java.util.List<Long> kept = new java.util.ArrayList<>();
        transactional.write(2, kept);
        for (int i = 0; i < kept.size(); i++) {
            assertArrayEquals(new byte[] {(byte) i, 42}, storer.readBytesFromObj(kept.get(i)));
        }
        assertEquals(0, PoolStats.inUse());
    }

    @Test
    @OperateOnDeployment("war")
    void aLateHandleHoldsOnePooledConnectionUntilItIsClosed() throws IOException {
        assertEquals(0, PoolStats.inUse());
        long id = storer.writeNewObjFromBytes(new byte[] {4, 5, 6});
        ObjectWriter writer = storer.lateWriteNewObj(3);
        assertEquals(1, PoolStats.inUse());
        ObjectReader reader = app.storer().lateReadObj(id);
        assertEquals(2, PoolStats.inUse());
        storer.newObj(1);
        assertEquals(2, PoolStats.inUse(), "a plain call in between gives its own connection back");

        writer.write(ByteBuffer.wrap(new byte[] {7, 8, 9}));
        writer.close();
        assertEquals(1, PoolStats.inUse());
        assertEquals(3, reader.asInputStream().readAllBytes().length);
        reader.close();
        assertEquals(0, PoolStats.inUse());
        assertArrayEquals(new byte[] {7, 8, 9}, storer.readBytesFromObj(writer.id()));
        assertTrue(PoolStats.maxUsed() >= 2, "the statistics count: max used " + PoolStats.maxUsed());
    }

    // ---------------------------------------------------------------- from outside, over HTTP

    @Test
    @RunAsClient
    @OperateOnDeployment("war")
    void twentyConcurrentRequestsOfFiftyObjectsEachLeaveNoConnectionInUse(
            @ArquillianResource @OperateOnDeployment("war") URL base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String[] via = {"servlet", "app", "ejb"};
        CyclicBarrier start = new CyclicBarrier(REQUESTS);
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        long began = System.nanoTime();
        int operations = 0;
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int r = 0; r < REQUESTS; r++) {
                URI uri = base.toURI()
                        .resolve("blobs/run?via=" + via[r % via.length] + "&seed=" + (1000 + r) + "&n=" + OBJECTS);
                responses.add(threads.submit(() -> {
                    start.await();
                    return http.send(
                            HttpRequest.newBuilder(uri)
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            for (Future<HttpResponse<String>> f : responses) {
                HttpResponse<String> response = f.get(120, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                operations += Integer.parseInt(response.body());
            }
        } finally {
            threads.shutdownNow();
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(REQUESTS * OBJECTS * 2, operations);

        String[] pool = http.send(
                        HttpRequest.newBuilder(base.toURI().resolve("blobs/pool"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body()
                .split(" ");
        int inUse = Integer.parseInt(pool[0]);
        int maxUsed = Integer.parseInt(pool[1]);
        System.out.printf(
                "BOBBOB-CDI %d requests x %d objects = %d injected operations in %d ms;"
                        + " pool in use after: %d, max used: %d%n",
                REQUESTS, OBJECTS, operations, millis, inUse, maxUsed);
        assertTrue(operations >= 1000);
        assertEquals(0, inUse, "every injected operation gave its connection back");
        assertTrue(maxUsed >= 1 && maxUsed <= REQUESTS, "one connection per request at a time: " + maxUsed);
    }

    @Test
    @RunAsClient
    @OperateOnDeployment("war")
    void withoutConfigurationTheDefaultStoreIsTheAdaptersJavaBobbobDefaultStore(
            @ArquillianResource @OperateOnDeployment("plain") URL plain,
            @ArquillianResource @OperateOnDeployment("war") URL war)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        byte[] data = "written by a WAR with no store configuration".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> posted = http.send(
                HttpRequest.newBuilder(plain.toURI().resolve("plain"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());

        HttpResponse<byte[]> read = http.send(
                HttpRequest.newBuilder(war.toURI().resolve("blobs/shipped?id=" + posted.body()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, read.statusCode(), new String(read.body(), StandardCharsets.UTF_8));
        assertArrayEquals(data, read.body(), "@Store(\"shipped\") is java:/bobbob/DefaultStore by configuration");
    }

    @Test
    @RunAsClient
    @OperateOnDeployment("war")
    void anUnconfiguredStoreFailsTheDeploymentAndTheServerLogNamesTheKey(@ArquillianResource Deployer deployer)
            throws IOException {
        deployer.deploy("misconfigured"); // @ShouldThrowException: passes only if the deployment fails
        String log = Files.readString(Path.of(property("it.server.dir"), "log", "server.log"));
        assertTrue(
                log.contains("[BOB-702] bobbob.store.missing.jndi / bobbob.store.missing.url: store 'missing'"
                        + " is not configured"),
                "server.log should name the key");
        assertTrue(log.contains("Read from MicroProfile Config."), "WildFly's MicroProfile Config was used");
    }
}
