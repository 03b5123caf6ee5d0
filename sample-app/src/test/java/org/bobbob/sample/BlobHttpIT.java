package org.bobbob.sample;

import static org.bobbob.sample.Http.assertError;
import static org.bobbob.sample.Http.bytes;
import static org.bobbob.sample.Http.json;
import static org.bobbob.sample.Http.send;
import static org.bobbob.sample.Http.sha256;
import static org.bobbob.sample.Http.text;
import static org.bobbob.sample.Http.to;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * HTTP as clients expect it of a blob service, from a client: single ranges (206, 416,
 * {@code Accept-Ranges}, {@code If-Range}), strong ETags with {@code If-None-Match} (304) and
 * {@code If-Match} (412, optimistic concurrency), {@code Last-Modified}, the upload's
 * {@code Content-Type} and file name back as {@code Content-Disposition}, checksums verified on
 * upload ({@code x-checksum-sha256}, {@code Content-MD5}: 400 and nothing stored), {@code PUT} by
 * key (create, replace at any size, multipart), and a replacement at another size while ten
 * clients read: each read is one whole version.
 */
class BlobHttpIT extends DeployedApp {

    private static String key(String what) {
        return what + "-" + System.nanoTime();
    }

    private HttpResponse<byte[]> put(String key, byte[] data, String... headers) throws Exception {
        HttpRequest.Builder r = to(base(), "api/blobs/" + key);
        if (headers.length > 0) {
            r.headers(headers);
        }
        return send(r.PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    }

    private HttpResponse<byte[]> get(String key, String... headers) throws Exception {
        HttpRequest.Builder r = to(base(), "api/blobs/" + key);
        if (headers.length > 0) {
            r.headers(headers);
        }
        return send(r);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static String etag(byte[] data) throws Exception {
        return '"' + sha256(data) + '"';
    }

    @Test
    void singleRangesFirstMiddleLastSuffixAndUnsatisfiable() throws Exception {
        byte[] data = bytes(1, 200_000); // larger than a 64 KiB chunk: ranges cross chunk edges
        String key = key("ranges");
        assertEquals(201, put(key, data).statusCode());

        HttpResponse<byte[]> whole = get(key);
        assertEquals(200, whole.statusCode());
        assertEquals("bytes", header(whole, "Accept-Ranges"));

        record Case(String range, int first, int last) {}
        for (Case c : List.of(
                new Case("bytes=0-99", 0, 99),
                new Case("bytes=70000-140000", 70_000, 140_000),
                new Case("bytes=199900-", 199_900, 199_999),
                new Case("bytes=-100", 199_900, 199_999),
                new Case("bytes=199990-500000", 199_990, 199_999),
                new Case("bytes=-300000", 0, 199_999),
                new Case("bytes=65536-65536", 65_536, 65_536))) {
            HttpResponse<byte[]> r = get(key, "Range", c.range());
            assertEquals(206, r.statusCode(), c.range());
            assertArrayEquals(Arrays.copyOfRange(data, c.first(), c.last() + 1), r.body(), c.range());
            assertEquals("bytes " + c.first() + "-" + c.last() + "/200000", header(r, "Content-Range"), c.range());
            assertEquals(Long.toString(c.last() - c.first() + 1L), header(r, "Content-Length"), c.range());
            assertEquals(etag(data), header(r, "ETag"), c.range());
        }

        for (String past : new String[] {"bytes=200000-", "bytes=200000-200010", "bytes=-0"}) {
            HttpResponse<byte[]> r = get(key, "Range", past);
            assertError(416, r);
            assertEquals("bytes */200000", header(r, "Content-Range"), past);
        }
        // what this service does not serve as a range is served whole, as RFC 9110 allows
        for (String ignored : new String[] {"bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=x-y"}) {
            HttpResponse<byte[]> r = get(key, "Range", ignored);
            assertEquals(200, r.statusCode(), ignored);
            assertArrayEquals(data, r.body(), ignored);
        }
        assertEquals(206, get(key, "Range", "bytes=0-0", "If-Range", etag(data)).statusCode(), "If-Range: current");
        HttpResponse<byte[]> stale = get(key, "Range", "bytes=0-0", "If-Range", "\"0000\"");
        assertEquals(200, stale.statusCode(), "If-Range: another version gets the whole blob");
        assertArrayEquals(data, stale.body());

        String empty = key("empty");
        assertEquals(201, put(empty, new byte[0]).statusCode());
        assertError(416, get(empty, "Range", "bytes=0-"));
        assertError(416, get(empty, "Range", "bytes=-5"));
    }

    @Test
    void etagsLastModifiedAndConditionalRequests() throws Exception {
        byte[] first = bytes(2, 5_000);
        String key = key("etag");
        Instant before = Instant.now().minusSeconds(2);
        HttpResponse<byte[]> created = put(key, first);
        assertEquals(201, created.statusCode(), text(created));
        assertEquals(etag(first), header(created, "ETag"));
        assertTrue(header(created, "Location").endsWith("/api/blobs/" + key), header(created, "Location"));

        HttpResponse<byte[]> got = get(key);
        assertEquals(etag(first), header(got, "ETag"));
        Instant modified = ZonedDateTime.parse(header(got, "Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
        assertTrue(
                !modified.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                        && !modified.isAfter(Instant.now().plusSeconds(2)),
                "Last-Modified " + modified);

        for (String match : new String[] {etag(first), "W/" + etag(first), "\"x\", " + etag(first), "*"}) {
            HttpResponse<byte[]> same = get(key, "If-None-Match", match);
            assertEquals(304, same.statusCode(), match);
            assertEquals(0, same.body().length);
            assertEquals(etag(first), header(same, "ETag"));
            HttpResponse<byte[]> head = send(to(base(), "api/blobs/" + key)
                    .header("If-None-Match", match)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(304, head.statusCode(), "HEAD " + match);
        }
        assertEquals(200, get(key, "If-None-Match", "\"other\"").statusCode());

        // optimistic concurrency: a change names the version it replaces
        byte[] second = bytes(3, 9_000);
        assertError(412, put(key, second, "If-Match", "\"stale\""));
        assertError(412, put(key, second, "If-Match", "W/" + etag(first)));
        assertError(412, put(key, second, "If-None-Match", "*"));
        assertArrayEquals(first, get(key).body(), "a refused PUT changed nothing");
        HttpResponse<byte[]> replaced = put(key, second, "If-Match", etag(first));
        assertEquals(200, replaced.statusCode(), text(replaced));
        assertEquals(etag(second), header(replaced, "ETag"));
        assertError(412, put(key, first, "If-Match", etag(first)));
        assertError(
                412,
                send(to(base(), "api/blobs/" + key)
                        .header("If-Match", etag(first))
                        .DELETE()));
        assertArrayEquals(second, get(key).body());

        String fresh = key("create-only");
        assertError(412, put(fresh, first, "If-Match", "*"));
        assertError(404, get(fresh));
        assertEquals(201, put(fresh, first, "If-None-Match", "*").statusCode());

        assertEquals(
                204,
                send(to(base(), "api/blobs/" + key)
                                .header("If-Match", etag(second))
                                .DELETE())
                        .statusCode());
        assertError(404, get(key));
    }

    /** Eight clients replace one blob, all naming the version they read: exactly one wins. */
    @Test
    void ofConcurrentReplacementsOfOneVersionExactlyOneWins() throws Exception {
        String key = key("race");
        byte[] original = bytes(4, 1_000);
        assertEquals(201, put(key, original).statusCode());
        String seen = etag(original);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CyclicBarrier start = new CyclicBarrier(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int c = 0; c < 8; c++) {
                byte[] mine = bytes(100 + c, 1_000 + c * 1_000);
                statuses.add(pool.submit(() -> {
                    start.await();
                    return put(key, mine, "If-Match", seen).statusCode();
                }));
            }
            List<Integer> got = new ArrayList<>();
            for (Future<Integer> f : statuses) {
                got.add(f.get(2, TimeUnit.MINUTES));
            }
            assertEquals(1, got.stream().filter(s -> s == 200).count(), got.toString());
            assertEquals(7, got.stream().filter(s -> s == 412).count(), got.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void contentTypeAndFileNameComeBackAsUploaded() throws Exception {
        String key = key("typed") + "/photo.png";
        byte[] png = bytes(5, 3_000);
        assertEquals(
                201,
                put(key, png, "Content-Type", "image/png", "X-Filename", "holiday \"1\".png")
                        .statusCode());
        HttpResponse<byte[]> got = get(key);
        assertEquals("image/png", header(got, "Content-Type"));
        assertEquals(
                "attachment; filename=\"holiday \\\"1\\\".png\"; filename*=UTF-8''holiday%20%221%22.png",
                header(got, "Content-Disposition"));
        assertEquals("nosniff", header(got, "X-Content-Type-Options"));

        // a replacement without type or name keeps both; one with them changes them
        assertEquals(200, put(key, bytes(6, 10)).statusCode());
        assertEquals("image/png", header(get(key), "Content-Type"));
        assertTrue(header(get(key), "Content-Disposition").contains("holiday"));
        assertEquals(
                200,
                put(
                                key,
                                bytes(7, 10),
                                "Content-Type",
                                "text/plain",
                                "Content-Disposition",
                                "attachment; filename=\"n.txt\"")
                        .statusCode());
        assertEquals("text/plain", header(get(key), "Content-Type"));
        assertTrue(header(get(key), "Content-Disposition").contains("filename=\"n.txt\""));

        String anonymous = key("unnamed");
        assertEquals(201, put(anonymous, new byte[1]).statusCode());
        assertEquals("attachment", header(get(anonymous), "Content-Disposition"));
        assertEquals("application/octet-stream", header(get(anonymous), "Content-Type"));
    }

    @Test
    void aChecksumMismatchIsFourHundredAndStoresNothing() throws Exception {
        byte[] data = bytes(8, 40_000);
        String sha = sha256(data);
        String md5 = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(data));
        String wrongSha = sha256(new byte[] {1});
        String wrongMd5 = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1]));
        Map<String, Object> storeBefore = json(send(to(base(), "api/store")));

        String key = key("checked");
        HttpResponse<byte[]> bad = put(key, data, "x-checksum-sha256", wrongSha);
        assertError(400, bad);
        assertTrue(text(bad).contains("nothing is stored"), text(bad));
        assertError(400, put(key, data, "Content-MD5", wrongMd5));
        assertError(400, put(key, data, "x-checksum-sha256", "not-a-digest"));
        assertError(
                400,
                send(to(base(), "api/blobs")
                        .header("x-checksum-sha256", wrongSha)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))));
        assertError(404, get(key));
        Map<String, Object> storeAfter = json(send(to(base(), "api/store")));
        assertEquals(storeBefore.get("liveBytes"), storeAfter.get("liveBytes"), "no bytes stayed in the store");

        assertEquals(
                201,
                put(key, data, "x-checksum-sha256", sha, "Content-MD5", md5).statusCode());
        byte[] next = bytes(9, 100);
        String nextB64 = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(next));
        assertError(400, put(key, next, "x-checksum-sha256", wrongSha));
        assertArrayEquals(data, get(key).body(), "a refused replacement keeps the old bytes");
        assertEquals(200, put(key, next, "x-checksum-sha256", nextB64).statusCode(), "base64 digests too");
        assertArrayEquals(next, get(key).body());
    }

    @Test
    void aMultipartPutStoresTheFilePartUnderTheKey() throws Exception {
        String key = key("form");
        byte[] file = bytes(10, 100_000);
        String boundary = "----bobbob-put";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n"
                                + "Content-Type: application/pdf\r\nx-checksum-sha256: " + sha256(file) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> created = send(to(base(), "api/blobs/" + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(201, created.statusCode(), text(created));
        Map<String, Object> row = json(created);
        assertEquals("scan.pdf", row.get("name"));
        assertEquals("application/pdf", row.get("contentType"));
        HttpResponse<byte[]> got = get(key);
        assertArrayEquals(file, got.body());
        assertEquals("application/pdf", header(got, "Content-Type"));
    }

    /**
     * One key replaced 30 times at sizes from 1 byte to 600 KB while ten clients read it in a loop:
     * every read is exactly one of the versions written, with that version's ETag, never a mix,
     * never an error.
     */
    @Test
    void aReplacementAtAnotherSizeWhileTenClientsReadIsNeverSeenHalfDone() throws Exception {
        String key = key("replaced");
        int[] sizes = {300_000, 1, 600_000, 70_000, 0, 131_072, 4_096, 500_001};
        Map<String, Integer> versions = new ConcurrentHashMap<>(); // sha256 -> version
        byte[] v0 = bytes(0, sizes[0]);
        versions.put(sha256(v0), 0);
        assertEquals(201, put(key, v0).statusCode());

        URI base = base();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(11);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    while (writing.get() || reads == 0) {
                        HttpResponse<byte[]> r = send(to(base, "api/blobs/" + key));
                        assertEquals(200, r.statusCode(), text(r));
                        String sha = sha256(r.body());
                        Integer version = versions.get(sha);
                        assertTrue(version != null, "a read of " + r.body().length + " bytes is no version written");
                        assertEquals('"' + sha + '"', header(r, "ETag"), "the ETag of the bytes sent");
                        assertEquals(Integer.toString(r.body().length), header(r, "Content-Length"));
                        seen.add(version);
                        reads++;
                    }
                    return reads;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int v = 1; v <= 30; v++) {
                        byte[] next = bytes(v, sizes[v % sizes.length]);
                        versions.putIfAbsent(sha256(next), v); // known before any reader can see it
                        HttpResponse<byte[]> r = put(key, next);
                        assertEquals(200, r.statusCode(), text(r));
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            writer.get(5, TimeUnit.MINUTES);
            int reads = 0;
            for (Future<Integer> f : readers) {
                reads += f.get(5, TimeUnit.MINUTES);
            }
            assertTrue(reads >= 10, reads + " reads");
            assertTrue(seen.size() >= 2, "the readers saw versions " + seen);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertArrayEquals(
                bytes(30, sizes[30 % sizes.length]),
                send(to(base(), "api/blobs/" + key)).body(),
                "the last version stays");
    }
}
