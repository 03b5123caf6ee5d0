package org.bobbob.store.s3;

import java.io.IOException;
import java.util.Set;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreProvider;
import org.bobbob.store.spi.StoreUrl;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@code bobbob:s3://bucket/prefix[?key=value&...]} kind: an {@link S3Store} on an
 * S3-compatible bucket.
 *
 * <pre>{@code
 * Properties credentials = new Properties();          // or leave them to the SDK's default chain
 * credentials.setProperty("accessKey", accessKey);
 * credentials.setProperty("secretKey", secretKey);
 * Storer store = StoreManager.open(
 *         "bobbob:s3://blobs/app1?endpoint=http://minio:9000&pathStyle=true", credentials);
 * }</pre>
 *
 * <p>Keys beyond the common ones: {@code endpoint} (absent = AWS), {@code region} (default the
 * SDK's region chain; us-east-1 with an endpoint), {@code pathStyle} (default false),
 * {@code partSizeMiB} (5 to 2047, default 8), and {@code accessKey}/{@code secretKey}, which are
 * accepted from the {@code Properties} only: a URL that holds either is refused (BOB-501, the
 * value masked in the message), so that no credential reaches a log through a URL. Without them
 * the SDK's default chain applies (environment, system properties, profile, container or
 * instance role). {@code create} (default true) creates a missing bucket; {@code create=false}
 * refuses it (BOB-802).
 *
 * <p>The client is the SDK's blocking one on Apache HttpClient 5 (pooled connections; no Netty,
 * no event-loop threads), with the standard retry mode (3 attempts, exponential backoff with
 * jitter) and checksums only where an operation requires them, which S3-compatible servers that
 * predate the SDK's default CRC trailers accept. Stateless and thread-safe.
 */
public final class S3StoreProvider implements StoreProvider {
    /** Made by {@link java.util.ServiceLoader}, or by hand; holds no state. */
    public S3StoreProvider() {}

    @Override
    public String kind() {
        return "s3";
    }

    /** {@code endpoint}, {@code region}, {@code pathStyle}, {@code partSizeMiB}, {@code accessKey}, {@code secretKey}. */
    @Override
    public Set<String> extraKeys() {
        return S3Settings.KEYS;
    }

    /**
     * Checks the URL, builds a client and checks the bucket (a HEAD; creating it when missing
     * and {@code create} is true).
     *
     * @throws org.bobbob.store.StoreException BOB-501 for a bad URL, BOB-802 for a missing bucket
     *     with {@code create=false}, BOB-801 if the server cannot be reached or refuses the
     *     credentials; the message names the URL and never a credential
     */
    @Override
    public Storer open(StoreUrl url) throws IOException {
        S3Settings settings = S3Settings.parse(url);
        S3Client client = client(settings);
        try {
            checkBucket(client, settings);
            return new S3Store(client, settings);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .credentialsProvider(settings.credentials)
                .region(settings.region)
                .forcePathStyle(settings.pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (settings.endpoint != null) {
            builder.endpointOverride(settings.endpoint);
        }
        return builder.build();
    }

    private static void checkBucket(S3Client client, S3Settings settings) throws IOException {
        String bucket = settings.bucket;
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Errors.remoteFailed(settings.url, "HEAD bucket " + bucket, e);
            }
        } catch (SdkException e) {
            throw S3Errors.remoteFailed(settings.url, "HEAD bucket " + bucket, e);
        }
        if (!settings.create) {
            throw S3Errors.bucketMissing(settings.url, bucket);
        }
        try {
            client.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 409) { // made meanwhile by another store: fine
                throw S3Errors.remoteFailed(settings.url, "create bucket " + bucket, e);
            }
        } catch (SdkException e) {
            throw S3Errors.remoteFailed(settings.url, "create bucket " + bucket, e);
        }
    }
}
