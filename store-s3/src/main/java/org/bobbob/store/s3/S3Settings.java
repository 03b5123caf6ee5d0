package org.bobbob.store.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bobbob.store.StoreException;
import org.bobbob.store.spi.StoreUrl;
import org.bobbob.store.support.Errors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * What a {@code bobbob:s3://bucket/prefix?...} URL says, checked: the bucket, the key prefix, the
 * endpoint, region, addressing style and multipart part size, and where the credentials come from.
 * Immutable. {@link #toString()} names no credential.
 */
final class S3Settings {
    /** {@code endpoint}: the server's base URI, e.g. {@code http://127.0.0.1:9000}; absent = AWS. */
    static final String ENDPOINT = "endpoint";
    /** {@code region}: the signing region; default the SDK's region chain, or us-east-1 with an endpoint. */
    static final String REGION = "region";
    /** {@code pathStyle}: {@code true} for {@code host/bucket/key} addressing (MinIO, Ceph, S3Proxy). */
    static final String PATH_STYLE = "pathStyle";
    /** {@code partSizeMiB}: the multipart part size and the largest single PUT, 5 to 5120, default 8. */
    static final String PART_SIZE_MIB = "partSizeMiB";
    /**
     * {@code compareAndSet}: {@code true} makes every overwrite conditional on the version its
     * handle opened ({@code If-Match}), so a writer never silently replaces another server's
     * newer version; default {@code false}, the last writer wins.
     */
    static final String COMPARE_AND_SET = "compareAndSet";
    /** {@code accessKey}: with {@link #SECRET_KEY}, static credentials; from {@code Properties} only. */
    static final String ACCESS_KEY = "accessKey";
    /** {@code secretKey}: with {@link #ACCESS_KEY}; from {@code Properties} only, never in the URL. */
    static final String SECRET_KEY = "secretKey";

    static final Set<String> KEYS =
            Set.of(ENDPOINT, REGION, PATH_STYLE, PART_SIZE_MIB, COMPARE_AND_SET, ACCESS_KEY, SECRET_KEY);

    /** S3's rule for bucket names (the dotted-IP form aside). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    static final int DEFAULT_PART_SIZE_MIB = 8;
    /** S3's smallest part but the last. */
    static final int MIN_PART_SIZE_MIB = 5;
    /** 5 GiB, S3's largest part and single PUT, rounded to what an int byte count holds. */
    static final int MAX_PART_SIZE_MIB = 2047;

    final String url;
    final String bucket;
    /** The key prefix without a trailing '/', possibly empty. */
    final String prefix;

    final URI endpoint;
    final Region region;
    final boolean pathStyle;
    final int partSize;
    final boolean create;
    /** {@link #COMPARE_AND_SET}. */
    final boolean compareAndSet;
    /** Never printed. */
    final AwsCredentialsProvider credentials;

    private S3Settings(
            String url,
            String bucket,
            String prefix,
            URI endpoint,
            Region region,
            boolean pathStyle,
            int partSize,
            boolean create,
            boolean compareAndSet,
            AwsCredentialsProvider credentials) {
        this.url = url;
        this.bucket = bucket;
        this.prefix = prefix;
        this.endpoint = endpoint;
        this.region = region;
        this.pathStyle = pathStyle;
        this.partSize = partSize;
        this.create = create;
        this.compareAndSet = compareAndSet;
        this.credentials = credentials;
    }

    /**
     * Checks {@code url}'s location and S3 keys.
     *
     * @throws StoreException BOB-501 for a bad bucket, endpoint, region or part size, for a
     *     credential in the URL itself (the message shows the URL with the value masked), or for
     *     one of accessKey/secretKey without the other
     */
    static S3Settings parse(StoreUrl url) throws StoreException {
        refuseCredentialsInUrl(url.url());
        String location = url.location();
        if (!location.startsWith("//")) {
            throw Errors.badUrl(url.url(), "expected bobbob:s3://<bucket>[/<prefix>]");
        }
        String path = location.substring(2);
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String prefix = slash < 0 ? "" : path.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw Errors.badUrl(
                    url.url(), "bucket '" + bucket + "' is not 3 to 63 lower-case letters, digits, '.' or '-'");
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw Errors.badUrl(url.url(), "prefix '" + prefix + "' has an empty path segment");
        }
        URI endpoint = endpoint(url);
        Region region = region(url, endpoint);
        int partMiB = partSizeMiB(url);
        return new S3Settings(
                url.url(),
                bucket,
                prefix,
                endpoint,
                region,
                url.flag(PATH_STYLE, false),
                partMiB << 20,
                url.create(),
                url.flag(COMPARE_AND_SET, false),
                credentials(url));
    }

    /** The object key of {@code id}: the prefix, '/', and the id as 16 lower-case hex digits. */
    String key(long id) {
        String hex = String.format(Locale.ROOT, "%016x", id);
        return prefix.isEmpty() ? hex : prefix + "/" + hex;
    }

    @Override
    public String toString() {
        return url;
    }

    private static void refuseCredentialsInUrl(String url) throws StoreException {
        int q = url.indexOf('?');
        if (q < 0) {
            return;
        }
        StringBuilder masked = new StringBuilder(url.substring(0, q + 1));
        boolean found = false;
        String[] pairs = url.substring(q + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            String key = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            boolean secret = key.equals(ACCESS_KEY) || key.equals(SECRET_KEY);
            found |= secret;
            masked.append(i == 0 ? "" : "&").append(secret ? key + "=***" : pairs[i]);
        }
        if (found) {
            throw Errors.badUrl(
                    masked.toString(),
                    "accessKey and secretKey are taken from the Properties given with the URL or from the SDK's"
                            + " default credentials chain, never from the URL itself");
        }
    }

    private static URI endpoint(StoreUrl url) throws StoreException {
        String value = url.option(ENDPOINT).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw Errors.badUrl(url.url(), ENDPOINT + "=" + value + " is not an http:// or https:// address with a host");
    }

    private static Region region(StoreUrl url, URI endpoint) throws StoreException {
        String value = url.option(REGION).orElse(null);
        if (value != null) {
            if (!value.trim().matches("[a-z0-9-]+")) {
                throw Errors.badUrl(url.url(), REGION + "=" + value + " is not a region name such as eu-west-1");
            }
            return Region.of(value.trim());
        }
        if (endpoint != null) {
            return Region.US_EAST_1; // what S3-compatible servers sign with unless told otherwise
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw Errors.badUrl(
                    url.url(), "no region: give region=... or set one for the SDK (AWS_REGION, ~/.aws/config)");
        }
    }

    private static int partSizeMiB(StoreUrl url) throws StoreException {
        String value = url.option(PART_SIZE_MIB).orElse(null);
        if (value == null) {
            return DEFAULT_PART_SIZE_MIB;
        }
        try {
            int mib = Integer.parseInt(value.trim());
            if (mib >= MIN_PART_SIZE_MIB && mib <= MAX_PART_SIZE_MIB) {
                return mib;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Errors.badUrl(
                url.url(),
                PART_SIZE_MIB + "=" + value + " must be a whole number from " + MIN_PART_SIZE_MIB + " to "
                        + MAX_PART_SIZE_MIB);
    }

    private static AwsCredentialsProvider credentials(StoreUrl url) throws StoreException {
        String access = url.option(ACCESS_KEY).orElse(null);
        String secret = url.option(SECRET_KEY).orElse(null);
        if (access == null && secret == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (access == null || secret == null || access.isBlank() || secret.isBlank()) {
            throw Errors.badUrl(url.url(), "give both accessKey and secretKey (in the Properties), or neither");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret));
    }
}
