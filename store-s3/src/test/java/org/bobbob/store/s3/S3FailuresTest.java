package org.bobbob.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.Properties;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bad URLs, wrong credentials, an unreachable or stopped server, a missing bucket: each a
 * {@link StoreException} with its code, naming the URL and never a credential.
 */
class S3FailuresTest {
    private static TestS3 s3;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    /** The exception's messages, its causes' and its suppressed ones', with the stack: what a log would show. */
    private static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void assertNoSecret(Throwable t, String... secrets) {
        String text = everything(t);
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret in:\n" + text);
        }
    }

    @Test
    void credentialsInTheUrlAreRefusedWithTheirValuesMasked() {
        for (String key : new String[] {"secretKey", "accessKey"}) {
            String url = s3.url(TestS3.newBucket(), "", "&" + key + "=" + TestS3.SECRET_KEY);
            StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(url, new Properties()));
            assertEquals(ErrorCode.BAD_URL, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(key + "=***"), e.getMessage());
            assertNoSecret(e, TestS3.SECRET_KEY);
        }
    }

    @Test
    void wrongCredentialsAreARemoteFailureNamingTheUrlAndNoSecret() {
        String url = s3.url(TestS3.newBucket(), "p", "");
        Properties wrong = new Properties();
        wrong.setProperty("accessKey", TestS3.ACCESS_KEY);
        wrong.setProperty("secretKey", "wrong-SECRET-7f3a9c");
        StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(url, wrong));
        assertEquals(ErrorCode.REMOTE_FAILED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertNoSecret(e, "wrong-SECRET-7f3a9c", TestS3.SECRET_KEY);
    }

    @Test
    void anUnreachableEndpointFailsAfterBoundedRetries() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "bobbob:s3://bucket/p?endpoint=http://127.0.0.1:" + closedPort + "&pathStyle=true";
        long start = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, () -> StoreManager.open(url, TestS3.credentials()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCode.REMOTE_FAILED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(millis < 20_000, "retries are bounded: " + millis + " ms");
        assertNoSecret(e, TestS3.SECRET_KEY);
    }

    @Test
    void aMissingBucketIsRefusedWithCreateFalseAndMadeOtherwise() throws Exception {
        String bucket = TestS3.newBucket();
        String url = s3.url(bucket, "", "");
        StoreException e = assertThrows(
                StoreException.class, () -> StoreManager.open(url + "&create=false", TestS3.credentials()));
        assertEquals(ErrorCode.BUCKET_MISSING, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(bucket) && e.getMessage().contains(url), e.getMessage());
        try (Storer s = StoreManager.open(url, TestS3.credentials())) {
            s.writeNewObjFromBytes(new byte[] {1});
        }
        StoreManager.open(url + "&create=false", TestS3.credentials()).close();
    }

    @Test
    void badLocationsAndValuesAreBadUrls() {
        String endpoint = "?endpoint=" + s3.endpoint();
        for (String url : new String[] {
            "bobbob:s3:bucket/p" + endpoint,
            "bobbob:s3://Bad_Bucket/p" + endpoint,
            "bobbob:s3://bucket//p" + endpoint,
            "bobbob:s3://bucket/p?endpoint=ftp://host",
            "bobbob:s3://bucket/p" + endpoint + "&partSizeMiB=4",
            "bobbob:s3://bucket/p" + endpoint + "&region=Not A Region",
            "bobbob:s3://bucket/p" + endpoint + "&pathStyle=maybe",
        }) {
            StoreException e =
                    assertThrows(StoreException.class, () -> StoreManager.open(url, TestS3.credentials()), url);
            assertEquals(ErrorCode.BAD_URL, e.code(), e.getMessage());
            assertNoSecret(e, TestS3.SECRET_KEY);
        }
        Properties half = new Properties();
        half.setProperty("accessKey", TestS3.ACCESS_KEY);
        StoreException e =
                assertThrows(StoreException.class, () -> StoreManager.open("bobbob:s3://bucket/p" + endpoint, half));
        assertEquals(ErrorCode.BAD_URL, e.code(), e.getMessage());
    }

    @Test
    void aStoppedServerFailsCallsAndTheStoreCarriesOnWhenItReturns() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3ProxyJunitCore server = server(port);
        String url = "bobbob:s3://returning/p?endpoint=http://127.0.0.1:" + port + "&pathStyle=true";
        try (Storer s = StoreManager.open(url, TestS3.credentials())) {
            long before = s.writeNewObjFromBytes(TestBytes.of(1, 1000));
            server.afterEach();
            StoreException e = assertThrows(StoreException.class, () -> s.writeNewObjFromBytes(new byte[10]));
            assertEquals(ErrorCode.REMOTE_FAILED, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertNoSecret(e, TestS3.SECRET_KEY);
            assertThrows(StoreException.class, () -> s.readBytesFromObj(before));

            server = server(port); // back, empty (an in-memory backend): the bucket is made again
            try (S3Client raw = raw(port)) {
                raw.createBucket(b -> b.bucket("returning"));
            }
            long after = s.writeNewObjFromBytes(TestBytes.of(2, 1000));
            assertArrayEquals(TestBytes.of(2, 1000), s.readBytesFromObj(after), "the same store works again");
        } finally {
            server.afterEach();
        }
    }

    private static S3ProxyJunitCore server(int port) throws Exception {
        S3ProxyJunitCore server = new S3ProxyJunitCore.Builder()
                .withCredentials(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)
                .withBlobStoreProvider("transient-nio2")
                .withPort(port)
                .build();
        server.beforeEach();
        return server;
    }

    private static S3Client raw(int port) {
        return S3Client.builder()
                .endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY)))
                .build();
    }
}
