package org.bobbob.sample;

import static org.bobbob.sample.Http.post;
import static org.bobbob.sample.Http.send;
import static org.bobbob.sample.Http.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.URI;
import java.util.LinkedHashMap;
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

/** Blobs outlive the app and the adapter: undeploy both, deploy again, read them back. */
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
        Map<Long, byte[]> written = new LinkedHashMap<>();
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            SplittableRandom r = new SplittableRandom(17);
            for (int i = 0; i < 20; i++) {
                byte[] data = new byte[r.nextInt(50_000)];
                r.nextBytes(data);
                written.put(post(base, data), data);
            }
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar"); // the adapter stops: the store is synced and closed
        }
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                assertArrayEquals(
                        e.getValue(), send(to(base, "api/blobs/" + e.getKey())).body());
            }
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar");
        }
    }
}
