package org.bobbob.store.s3;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3Proxy (in-memory backend, 127.0.0.1, a free port) for one test class: start it
 * in {@code @BeforeAll}, stop it in {@code @AfterAll}. Each test takes a bucket of its own. Public
 * for the tests of other packages (the command-line tool's, in {@code org.bobbob.store.tool}).
 */
public final class TestS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "bobbob-test-access";
    /** Looked for in every message a test provokes: it must never be there. */
    public static final String SECRET_KEY = "bobbob-test-SECRET-d41d8cd98f00";

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3ProxyJunitCore proxy;

    private TestS3(S3ProxyJunitCore proxy) {
        this.proxy = proxy;
    }

    public static TestS3 start() throws Exception {
        S3ProxyJunitCore proxy = new S3ProxyJunitCore.Builder()
                .withCredentials(ACCESS_KEY, SECRET_KEY)
                .withBlobStoreProvider("transient-nio2")
                .build();
        proxy.beforeEach();
        return new TestS3(proxy);
    }

    /** A bucket name no other test has used. */
    public static String newBucket() {
        return "bucket-" + BUCKETS.incrementAndGet();
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        String uri = proxy.getUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** {@code bobbob:s3://bucket/prefix?endpoint=...&pathStyle=true}, then {@code extra} ("&k=v..."). */
    public String url(String bucket, String prefix, String extra) {
        return "bobbob:s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?endpoint=" + endpoint()
                + "&pathStyle=true" + extra;
    }

    /** The right credentials, as Properties. */
    public static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("accessKey", ACCESS_KEY);
        p.setProperty("secretKey", SECRET_KEY);
        return p;
    }

    /** A bare SDK client on the proxy, for looking at what the store put there. */
    public S3Client rawClient() {
        return S3Client.builder()
                .endpointOverride(proxy.getUri())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() {
        proxy.afterEach();
    }
}
