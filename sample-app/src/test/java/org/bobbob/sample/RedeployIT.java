package org.bobbob.sample;

import static org.bobbob.sample.Http.send;
import static org.bobbob.sample.Http.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Blobs and their rows outlive the app and the adapter: undeploy both, deploy again, read the
 * blobs back and find them listed by key with their sizes and SHA-256s.
 */
@ExtendWith(ArquillianExtension.class)
class RedeployIT {

    @Deployment(name = "rar", order = 1, managed = false, testable = false)
    static ResourceAdapterArchive rar() {
        return Http.rar();
    }

    @Deployment(name = "war", order = 2, managed = false, testable = false)
    static WebArchive war() {
        return Http.war();
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    @RunAsClient
    void blobsSurviveUndeployAndRedeploy() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + Integer.getInteger("it.http.port", 8080) + "/sample-app/");
        Map<String, byte[]> written = new LinkedHashMap<>();
        String prefix = "redeploy-" + System.nanoTime() + "/";
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            SplittableRandom r = new SplittableRandom(17);
            for (int i = 0; i < 20; i++) {
                byte[] data = new byte[r.nextInt(50_000)];
                r.nextBytes(data);
                String key = prefix + String.format("%02d", i);
                HttpResponse<byte[]> put =
                        send(to(base, "api/blobs/" + key).PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
                assertEquals(201, put.statusCode(), Http.text(put));
                written.put(key, data);
            }
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar"); // the adapter stops: the store is synced and closed
        }
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            for (Map.Entry<String, byte[]> e : written.entrySet()) {
                assertArrayEquals(
                        e.getValue(), send(to(base, "api/blobs/" + e.getKey())).body());
            }
            // their rows are in the datasource's database, which the server keeps: in key order
            List<String> ids = new ArrayList<>(written.keySet());
            HttpResponse<byte[]> listing = send(to(base, "api/blobs?limit=20&prefix=" + prefix));
            assertEquals(200, listing.statusCode(), Http.text(listing));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items =
                    (List<Map<String, Object>>) Http.json(listing).get("items");
            assertEquals(ids.size(), items.size());
            for (int i = 0; i < ids.size(); i++) {
                byte[] data = written.get(ids.get(i));
                assertEquals(ids.get(i), items.get(i).get("key"));
                assertEquals((long) data.length, items.get(i).get("size"));
                assertEquals(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(data)),
                        items.get(i).get("sha256"));
            }
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar");
        }
    }
}
