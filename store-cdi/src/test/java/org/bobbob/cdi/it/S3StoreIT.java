package org.bobbob.cdi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Properties;
import org.bobbob.store.ObjectLister;
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
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Inject @Store("remote") Storer} on a {@code bobbob:s3:} store in WildFly: the S3
 * flavour of the adapter as built ({@code store-rar-s3.rar}) with an {@code ironjacamar.xml} of
 * one {@code NoTransaction} definition, {@code java:/bobbob/Remote}, on a bucket of an S3Proxy in
 * this (the client's) JVM; a WAR with store-cdi.jar that names the store in its
 * {@code microprofile-config.properties} ({@code bobbob.store.remote.jndi}), exactly as for a file
 * store, and {@link RemoteServlet} driven over HTTP. The server's AWS SDK takes the credentials
 * from system properties ({@link Credentials}). What the servlet writes is read back from the
 * bucket by a store of this JVM, and the other way round.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup(S3StoreIT.Credentials.class)
class S3StoreIT {
    static final String RAR = "store-rar-s3.rar";
    static final String ACCESS_KEY = "bobbob-cdi-it-access";
    static final String SECRET_KEY = "bobbob-cdi-it-SECRET-77c0a9";
    static final String JNDI = "java:/bobbob/Remote";

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

    /** {@code bobbob:s3://cdi-it/remote?endpoint=http://127.0.0.1:<port>&pathStyle=true&create=true}. */
    static String url() {
        String endpoint = PROXY.getUri().toString().replaceAll("/$", "");
        return "bobbob:s3://cdi-it/remote?endpoint=" + endpoint + "&pathStyle=true&create=true";
    }

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        ResourceAdapterArchive rar =
                ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(property("store.rar.s3")));
        rar.delete("META-INF/ironjacamar.xml");
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
                          </connection-definitions>
                        </ironjacamar>
                        """
                                .formatted(JNDI, url().replace("&", "&amp;"))),
                "ironjacamar.xml");
        return rar;
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "s3-cdi-it.war")
                .addClass(RemoteServlet.class)
                .addAsLibrary(ShrinkWrap.createFromZipFile(JavaArchive.class, new File(property("store.cdi.jar"))))
                .addAsResource(
                        new StringAsset("bobbob.store.remote.jndi=" + JNDI + "\n"),
                        "META-INF/microprofile-config.properties")
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

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through failsafe");
        }
        return value;
    }

    @Test
    @OperateOnDeployment("war")
    void theInjectedNamedStorerReadsAndWritesTheBucket(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("accessKey", ACCESS_KEY);
        credentials.setProperty("secretKey", SECRET_KEY);
        try (Storer bucket = StoreManager.open(url(), credentials)) {
            String described = send(base, "GET", "", null).body();
            assertTrue(described.contains("bobbob.store.remote.jndi=" + JNDI), described);

            byte[] hello = "from @Store(\"remote\") into the bucket".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> posted = send(base, "POST", "", hello);
            assertEquals(200, posted.statusCode(), posted.body());
            long id = Long.parseLong(posted.body());
            assertArrayEquals(hello, bucket.readBytesFromObj(id), "the servlet's object is in the bucket");
            assertArrayEquals(new long[] {id}, bucket.unwrap(ObjectLister.class).objectIds());

            byte[] mine = "put into the bucket from outside".getBytes(StandardCharsets.UTF_8);
            long other = bucket.writeNewObjFromBytes(mine);
            HttpResponse<byte[]> read = http.send(
                    HttpRequest.newBuilder(URI.create(base + "remote?id=" + other))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, read.statusCode());
            assertArrayEquals(mine, read.body(), "the injected Storer reads an object made outside");

            assertEquals(204, send(base, "DELETE", "id=" + id, null).statusCode());
            assertThrows(ObjectNotFoundException.class, () -> bucket.readBytesFromObj(id), "gone from the bucket");
            assertEquals(404, send(base, "DELETE", "id=" + id, null).statusCode());
            assertEquals(404, send(base, "GET", "id=" + id, null).statusCode());
        }
    }

    private HttpResponse<String> send(URL base, String method, String query, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "remote" + (query.isEmpty() ? "" : "?" + query)))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code aws.accessKeyId} and {@code aws.secretAccessKey} as server system properties: the
     * first place the AWS SDK's default chain looks (docs/RAR.md, "S3 stores in WildFly").
     */
    static final class Credentials implements ServerSetupTask {
        private static final String[][] PROPERTIES = {
            {"aws.accessKeyId", ACCESS_KEY}, {"aws.secretAccessKey", SECRET_KEY}
        };

        @Override
        public void setup(ManagementClient management, String container) throws Exception {
            for (String[] p : PROPERTIES) {
                ModelNode add = Operations.createAddOperation(Operations.createAddress("system-property", p[0]));
                add.get("value").set(p[1]);
                execute(management, add);
            }
        }

        @Override
        public void tearDown(ManagementClient management, String container) throws Exception {
            for (String[] p : PROPERTIES) {
                execute(
                        management,
                        Operations.createRemoveOperation(Operations.createAddress("system-property", p[0])));
            }
        }

        private static void execute(ManagementClient management, ModelNode op) throws IOException {
            ModelNode result = management.getControllerClient().execute(op);
            if (!Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException(op + ": " + Operations.getFailureDescription(result));
            }
        }
    }
}
