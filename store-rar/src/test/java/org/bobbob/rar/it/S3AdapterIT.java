package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bobbob:s3:} stores in WildFly, from {@code target/store-rar-s3.rar} as built: an
 * in-process S3Proxy in this (the client's) JVM on 127.0.0.1, the RAR deployed with an
 * {@code ironjacamar.xml} of two {@code NoTransaction} definitions on one bucket and prefix, and a
 * WAR beside it driven over HTTP. The server gets the S3 credentials as a WildFly user gives them
 * to the AWS SDK's default chain: system properties {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} ({@link Setup}, which also adds the activations of docs/RAR.md's
 * "S3 stores in WildFly": one {@code NoTransaction}, one {@code XATransaction}). What the adapter
 * writes is read back here from the bucket by a store of this JVM on the same URL.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup(S3AdapterIT.Setup.class)
class S3AdapterIT {
    static final String RAR = "store-rar-s3.rar";
    static final String ACCESS_KEY = "bobbob-rar-it-access";
    static final String SECRET_KEY = "bobbob-rar-it-SECRET-5f1d3c";
    static final String BUCKET = "rar-it";
    static final String SHARED = "java:/bobbob/S3";
    static final String SHARED_TOO = "java:/bobbob/S3Too";
    static final String CLI = "java:/bobbob/S3Cli";
    static final String XA = "java:/bobbob/S3Xa";
    /** Definitions with credentials of their own: the right ones, and a wrong secret. */
    static final String OWN = "java:/bobbob/S3Own";

    static final String WRONG = "java:/bobbob/S3Wrong";
    static final String WRONG_SECRET = "bobbob-rar-it-WRONG-0b9e7d";

    /** Started when the class is loaded: {@link #rar()} needs its port. */
    private static final S3ProxyJunitCore PROXY = startProxy();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static S3ProxyJunitCore startProxy() {
        try {
            S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder()
                    .withCredentials(ACCESS_KEY, SECRET_KEY)
                    .withBlobStoreProvider("transient-nio2")
                    .build();
            proxy.beforeEach();
            return proxy;
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy does not start", e);
        }
    }

    @AfterAll
    static void stopProxy() {
        PROXY.afterEach();
    }

    /** {@code bobbob:s3://rar-it/<prefix>?endpoint=http://127.0.0.1:<port>&pathStyle=true}. */
    static String url(String prefix) {
        String endpoint = PROXY.getUri().toString().replaceAll("/$", "");
        return "bobbob:s3://" + BUCKET + "/" + prefix + "?endpoint=" + endpoint + "&pathStyle=true";
    }

    /**
     * The key the adapter's MXBean lists for a store of {@code prefix}: its URL, whose s3 keys
     * ({@code endpoint}, {@code pathStyle}) are already in key order.
     */
    static String key(String prefix) {
        return url(prefix);
    }

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        String path = System.getProperty("store.rar.s3");
        if (path == null) {
            throw new IllegalStateException(
                    "system property store.rar.s3 (the built S3 flavour) is not set; run through failsafe");
        }
        ResourceAdapterArchive rar = ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(path));
        rar.delete("META-INF/ironjacamar.xml");
        String url = url("shared").replace("&", "&amp;");
        rar.addAsManifestResource(
                new StringAsset(
                        """
                        <ironjacamar xmlns="http://www.ironjacamar.org/doc/schema">
                          <transaction-support>NoTransaction</transaction-support>
                          <connection-definitions>
                            <connection-definition class-name="org.bobbob.rar.StoreManagedConnectionFactory"
                                                   jndi-name="%s">
                              <config-property name="url">%s</config-property>
                            </connection-definition>
                            <connection-definition class-name="org.bobbob.rar.StoreManagedConnectionFactory"
                                                   jndi-name="%s">
                              <config-property name="url">%s</config-property>
                            </connection-definition>
                          </connection-definitions>
                        </ironjacamar>
                        """
                                .formatted(SHARED, url, SHARED_TOO, url)),
                "ironjacamar.xml");
        return rar;
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "s3-it.war")
                .addClass(S3BlobServlet.class)
                .addAsWebInfResource(
                        new StringAsset(
                                """
                                <jboss-deployment-structure xmlns="urn:jboss:deployment-structure:1.3">
                                  <deployment>
                                    <dependencies>
                                      <module name="deployment.%s"/>
                                    </dependencies>
                                  </deployment>
                                </jboss-deployment-structure>
                                """
                                        .formatted(RAR)),
                        "jboss-deployment-structure.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** A store of this JVM on the bucket and prefix, with the credentials as Properties. */
    private static Storer direct(String prefix) throws IOException {
        Properties credentials = new Properties();
        credentials.setProperty("accessKey", ACCESS_KEY);
        credentials.setProperty("secretKey", SECRET_KEY);
        return StoreManager.open(url(prefix), credentials);
    }

    @Test
    @OperateOnDeployment("war")
    void writesOverwritesAndDeletesThroughTheAdapterLandInTheBucket(
            @ArquillianResource @OperateOnDeployment("war") URL base) throws Exception {
        byte[] hello = "hello, bucket".getBytes(StandardCharsets.US_ASCII);
        long id = Long.parseLong(ok(send(base, "POST", SHARED, "", hello)));
        try (Storer bucket = direct("shared")) {
            assertArrayEquals(hello, bucket.readBytesFromObj(id), "the object is in the bucket");
            assertArrayEquals(hello, bytes(send(base, "GET", SHARED, "id=" + id, null)));

            assertEquals(
                    204, send(base, "PUT", SHARED, "id=" + id, bytes("HELLO")).statusCode());
            byte[] overwritten = bytes("HELLO, bucket");
            assertArrayEquals(overwritten, bytes(send(base, "GET", SHARED, "id=" + id, null)));
            assertArrayEquals(overwritten, bucket.readBytesFromObj(id), "the overwrite is in the bucket");

            long mine = bucket.writeNewObjFromBytes(bytes("from the test"));
            assertArrayEquals(
                    bytes("from the test"),
                    bytes(send(base, "GET", SHARED, "id=" + mine, null)),
                    "an object put into the bucket from outside reads through the adapter");

            assertEquals(204, send(base, "DELETE", SHARED, "id=" + id, null).statusCode());
            assertEquals(404, send(base, "GET", SHARED, "id=" + id, null).statusCode());
            assertEquals(404, send(base, "DELETE", SHARED, "id=" + id, null).statusCode());
            assertThrows(ObjectNotFoundException.class, () -> bucket.readBytesFromObj(id), "gone from the bucket");
        }
    }

    @Test
    @OperateOnDeployment("war")
    void twoDefinitionsOnOneUrlShareOneOpenStore(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        long id = Long.parseLong(ok(send(base, "POST", SHARED, "", bytes("one store"))));
        assertArrayEquals(bytes("one store"), bytes(send(base, "GET", SHARED_TOO, "id=" + id, null)));

        String shared = ok(send(
                base,
                "GET",
                "/shared",
                SHARED,
                "other=" + enc(SHARED_TOO) + "&id=" + id + "&key=" + enc(key("shared")),
                null));
        List<String> lines = List.of(shared.split("\n"));
        assertEquals(List.of(key("shared")), lines.subList(0, lines.size() - 1), "one open store: " + shared);
        int references = Integer.parseInt(lines.get(lines.size() - 1).replace("references=", ""));
        assertTrue(references >= 2, "the connections of both definitions hold it: " + shared);
    }

    @Test
    @OperateOnDeployment("war")
    void twentyThreadsWriteTwentyObjectsEachAndAllReadBack(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        byte[] data = bytes("thread " + thread + " object " + i + " " + "x".repeat(thread * 37 + i));
                        String jndi = i % 2 == 0 ? SHARED : SHARED_TOO;
                        long id = Long.parseLong(ok(send(base, "POST", jndi, "", data)));
                        written.put(id, data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(400, written.size(), "400 distinct ids");
        long wrote = System.nanoTime();
        try (Storer bucket = direct("shared")) {
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(e.getValue(), bytes(send(base, "GET", SHARED, "id=" + e.getKey(), null)));
                assertArrayEquals(e.getValue(), bucket.readBytesFromObj(e.getKey()), "in the bucket");
            }
        }
        System.out.printf(
                "BOBBOB-TIMING S3AdapterIT: 400 POSTs from 20 threads %d ms; 400 reads through the adapter"
                        + " and 400 from the bucket, one thread, %d ms%n",
                (wrote - start) / 1_000_000, (System.nanoTime() - wrote) / 1_000_000);
    }

    /** docs/RAR.md's CLI example: an activation of the deployed RAR, NoTransaction, one s3 url. */
    @Test
    @OperateOnDeployment("war")
    void aDefinitionInTheSubsystemWorksWithNoTransaction(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        long id = Long.parseLong(ok(send(base, "POST", CLI, "", bytes("by the CLI"))));
        assertArrayEquals(bytes("by the CLI"), bytes(send(base, "GET", CLI, "id=" + id, null)));
        try (Storer bucket = direct("cli")) {
            assertArrayEquals(bytes("by the CLI"), bucket.readBytesFromObj(id));
        }
    }

    /**
     * A definition's {@code accessKey}/{@code secretKey} are what its store signs with, not the
     * server's chain: the right pair of its own works; a wrong secret is refused by the server
     * although the chain (the {@code aws.*} system properties) holds the right one, and the
     * failure shows neither secret.
     */
    @Test
    @OperateOnDeployment("war")
    void aDefinitionsOwnCredentialsAreTheOnesItsStoreUses(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        long id = Long.parseLong(ok(send(base, "POST", OWN, "", bytes("with its own keys"))));
        try (Storer bucket = direct("own")) {
            assertArrayEquals(bytes("with its own keys"), bucket.readBytesFromObj(id));
        }
        HttpResponse<byte[]> refused = send(base, "POST", WRONG, "", bytes("never"));
        String body = new String(refused.body(), StandardCharsets.UTF_8);
        assertEquals(500, refused.statusCode(), body);
        assertTrue(body.contains("BOB-608") && body.contains("403"), body);
        assertFalse(body.contains(WRONG_SECRET) || body.contains(SECRET_KEY), body);
    }

    /** An S3 store has no transactions: an XATransaction definition's connections are refused. */
    @Test
    @OperateOnDeployment("war")
    void anXaTransactionDefinitionIsRefusedWithBob633(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        for (String tx : new String[] {"false", "true"}) {
            HttpResponse<byte[]> r = send(base, "POST", XA, "tx=" + tx, bytes("never"));
            String body = new String(r.body(), StandardCharsets.UTF_8);
            assertEquals(500, r.statusCode(), "tx=" + tx + ": " + body);
            assertTrue(body.contains("BOB-633"), "tx=" + tx + ": " + body);
        }
        try (Storer bucket = direct("xa")) {
            assertFalse(bucket.isWrapperFor(org.bobbob.store.TransactionalStore.class));
        }
    }

    // ---------------------------------------------------------------- HTTP to S3BlobServlet

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> send(URL base, String method, String jndi, String query, byte[] body)
            throws IOException, InterruptedException {
        return send(base, method, "", jndi, query, body);
    }

    private HttpResponse<byte[]> send(URL base, String method, String sub, String jndi, String query, byte[] body)
            throws IOException, InterruptedException {
        URI uri = URI.create(base + "s3" + sub + "?jndi=" + enc(jndi) + (query.isEmpty() ? "" : "&" + query));
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(method, publisher)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bytes(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        return r.body();
    }

    private static String ok(HttpResponse<byte[]> r) {
        return new String(bytes(r), StandardCharsets.UTF_8);
    }

    /**
     * Before the deployments: the SDK's credentials as system properties, and two activations of
     * the RAR (it is not deployed yet; WildFly activates them when it is): {@code NoTransaction}
     * with {@link #CLI}, {@code XATransaction} with {@link #XA}. After the undeploy: all removed.
     */
    static final class Setup implements ServerSetupTask {
        private static final String[][] PROPERTIES = {
            {"aws.accessKeyId", ACCESS_KEY}, {"aws.secretAccessKey", SECRET_KEY}
        };

        @Override
        public void setup(ManagementClient management, String container) throws Exception {
            for (String[] p : PROPERTIES) {
                ModelNode add = Operations.createAddOperation(Operations.createAddress("system-property", p[0]));
                add.get("value").set(p[1]);
                executeOperation(management, add);
            }
            activation(management, "bobbob-s3", "NoTransaction", CLI, url("cli"));
            activation(management, "bobbob-s3-xa", "XATransaction", XA, url("xa"));
            definition(management, "bobbob-s3", OWN, url("own"), ACCESS_KEY, SECRET_KEY);
            definition(management, "bobbob-s3", WRONG, url("wrong"), ACCESS_KEY, WRONG_SECRET);
        }

        /** One more definition of activation {@code name}, with config properties accessKey and secretKey. */
        private void definition(
                ManagementClient management, String name, String jndi, String url, String accessKey, String secretKey)
                throws IOException {
            ModelNode cd = adapter(name).add("connection-definitions", jndi);
            ModelNode addCd = Operations.createAddOperation(cd);
            addCd.get("class-name").set("org.bobbob.rar.StoreManagedConnectionFactory");
            addCd.get("jndi-name").set(jndi);
            ModelNode batch = Operations.createCompositeOperation();
            batch.get("steps").add(addCd);
            for (String[] p : new String[][] {{"url", url}, {"accessKey", accessKey}, {"secretKey", secretKey}}) {
                ModelNode add = Operations.createAddOperation(cd.clone().add("config-properties", p[0]));
                add.get("value").set(p[1]);
                batch.get("steps").add(add);
            }
            executeOperation(management, batch);
        }

        private void activation(ManagementClient management, String name, String tx, String jndi, String url)
                throws IOException {
            ModelNode ra = adapter(name);
            ModelNode addRa = Operations.createAddOperation(ra);
            addRa.get("archive").set(RAR);
            addRa.get("transaction-support").set(tx);
            ModelNode cd = ra.clone().add("connection-definitions", jndi);
            ModelNode addCd = Operations.createAddOperation(cd);
            addCd.get("class-name").set("org.bobbob.rar.StoreManagedConnectionFactory");
            addCd.get("jndi-name").set(jndi);
            ModelNode addUrl = Operations.createAddOperation(cd.clone().add("config-properties", "url"));
            addUrl.get("value").set(url);
            ModelNode batch = Operations.createCompositeOperation();
            batch.get("steps").add(addRa);
            batch.get("steps").add(addCd);
            batch.get("steps").add(addUrl);
            executeOperation(management, batch);
        }

        private static ModelNode adapter(String name) {
            return Operations.createAddress("subsystem", "resource-adapters", "resource-adapter", name);
        }

        @Override
        public void tearDown(ManagementClient management, String container) throws Exception {
            Set<String> failures = new HashSet<>();
            for (String name : new String[] {"bobbob-s3", "bobbob-s3-xa"}) {
                ModelNode r = management.getControllerClient().execute(Operations.createRemoveOperation(adapter(name)));
                if (!Operations.isSuccessfulOutcome(r)) {
                    failures.add(name + ": " + Operations.getFailureDescription(r));
                }
            }
            for (String[] p : PROPERTIES) {
                executeOperation(
                        management,
                        Operations.createRemoveOperation(Operations.createAddress("system-property", p[0])));
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("removing the activations failed: " + failures);
            }
        }
    }
}
