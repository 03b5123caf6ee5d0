package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jboss.arquillian.container.test.api.Deployer;

/**
 * Client side, on any server: an object written through {@link BlobServlet} is there after the
 * RAR and the WAR (deployments "rar" and "war", not managed) are undeployed and deployed again.
 * The adapter's stop synced and closed the store, so the new deployment can lock the file again.
 * store-rar's {@code PoolAndRedeployIT} and store-glassfish-it run it.
 */
public final class RedeployCheck {
    /** Writes {@code data}, answers its id. */
    @FunctionalInterface
    public interface Write {
        long write(byte[] data) throws Exception;
    }

    /** Reads object {@code id} over HTTP. */
    @FunctionalInterface
    public interface Read {
        HttpResponse<byte[]> read(long id) throws Exception;
    }

    private RedeployCheck() {}

    public static void undeployAndRedeployKeepTheData(Deployer deployer, Write write, Read read) throws Exception {
        deployer.deploy("rar");
        deployer.deploy("war");
        byte[] data = "survives a redeploy".getBytes(StandardCharsets.UTF_8);
        long id;
        try {
            id = write.write(data);
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar");
        }
        deployer.deploy("rar");
        deployer.deploy("war");
        try {
            HttpResponse<byte[]> back = read.read(id);
            assertEquals(200, back.statusCode(), new String(back.body(), StandardCharsets.UTF_8));
            assertArrayEquals(data, back.body());
        } finally {
            deployer.undeploy("war");
            deployer.undeploy("rar");
        }
    }
}
