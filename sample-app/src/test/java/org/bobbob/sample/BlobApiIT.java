package org.bobbob.sample;

import static org.bobbob.sample.Http.assertError;
import static org.bobbob.sample.Http.bytes;
import static org.bobbob.sample.Http.post;
import static org.bobbob.sample.Http.send;
import static org.bobbob.sample.Http.text;
import static org.bobbob.sample.Http.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The REST API of the deployed app, from a client: every endpoint and every error case, many
 * clients at once, and a 200 MiB body through a server with a 384 MiB heap (the build's server
 * configuration, standalone-bobbob.xml, lifts Undertow's 10 MiB max-post-size).
 */
class BlobApiIT extends DeployedApp {

    @Test
    void createReadHeadOverwriteDelete() throws Exception {
        byte[] data = bytes(1, 10_000);
        long id = post(base(), data);

        HttpResponse<byte[]> got = send(to(base(), "api/blobs/" + id));
        assertEquals(200, got.statusCode());
        assertArrayEquals(data, got.body());
        assertEquals("10000", got.headers().firstValue("Content-Length").orElseThrow());

        HttpResponse<byte[]> head =
                send(to(base(), "api/blobs/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("10000", head.headers().firstValue("Content-Length").orElseThrow());

        // a PUT replaces at any size: smaller, then larger
        for (int size : new int[] {10_000, 9_999, 250_001}) {
            byte[] next = bytes(size, size);
            HttpResponse<byte[]> put =
                    send(to(base(), "api/blobs/" + id).PUT(HttpRequest.BodyPublishers.ofByteArray(next)));
            assertEquals(200, put.statusCode(), text(put));
            assertArrayEquals(next, send(to(base(), "api/blobs/" + id)).body());
        }
        byte[] next = bytes(250_001, 250_001);

        assertTrue(text(send(to(base(), "api/blobs?prefix=" + id))).contains("\"key\":\"" + id + "\""), "listed");

        assertEquals(204, send(to(base(), "api/blobs/" + id).DELETE()).statusCode());
        assertError(404, send(to(base(), "api/blobs/" + id)));
        assertError(404, send(to(base(), "api/blobs/" + id).DELETE()));
        // a server-made key is not taken again by a PUT
        assertError(404, send(to(base(), "api/blobs/" + id).PUT(HttpRequest.BodyPublishers.ofByteArray(next))));
        assertEquals(
                404,
                send(to(base(), "api/blobs/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                        .statusCode());
    }

    /** The scenario of a deleted blob whose id came back for the next upload: a stale id stays 404. */
    @Test
    void aDeletedBlobsIdIsNeverGivenToAnotherBlob() throws Exception {
        long first = post(base(), "first-owner".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, send(to(base(), "api/blobs/" + first).DELETE()).statusCode());
        for (int i = 0; i < 200; i++) {
            long next = post(base(), ("other-owner" + (i % 10)).getBytes(StandardCharsets.UTF_8));
            assertNotEquals(first, next, "upload " + i + " got the deleted blob's id");
        }
        assertError(404, send(to(base(), "api/blobs/" + first)));
    }

    @Test
    void badKeysAreFourHundredsAndUnknownOnesFourOFoursWithJsonNeverFiveHundreds() throws Exception {
        for (String bad : new String[] {"a%01b", "k".repeat(513), "tab%09"}) {
            assertError(400, send(to(base(), "api/blobs/" + bad)));
            assertError(400, send(to(base(), "api/blobs/" + bad).DELETE()));
            assertError(400, send(to(base(), "api/blobs/" + bad).PUT(HttpRequest.BodyPublishers.ofString("x"))));
        }
        for (String unknown : new String[] {"abc", "0", "-5", "1.5", "99999999999999999999", "123456789012"}) {
            assertError(404, send(to(base(), "api/blobs/" + unknown)));
            assertError(404, send(to(base(), "api/blobs/" + unknown).DELETE()));
        }
        assertEquals(
                201,
                send(to(base(), "api/blobs/" + "k".repeat(512)).PUT(HttpRequest.BodyPublishers.ofString("x")))
                        .statusCode(),
                "the longest key");
    }

    @Test
    void unknownPathsAndMethodsUnderApiAreJsonErrors() throws Exception {
        assertError(404, send(to(base(), "api/nope")));
        assertError(404, send(to(base(), "api/blobs/1/extra")));
        HttpResponse<byte[]> notAllowed = send(to(base(), "api/store").DELETE());
        assertError(405, notAllowed);
        assertTrue(
                notAllowed.headers().firstValue("Allow").orElse("").contains("GET"),
                notAllowed.headers().toString());
    }

    @Test
    void aMultipartUploadStoresTheFilePartNotTheEnvelope() throws Exception {
        byte[] file = bytes(4, 1_000_000);
        String boundary = "----bobbob" + file.length;
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        HttpResponse<byte[]> created = send(to(base(), "api/blobs")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(201, created.statusCode(), text(created));
        assertTrue(text(created).contains("\"size\":1000000"), text(created));
        assertArrayEquals(
                file, send(to(base(), "api/blobs/" + Http.id(created))).body());
        assertTrue(
                text(send(to(base(), "api/blobs?prefix=" + Http.id(created)))).contains("\"name\":\"photo.jpg\""));

        String noFile = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                + boundary + "--\r\n";
        HttpResponse<byte[]> refused = send(to(base(), "api/blobs")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(noFile)));
        assertError(400, refused);
        assertTrue(text(refused).contains("needs a part named 'file'"), text(refused));
    }

    @Test
    void emptyAndChunkedBodies() throws Exception {
        long empty = post(base(), new byte[0]);
        HttpResponse<byte[]> r = send(to(base(), "api/blobs/" + empty));
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);

        byte[] data = bytes(3, 300_000);
        HttpResponse<byte[]> chunked = send(to(base(), "api/blobs")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data))));
        assertEquals(201, chunked.statusCode(), text(chunked));
        assertArrayEquals(
                data, send(to(base(), "api/blobs/" + Http.id(chunked))).body());
    }

    @Test
    void storeAndHealthReportCounts() throws Exception {
        post(base(), new byte[123]);
        HttpResponse<byte[]> stats = send(to(base(), "api/store"));
        assertEquals(200, stats.statusCode());
        assertTrue(text(stats).matches(".*\"objects\":[1-9].*"), text(stats));
        HttpResponse<byte[]> health = send(to(base(), "api/health"));
        assertEquals(200, health.statusCode());
        assertTrue(text(health).contains("\"status\":\"UP\""), text(health));
    }

    @Test
    void twentyClientsFiftyBlobsEach() throws Exception {
        URI base = base();
        Map<Long, byte[]> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CyclicBarrier start = new CyclicBarrier(20);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    start.await();
                    SplittableRandom r = new SplittableRandom(client);
                    for (int i = 0; i < 50; i++) {
                        byte[] data = bytes(client * 100L + i, r.nextInt(20_000));
                        written.put(post(base, data), data);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1000, written.size(), "every POST got its own id");
        for (Map.Entry<Long, byte[]> e : written.entrySet()) {
            assertArrayEquals(
                    e.getValue(), send(to(base, "api/blobs/" + e.getKey())).body());
        }
    }

    /** 200 MiB up and down through a server whose whole heap is 384 MiB: the bodies stream. */
    @Test
    void twoHundredMebibytesStream() throws Exception {
        long size = 200L << 20;
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)), size);
        HttpResponse<byte[]> created = send(to(base(), "api/blobs")
                .header("Content-Type", "application/octet-stream")
                .POST(body));
        assertEquals(201, created.statusCode(), text(created));
        long id = Http.id(created);
        HttpResponse<InputStream> down =
                Http.CLIENT.send(to(base(), "api/blobs/" + id).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        assertEquals(
                Long.toString(size), down.headers().firstValue("Content-Length").orElseThrow());
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        try (InputStream in = down.body()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                got.update(buf, 0, n);
            }
        }
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new PatternStream(size)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                expected.update(buf, 0, n);
            }
        }
        assertArrayEquals(expected.digest(), got.digest());
        assertEquals(204, send(to(base(), "api/blobs/" + id).DELETE()).statusCode());
    }

    /** {@code size} bytes of a cheap, position-dependent pattern. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long pos;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? (int) ((pos++ * 31 + (pos >>> 12)) & 0xFF) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) read();
            }
            return n;
        }
    }
}
