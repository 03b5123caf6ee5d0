package org.bobbob.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.openqa.selenium.json.Json;

/** HTTP helpers and the real built artifacts, shared by the ITs. */
final class Http {
    static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\d+)\"");

    private Http() {}

    /** The adapter as built by store-rar (copied to target/it-deps by the build). */
    static ResourceAdapterArchive rar() {
        return ShrinkWrap.createFromZipFile(
                ResourceAdapterArchive.class, new File(System.getProperty("it.deps"), "store-rar.rar"));
    }

    /** The application as built by this module. */
    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sample.war")));
    }

    /** {@code size} bytes of seeded noise. */
    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** The SHA-256 of {@code data}, lower-case hex. */
    static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The build's users of the test server's application realm (the pom's {@code it-users}
     * execution): user {@code writer} in role writer, {@code reader} in role reader, {@code nobody}
     * in none; each user's password is its name and {@code -secret}.
     */
    static final String WRITER = "writer";

    static final String READER = "reader";
    static final String NOBODY = "nobody";

    /** A request to {@code path} under the app with user {@value #WRITER}'s credentials. */
    static HttpRequest.Builder to(URI base, String path) {
        return as(WRITER, base, path);
    }

    /** A request with {@code user}'s Basic credentials. */
    static HttpRequest.Builder as(String user, URI base, String path) {
        return anonymous(base, path).header("Authorization", basic(user, user + "-secret"));
    }

    /** A request without credentials. */
    static HttpRequest.Builder anonymous(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    static String basic(String user, String password) {
        return "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** POSTs {@code data}; asserts 201 and a Location; returns the id. */
    static long post(URI base, byte[] data) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(to(base, "api/blobs")
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)));
        assertEquals(201, r.statusCode(), text(r));
        long id = id(r);
        assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/api/blobs/" + id));
        return id;
    }

    static long id(HttpResponse<byte[]> r) {
        Matcher m = ID.matcher(text(r));
        assertTrue(m.find(), "no id in " + text(r));
        return Long.parseLong(m.group(1));
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The response's JSON object as maps, lists, strings, {@code Long}s and booleans (parsed by
     * selenium-json, which the browser test brings anyway: the API's JSON-P has no implementation
     * outside the server).
     */
    static Map<String, Object> json(HttpResponse<byte[]> r) {
        return new Json().toType(text(r), Json.MAP_TYPE);
    }

    /** Asserts a JSON error body with {@code status}. */
    static void assertError(int status, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), text(r));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "JSON error body");
        assertTrue(text(r).contains("\"error\""), text(r));
    }
}
