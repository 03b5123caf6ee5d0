package org.bobbob.store.s3;

import java.io.IOException;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every error the S3 provider makes that store-core's {@code Errors} does not: one code each, from
 * {@link ErrorCode}'s {@code BOB-8xx} entries (docs/ERRORS.md).
 *
 * <p>No message names a credential: the URL never holds one (the provider refuses a URL that
 * does), and what is said about a failed request is its operation, key, HTTP status and the
 * server's error code and text, never the request's headers.
 */
final class S3Errors {
    private S3Errors() {}

    /**
     * A request that failed after the client's retries.
     *
     * @param url  the store URL (it holds no secret)
     * @param what the operation and its key, e.g. {@code "PUT blobs/00ab..."}
     */
    static StoreException remoteFailed(String url, String what, SdkException cause) {
        return new StoreException(ErrorCode.REMOTE_FAILED, what + " on " + url + " failed: " + describe(cause), cause);
    }

    /** A failure that is not one request's: {@code detail} says what happened. */
    static StoreException remoteFailed(String url, String what, String detail) {
        return new StoreException(ErrorCode.REMOTE_FAILED, what + " on " + url + " failed: " + detail);
    }

    /** A stream of an object's bytes that broke and could not be resumed. */
    static StoreException readFailed(String url, long id, IOException cause) {
        return new StoreException(
                ErrorCode.REMOTE_FAILED,
                "reading object " + id + " of " + url + " failed: " + cause.getMessage(),
                cause);
    }

    static StoreException bucketMissing(String url, String bucket) {
        return new StoreException(
                ErrorCode.BUCKET_MISSING,
                "bucket '" + bucket + "' of " + url + " does not exist and create=false; nothing was created");
    }

    static StoreException replaced(String url, long id) {
        return new StoreException(
                ErrorCode.OBJECT_REPLACED,
                "object " + id + " of " + url
                        + " was replaced or deleted by another writer while this handle had it open;"
                        + " nothing of this handle's change was made");
    }

    /** The status, the server's error code and its message: what a reader of a log needs, no headers. */
    static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            String code = ase.awsErrorDetails().errorCode();
            String message = ase.awsErrorDetails().errorMessage();
            return "HTTP " + ase.statusCode() + (code == null ? "" : " " + code)
                    + (message == null ? "" : ": " + message);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
