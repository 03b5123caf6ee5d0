package org.bobbob.sample;

import static org.bobbob.sample.Http.NOBODY;
import static org.bobbob.sample.Http.READER;
import static org.bobbob.sample.Http.WRITER;
import static org.bobbob.sample.Http.anonymous;
import static org.bobbob.sample.Http.as;
import static org.bobbob.sample.Http.assertError;
import static org.bobbob.sample.Http.json;
import static org.bobbob.sample.Http.send;
import static org.bobbob.sample.Http.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, against the application realm's users the build gives the test server
 * (writer, reader, nobody): writes need role writer, reads are public until system property
 * {@code bobbob.sample.reads} is {@code reader} (set here through the management API, as an
 * operator would with jboss-cli), and then need role reader or writer. 401 and 403 are JSON.
 */
class AccessIT extends DeployedApp {

    private HttpRequest.Builder put(HttpRequest.Builder r) {
        return r.PUT(HttpRequest.BodyPublishers.ofString("secret plans"));
    }

    @Test
    void writesNeedAWriterAnd401sAnd403sAreJson() throws Exception {
        String key = "access-" + System.nanoTime();
        String path = "api/blobs/" + key;

        HttpResponse<byte[]> noLogin = send(put(anonymous(base(), path)));
        assertError(401, noLogin);
        assertEquals(
                Optional.of("Basic realm=\"bobbob\", charset=\"UTF-8\""),
                noLogin.headers().firstValue("WWW-Authenticate"));
        HttpResponse<byte[]> fromThePage =
                send(put(anonymous(base(), path).header("X-Requested-With", "XMLHttpRequest")));
        assertError(401, fromThePage);
        assertEquals(
                Optional.empty(),
                fromThePage.headers().firstValue("WWW-Authenticate"),
                "no browser login dialog for the page's requests");
        assertError(401, send(put(anonymous(base(), path).header("Authorization", Http.basic(WRITER, "wrong")))));
        assertError(401, send(put(anonymous(base(), path).header("Authorization", "Bearer abc"))));
        HttpResponse<byte[]> reader = send(put(as(READER, base(), path)));
        assertError(403, reader);
        assertTrue(text(reader).contains("'reader' is not in role writer"), text(reader));
        assertError(403, send(put(as(NOBODY, base(), path))));
        assertError(403, send(as(NOBODY, base(), "api/blobs").POST(HttpRequest.BodyPublishers.ofString("x"))));
        assertError(401, send(anonymous(base(), "api/blobs").POST(HttpRequest.BodyPublishers.ofString("x"))));
        assertError(404, send(anonymous(base(), path))); // the refused requests stored nothing

        assertEquals(201, send(put(as(WRITER, base(), path))).statusCode());
        assertError(401, send(anonymous(base(), path).DELETE()));
        assertError(403, send(as(READER, base(), path).DELETE()));
        assertEquals(200, send(anonymous(base(), path)).statusCode(), "reads are public by default");
        assertEquals(204, send(as(WRITER, base(), path).DELETE()).statusCode());
    }

    @Test
    void theSessionSaysWhoIsLoggedIn() throws Exception {
        Map<String, Object> writer = json(send(as(WRITER, base(), "api/session")));
        assertEquals("writer", writer.get("user"));
        assertEquals(true, writer.get("writer"));
        Map<String, Object> reader = json(send(as(READER, base(), "api/session")));
        assertEquals(false, reader.get("writer"));
        assertEquals(true, reader.get("reader"));
        Map<String, Object> nobody = json(send(anonymous(base(), "api/session")));
        assertEquals(null, nobody.get("user"));
        assertEquals(true, nobody.get("readsPublic"));
        assertError(401, send(anonymous(base(), "api/session").header("Authorization", Http.basic(READER, "x"))));
    }

    @Test
    void readsCanBeMadeToNeedTheReaderRole() throws Exception {
        String key = "private-" + System.nanoTime();
        String path = "api/blobs/" + key;
        byte[] data = "for readers only".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                201,
                send(as(WRITER, base(), path).PUT(HttpRequest.BodyPublishers.ofByteArray(data)))
                        .statusCode());
        readsBy("reader");
        try {
            assertError(401, send(anonymous(base(), path)));
            assertError(401, send(anonymous(base(), "api/blobs")));
            assertError(401, send(anonymous(base(), "api/store")));
            assertEquals(
                    401,
                    send(anonymous(base(), path).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                            .statusCode(),
                    "HEAD (no body)");
            HttpResponse<byte[]> nobody = send(as(NOBODY, base(), path));
            assertError(403, nobody);
            assertTrue(text(nobody).contains("role reader"), text(nobody));
            assertArrayEquals(data, send(as(READER, base(), path)).body());
            assertArrayEquals(data, send(as(WRITER, base(), path)).body(), "a writer reads too");
            assertEquals(
                    200, send(as(READER, base(), "api/blobs?prefix=" + key)).statusCode());
            assertEquals(200, send(anonymous(base(), "api/health")).statusCode(), "health stays public");
            assertEquals(false, json(send(anonymous(base(), "api/session"))).get("readsPublic"));
        } finally {
            readsBy(null);
        }
        assertArrayEquals(data, send(anonymous(base(), path)).body(), "public again");
    }

    /** Sets system property bobbob.sample.reads ({@code null}: removes it). */
    private void readsBy(String value) throws Exception {
        ModelNode op = new ModelNode();
        op.get("address").add("system-property", "bobbob.sample.reads");
        if (value == null) {
            op.get("operation").set("remove");
        } else {
            op.get("operation").set("add");
            op.get("value").set(value);
        }
        ModelNode result;
        try (ModelControllerClient management = ModelControllerClient.Factory.create("127.0.0.1", 9990)) {
            result = management.execute(op);
        }
        assertEquals("success", result.get("outcome").asString(), result.toString());
    }
}
