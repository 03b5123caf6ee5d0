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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The blobs' metadata in the XA datasource's database, from a client: each upload (raw, chunked,
 * multipart) is listed with the size, SHA-256 (computed here, independently) and content type it
 * came with; the listing pages by key; a row the database refuses takes its blob back with
 * it (the store's own counts show it); an overwrite and a delete change blob and row together.
 * Other tests share the server and its database, so each test measures against what it found.
 */
class BlobMetadataIT extends DeployedApp {

    private HttpResponse<byte[]> upload(byte[] data, String name, String type) throws Exception {
        HttpRequest.Builder r = to(base(), "api/blobs").header("X-Filename", name);
        if (type != null) {
            r.header("Content-Type", type);
        }
        return send(r.POST(HttpRequest.BodyPublishers.ofByteArray(data)));
    }

    private Map<String, Object> page(String query) throws Exception {
        HttpResponse<byte[]> r = send(to(base(), "api/blobs" + query));
        assertEquals(200, r.statusCode(), text(r));
        return json(r);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private static List<Object> ids(Map<String, Object> page) {
        List<Object> ids = new ArrayList<>();
        for (Map<String, Object> item : items(page)) {
            ids.add(item.get("id"));
        }
        return ids;
    }

    /** The listed row of key {@code id} (the first key with that prefix is the key itself). */
    private Map<String, Object> newest(long id) throws Exception {
        return listed(Long.toString(id));
    }

    private Map<String, Object> listed(String key) throws Exception {
        Map<String, Object> item = items(page("?limit=1&prefix=" + key)).get(0);
        assertEquals(key, item.get("key"), "the row of " + key);
        return item;
    }

    private Map<String, Object> store() throws Exception {
        HttpResponse<byte[]> r = send(to(base(), "api/store"));
        assertEquals(200, r.statusCode(), text(r));
        return json(r);
    }

    private static void assertRow(Map<String, Object> row, String name, String type, byte[] data, String what)
            throws Exception {
        assertEquals(name, row.get("name"), what + ": " + row);
        assertEquals(type, row.get("contentType"), what + ": " + row);
        assertEquals((long) data.length, row.get("size"), what + ": " + row);
        assertEquals(sha256(data), row.get("sha256"), what + ": " + row);
    }

    @Test
    void everyKindOfUploadIsListedWithItsSizeSha256AndContentType() throws Exception {
        Instant before = Instant.now();
        byte[] png = bytes(11, 70_000);
        HttpResponse<byte[]> created = upload(png, "pixels.png", "image/png");
        assertEquals(201, created.statusCode(), text(created));
        Map<String, Object> answer = json(created);
        assertRow(answer, "pixels.png", "image/png", png, "the POST's answer");
        long id = Http.id(created);
        Map<String, Object> row = newest(id);
        assertRow(row, "pixels.png", "image/png", png, "listed");
        Instant at = Instant.parse((String) row.get("created"));
        assertTrue(
                !at.isBefore(before.minusSeconds(60))
                        && !at.isAfter(Instant.now().plusSeconds(60)),
                "created " + at + " is about now");

        HttpResponse<byte[]> got = send(to(base(), "api/blobs/" + id));
        assertArrayEquals(png, got.body());
        assertEquals("image/png", got.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> head =
                send(to(base(), "api/blobs/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals("image/png", head.headers().firstValue("Content-Type").orElseThrow());

        byte[] untyped = bytes(12, 4_000);
        long plain = Http.id(upload(untyped, "", null));
        assertRow(newest(plain), "", "application/octet-stream", untyped, "no Content-Type, no name");

        byte[] chunkedBytes = bytes(13, 300_001);
        HttpResponse<byte[]> chunked = send(to(base(), "api/blobs")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("X-Filename", "spooled.txt")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunkedBytes))));
        assertEquals(201, chunked.statusCode(), text(chunked));
        Map<String, Object> chunkedRow = newest(Http.id(chunked));
        assertRow(chunkedRow, "spooled.txt", (String) chunkedRow.get("contentType"), chunkedBytes, "chunked");
        assertTrue(
                ((String) chunkedRow.get("contentType")).toLowerCase().startsWith("text/plain"), chunkedRow.toString());

        byte[] csv = "a,b\n1,2\n".repeat(5_000).getBytes(StandardCharsets.US_ASCII);
        String boundary = "----bobbob-meta";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"table.csv\""
                        + "\r\nContent-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(csv);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<byte[]> multipart = send(to(base(), "api/blobs")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())));
        assertEquals(201, multipart.statusCode(), text(multipart));
        long csvId = Http.id(multipart);
        assertRow(newest(csvId), "table.csv", "text/csv", csv, "multipart");
        assertEquals(
                "text/csv",
                send(to(base(), "api/blobs/" + csvId))
                        .headers()
                        .firstValue("Content-Type")
                        .orElseThrow());
    }

    @Test
    void anOverwriteChangesTheBlobAndItsRowTogether() throws Exception {
        byte[] first = bytes(21, 50_000);
        long id = Http.id(upload(first, "versioned.bin", "application/x-first"));
        byte[] second = bytes(22, 50_000);
        HttpResponse<byte[]> put = send(to(base(), "api/blobs/" + id)
                .header("Content-Type", "application/x-second")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(second)));
        assertEquals(200, put.statusCode(), text(put));
        assertRow(json(put), "versioned.bin", "application/x-second", second, "the PUT's answer");
        assertRow(newest(id), "versioned.bin", "application/x-second", second, "after the PUT");
        assertArrayEquals(second, send(to(base(), "api/blobs/" + id)).body());

        byte[] third = bytes(23, 77_777);
        assertEquals(
                200,
                send(to(base(), "api/blobs/" + id).PUT(HttpRequest.BodyPublishers.ofByteArray(third)))
                        .statusCode());
        assertRow(newest(id), "versioned.bin", "application/x-second", third, "a PUT without Content-Type");

        HttpResponse<byte[]> refused = send(to(base(), "api/blobs/" + id)
                .header("X-Filename", "n".repeat(256))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])));
        assertError(400, refused);
        assertRow(newest(id), "versioned.bin", "application/x-second", third, "after a refused PUT");
        assertArrayEquals(third, send(to(base(), "api/blobs/" + id)).body());
    }

    @Test
    void theListingPagesByKeyAfterACursor() throws Exception {
        String prefix = "list-" + System.nanoTime() + "/";
        List<String> keys = List.of(prefix + "b", prefix + "a", prefix + "c/1", prefix + "c/0", prefix + "ab");
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(
                    201,
                    send(to(base(), "api/blobs/" + keys.get(i))
                                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(30 + i, 100 + i))))
                            .statusCode());
        }
        List<String> sorted = keys.stream().sorted().toList();

        Map<String, Object> first = page("?prefix=" + prefix + "&limit=2");
        assertEquals(5L, first.get("total"));
        assertEquals(2L, first.get("limit"));
        assertEquals(sorted.subList(0, 2), keys(first));
        assertEquals(sorted.get(1), first.get("next"));

        Map<String, Object> second = page("?prefix=" + prefix + "&limit=2&after=" + first.get("next"));
        assertEquals(sorted.subList(2, 4), keys(second));
        Map<String, Object> last = page("?prefix=" + prefix + "&limit=2&after=" + second.get("next"));
        assertEquals(sorted.subList(4, 5), keys(last));
        assertEquals(null, last.get("next"), "no page after the last");
        assertEquals(List.of(prefix + "c/0", prefix + "c/1"), keys(page("?prefix=" + prefix + "c/")));
        assertEquals(List.of(), items(page("?prefix=" + prefix + "zzz")), "no key with that prefix");
        assertEquals(List.of(), items(page("?prefix=" + prefix.replace("-", "_"))), "_ is no wildcard");

        Map<String, Object> defaults = page("");
        assertEquals(20L, defaults.get("limit"));
    }

    /**
     * A thousand keys stored by eight clients at once, paged through 37 at a time with the
     * {@code next} cursor: every key exactly once, in key order, and the last page says there is
     * no next; one page of 1 000 is the same list.
     */
    @Test
    void aThousandKeysPageThroughInKeyOrderExactlyOnce() throws Exception {
        String prefix = "thousand-" + System.nanoTime() + "/";
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(prefix + Integer.toString(i * 7919 % 1000, 36)); // not stored in key order
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = client; i < keys.size(); i += 8) {
                        HttpResponse<byte[]> r = send(to(base(), "api/blobs/" + keys.get(i))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(i, 16))));
                        assertEquals(201, r.statusCode(), text(r));
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
        List<Object> paged = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            Map<String, Object> page = page("?prefix=" + prefix + "&limit=37&after=" + after);
            assertEquals(1000L, page.get("total"));
            paged.addAll(keys(page));
            pages++;
            if (page.get("next") == null) {
                break;
            }
            after = (String) page.get("next");
        }
        assertEquals(28, pages, "1 000 keys in pages of 37");
        assertEquals(keys.stream().sorted().toList(), paged);
        assertEquals(paged, keys(page("?prefix=" + prefix + "&limit=1000")));
    }

    private static List<Object> keys(Map<String, Object> page) {
        List<Object> keys = new ArrayList<>();
        for (Map<String, Object> item : items(page)) {
            keys.add(item.get("key"));
        }
        return keys;
    }

    @Test
    void badPagingParametersAreFourHundreds() throws Exception {
        for (String bad : new String[] {
            "limit=-1", "limit=abc", "limit=99999999999", "limit=0", "limit=1001", "limit=1.5", "limit="
        }) {
            HttpResponse<byte[]> r = send(to(base(), "api/blobs?" + bad));
            assertError(400, r);
        }
        assertEquals(1000L, page("?limit=1000").get("limit"));
    }

    /**
     * A name one character longer than the column takes: the bytes are written (the answer names
     * the object id the store gave them), then the insert fails, and the rollback takes the blob
     * back: the id is 404, and the store's object count and live bytes and the listing's total are
     * what they were.
     */
    @Test
    void aRowTheDatabaseRefusesTakesItsBlobBackWithIt() throws Exception {
        Map<String, Object> storeBefore = store();
        long rowsBefore = (Long) page("").get("total");
        byte[] data = bytes(41, 100_000);

        HttpResponse<byte[]> refused = upload(data, "n".repeat(256), "application/octet-stream");
        assertError(400, refused);
        assertTrue(text(refused).contains("22001"), "H2's 'value too long': " + text(refused));
        assertTrue(text(refused).contains("rolled back"), text(refused));
        long id = Http.id(refused);

        assertError(404, send(to(base(), "api/blobs/" + id)));
        Map<String, Object> storeAfter = store();
        assertEquals(storeBefore.get("objects"), storeAfter.get("objects"), "objects in the store");
        assertEquals(storeBefore.get("liveBytes"), storeAfter.get("liveBytes"), "live bytes in the store");
        assertEquals(rowsBefore, page("").get("total"), "rows in the listing");

        String longest = "n".repeat(255);
        long kept = Http.id(upload(data, longest, "application/octet-stream"));
        assertRow(newest(kept), longest, "application/octet-stream", data, "a name of 255 characters");
        assertEquals((Long) storeBefore.get("objects") + 1, store().get("objects"));
    }

    @Test
    void aDeleteRemovesTheBlobAndItsRow() throws Exception {
        byte[] data = bytes(51, 20_000);
        long id = Http.id(upload(data, "doomed.bin", "application/octet-stream"));
        newest(id);
        long rows = (Long) page("").get("total");
        long objects = (Long) store().get("objects");

        assertEquals(204, send(to(base(), "api/blobs/" + id).DELETE()).statusCode());

        assertError(404, send(to(base(), "api/blobs/" + id)));
        assertEquals(rows - 1, page("").get("total"));
        assertTrue(!ids(page("?prefix=" + id)).contains(Long.toString(id)), "no row for " + id);
        assertEquals(objects - 1, store().get("objects"));
        assertError(404, send(to(base(), "api/blobs/" + id).DELETE()));
        assertEquals(rows - 1, page("").get("total"), "a second delete changes nothing");
    }

    /** Eight clients uploading at once: each upload gets its own row, whose SHA-256 is its blob's. */
    @Test
    void concurrentUploadsEachGetTheirRow() throws Exception {
        String prefix = "concurrent-" + System.nanoTime() + "/";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, String> expected = new ConcurrentHashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        byte[] data = bytes(600L + client * 10 + i, 1_000 + client * 100 + i);
                        String key = prefix + client + "-" + i;
                        HttpResponse<byte[]> put =
                                send(to(base(), "api/blobs/" + key).PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
                        assertEquals(201, put.statusCode(), text(put));
                        expected.put(key, sha256(data));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> page = page("?limit=100&prefix=" + prefix);
        assertEquals(80L, page.get("total"));
        for (Map<String, Object> item : items(page)) {
            assertEquals(expected.get((String) item.get("key")), item.get("sha256"), item.toString());
        }
        assertEquals(expected.keySet(), new HashSet<>(keys(page)));
    }
}
