package org.bobbob.store.s3;

import java.io.IOException;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.StorerContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * store-core's {@link StorerContract}, the suite the file stores pass, on {@code bobbob:s3:}
 * stores against an in-process S3Proxy: the bare store ({@code concurrent=false}) and the
 * {@link ConcurrentStore} that {@link StoreManager} gives by default. Each test gets a bucket of
 * its own; {@code reopen()} opens a second store on it.
 */
class S3StoreContractTest {
    private static TestS3 s3;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = TestS3.start();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    /** The contract on a fresh bucket, opened through {@link StoreManager} with {@code extra} keys. */
    abstract static class OnS3 extends StorerContract {
        private final String url;

        OnS3(String extra) {
            url = s3.url(TestS3.newBucket(), "blobs", extra);
        }

        @Override
        protected Storer create() throws IOException {
            return StoreManager.open(url, TestS3.credentials());
        }

        @Override
        protected Storer reopen() throws IOException {
            return StoreManager.open(url + "&create=false", TestS3.credentials());
        }
    }

    @Nested
    class Bare extends OnS3 {
        Bare() {
            super("&concurrent=false");
        }
    }

    @Nested
    class Concurrent extends OnS3 {
        Concurrent() {
            super("");
        }
    }
}
