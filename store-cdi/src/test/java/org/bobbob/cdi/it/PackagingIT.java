package org.bobbob.cdi.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The beans.xml choice at work: store-cdi.jar is not a bean archive and its extension adds the
 * producers, so {@code @Inject Storer} works when the jar is not in the WAR at all: in an EAR's
 * {@code lib/}, and as a separate deployment the WAR depends on. (In {@code WEB-INF/lib}:
 * {@link InServerIT}.) Both applications have no configuration, so both use the adapter's
 * {@code java:/bobbob/DefaultStore} and see each other's objects.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PackagingIT {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(property("store.rar")));
    }

    /** store-cdi.jar in the EAR's lib/, a web module without it. */
    @Deployment(name = "ear", order = 2, testable = false)
    static EnterpriseArchive ear() {
        WebArchive web = ShrinkWrap.create(WebArchive.class, "ear-web.war")
                .addClasses(PlainServlet.class)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        return ShrinkWrap.create(EnterpriseArchive.class, "cdi-ear-it.ear")
                .addAsLibrary(storeCdiJar())
                .addAsModule(web)
                .addAsManifestResource("it/ear-jboss-deployment-structure.xml", "jboss-deployment-structure.xml");
    }

    /** store-cdi.jar deployed on its own, with the descriptor a deployer adds to reach the RAR. */
    @Deployment(name = "library", order = 3, testable = false)
    static JavaArchive library() {
        return ShrinkWrap.create(JavaArchive.class, "store-cdi.jar")
                .merge(storeCdiJar())
                .addAsManifestResource("it/library-jboss-deployment-structure.xml", "jboss-deployment-structure.xml");
    }

    /** A WAR without store-cdi.jar that depends on the library deployment's module. */
    @Deployment(name = "module", order = 4, testable = false)
    static WebArchive module() {
        return ShrinkWrap.create(WebArchive.class, "module-it.war")
                .addClasses(PlainServlet.class)
                .addAsWebInfResource("it/module-jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    private static JavaArchive storeCdiJar() {
        return ShrinkWrap.createFromZipFile(JavaArchive.class, new File(property("store.cdi.jar")));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through failsafe");
        }
        return value;
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @OperateOnDeployment("ear")
    void inAnEarLibAndAsADeploymentTheWarDependsOnTheStorerIsInjected(
            @ArquillianResource @OperateOnDeployment("ear") URL ear,
            @ArquillianResource @OperateOnDeployment("module") URL module)
            throws Exception {
        byte[] fromEar = "written from the EAR".getBytes(StandardCharsets.UTF_8);
        byte[] fromModule = "written from the WAR with a module dependency".getBytes(StandardCharsets.UTF_8);
        long earId = post(ear, fromEar);
        long moduleId = post(module, fromModule);

        assertArrayEquals(fromEar, get(module, earId));
        assertArrayEquals(fromModule, get(ear, moduleId));
    }

    private long post(URL base, byte[] data) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.toURI().resolve("plain"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), base + ": " + response.body());
        return Long.parseLong(response.body());
    }

    private byte[] get(URL base, long id) throws Exception {
        URI uri = base.toURI().resolve("plain?id=" + id);
        HttpResponse<byte[]> response =
                http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), uri + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }
}
