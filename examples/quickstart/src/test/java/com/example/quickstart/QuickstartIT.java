package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quickstart as it is shipped: target/store-rar.rar and target/quickstart.war, as the build
 * made them, deployed in that order into the WildFly the build unpacked, after the README's
 * archive-store.cli; then its REST API over HTTP.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(ArchiveStoreSetup.class)
@RunAsClient
class QuickstartIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(
                ResourceAdapterArchive.class, new File(ArchiveStoreSetup.property("store.rar")));
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(ArchiveStoreSetup.property("quickstart.war")));
    }

    @Test
    void aBlobPostedToTheDefaultStoreReadsBack(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        byte[] body = "hello, bobbob".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = post(base, "api/blobs", body);
        assertEquals(201, created.statusCode(), created.body());
        URI location = URI.create(created.headers().firstValue("Location").orElseThrow());
        assertEquals(base.toURI().resolve("api/blobs/" + created.body()), location);

        HttpResponse<byte[]> read = get(location);
        assertEquals(200, read.statusCode());
        assertArrayEquals(body, read.body());
    }

    @Test
    void theNamedStoreIsAStoreOfItsOwn(@ArquillianResource @OperateOnDeployment("war") URL base) throws Exception {
        long[] before = objects(base);
        byte[] body = new byte[10_000];
        Arrays.fill(body, (byte) 7);
        HttpResponse<String> created = post(base, "api/archive", body);
        assertEquals(201, created.statusCode(), created.body());

        HttpResponse<byte[]> read = get(base.toURI().resolve("api/archive/" + created.body()));
        assertEquals(200, read.statusCode());
        assertArrayEquals(body, read.body());
        long[] after = objects(base);
        assertEquals(before[0], after[0], "the default store did not change");
        assertEquals(before[1] + 1, after[1], "the archive holds one object more");
    }

    @Test
    void aTransactionThatFailsLeavesNeitherBlob(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        long[] before = objects(base);
        HttpResponse<String> refused = post(base, "api/blobs/pair?fail=true", new byte[] {1, 2, 3});
        assertEquals(409, refused.statusCode(), refused.body());

        for (String id : refused.body().split(" ")) {
            HttpResponse<byte[]> read = get(base.toURI().resolve("api/blobs/" + id));
            assertEquals(404, read.statusCode(), "blob " + id + " was rolled back");
        }
        assertArrayEquals(before, objects(base));
    }

    @Test
    void aTransactionThatCommitsKeepsBothBlobs(@ArquillianResource @OperateOnDeployment("war") URL base)
            throws Exception {
        long[] before = objects(base);
        byte[] body = {4, 5, 6, 7};
        HttpResponse<String> created = post(base, "api/blobs/pair", body);
        assertEquals(201, created.statusCode(), created.body());

        String[] ids = created.body().split(" ");
        assertEquals(2, ids.length);
        for (String id : ids) {
            HttpResponse<byte[]> read = get(base.toURI().resolve("api/blobs/" + id));
            assertEquals(200, read.statusCode());
            assertArrayEquals(body, read.body());
        }
        assertEquals(before[0] + 2, objects(base)[0]);
    }

    /** The object counts of the default store and the archive, from {@code GET /api/stores}. */
    private long[] objects(URL base) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.toURI().resolve("api/stores")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        String[] parts = response.body().split(" ");
        assertEquals(2, parts.length, response.body());
        return new long[] {
            Long.parseLong(parts[0].substring("default=".length())),
            Long.parseLong(parts[1].substring("archive=".length()))
        };
    }

    private HttpResponse<String> post(URL base, String path, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.toURI().resolve(path))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
