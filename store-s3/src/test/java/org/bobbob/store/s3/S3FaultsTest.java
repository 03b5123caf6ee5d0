package org.bobbob.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.s3.FaultProxy.Outcome;
import org.bobbob.store.s3.FaultProxy.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Server faults between a store and S3, through a {@link FaultProxy} in front of the in-process
 * S3Proxy: HTTP 500s on some or every attempt, a connection cut in the middle of an upload's body,
 * a writing thread interrupted during an upload. Proves that the SDK's retries recover a transient
 * fault; that a persistent one is BOB-801 naming the URL and no secret after exactly the configured
 * 3 attempts; that a failed write leaves the object's old bytes whole (or, for a new object, none
 * of the failed bytes) and no multipart upload open in the bucket; and that the same store works
 * once the fault is gone.
 */
class S3FaultsTest {
    private static final int MIB = 1 << 20;
    /** The SDK's standard retry mode: 3 attempts of each request (S3StoreProvider). */
    private static final int ATTEMPTS = 3;
    /** Past two 5 MiB parts: a Late writer of this many bytes uploads parts 1 and 2 while it writes, part 3 at close. */
    private static final int LARGE = 12 * MIB + 123;

    private static TestS3 s3;
    private static S3Client raw;
    private static FaultProxy proxy;

    private String bucket;
    private String url;
    private Storer store;

    @BeforeAll
    static void startServers() throws Exception {
        s3 = TestS3.start();
        raw = s3.rawClient();
        proxy = FaultProxy.start(s3.endpoint());
    }

    @AfterAll
    static void stopServers() throws IOException {
        proxy.close();
        raw.close();
        s3.close();
    }

    /** A store on a new bucket through the proxy, with 5 MiB parts. */
    @BeforeEach
    void openStore() throws IOException {
        proxy.heal();
        bucket = TestS3.newBucket();
        url = "bobbob:s3://" + bucket + "/p?endpoint=" + proxy.endpoint() + "&pathStyle=true&partSizeMiB=5";
        store = StoreManager.open(url, TestS3.credentials());
        proxy.clearRequests();
    }

    @AfterEach
    void closeStore() throws IOException {
        proxy.heal();
        store.close();
    }

    /**
     * Through the default {@code ConcurrentStore} a new object from bytes is two PUTs (the
     * conditional create, then the bytes), so the requests of a call without faults are the
     * baseline: with two 500s, the proxy sees that baseline with its first request tried twice more.
     */
    @Test
    void serverErrorsOnFewerAttemptsThanTheRetriesAreRetriedAndTheCallSucceeds() throws Exception {
        store.writeNewObjFromBytes(TestBytes.of(0, 1000));
        List<Request> baseline = proxy.requests();
        proxy.clearRequests();

        proxy.failNext(ATTEMPTS - 1, r -> true);
        byte[] data = TestBytes.of(1, 1000);
        long id = store.writeNewObjFromBytes(data);

        List<Request> seen = proxy.requests();
        assertEquals(baseline.size() + ATTEMPTS - 1, seen.size(), seen.toString());
        Request create = seen.get(0);
        assertTrue(create.method().equals("PUT") && create.isFor(bucket, key(id)), create.toString());
        for (int i = 0; i < ATTEMPTS; i++) {
            Request attempt = seen.get(i);
            assertEquals(create.target(), attempt.target(), "attempt " + (i + 1) + " repeats the create");
            assertEquals(i < ATTEMPTS - 1 ? Outcome.FAILED : Outcome.FORWARDED, attempt.outcome());
        }
        for (int i = 1; i < baseline.size(); i++) {
            Request r = seen.get(ATTEMPTS - 1 + i);
            assertEquals(Outcome.FORWARDED, r.outcome());
            assertEquals(baseline.get(i).method(), r.method(), "then the requests of a call without faults");
            assertEquals(baseline.get(i).bodyLength(), r.bodyLength());
        }
        assertArrayEquals(data, store.readBytesFromObj(id));
    }

    @Test
    void serverErrorsOnEveryAttemptAreBob801AfterThreeAttemptsAndTheOldBytesStay() throws Exception {
        byte[] old = TestBytes.of(2, 1000);
        byte[] replacement = TestBytes.of(3, 1000);
        long id = store.writeNewObjFromBytes(old);

        // every PUT of the object: the overwrite's HEAD passes, its PUT fails each attempt
        Predicate<Request> putOfIt = r -> r.method().equals("PUT") && r.isFor(bucket, key(id));
        proxy.clearRequests();
        proxy.failNext(Integer.MAX_VALUE, putOfIt);
        StoreException e = assertThrows(StoreException.class, () -> store.writeBytesToObj(id, replacement));
        assertRemoteFailure(e, "PUT p/" + String.format(Locale.ROOT, "%016x", id));
        assertTrue(e.getMessage().contains("HTTP 500 InternalError"), e.getMessage());
        assertEquals(ATTEMPTS, proxy.requests(putOfIt).size(), "bounded: the configured attempts, no more");

        // every request at all: a read fails the same way, after as many attempts
        proxy.clearRequests();
        proxy.failNext(Integer.MAX_VALUE, r -> true);
        StoreException read = assertThrows(StoreException.class, () -> store.readBytesFromObj(id));
        assertRemoteFailure(read, "GET");
        assertEquals(ATTEMPTS, proxy.requests().size(), proxy.requests().toString());
        assertTrue(proxy.requests().stream().allMatch(r -> r.method().equals("GET") && r.isFor(bucket, key(id))));

        proxy.heal();
        assertArrayEquals(old, store.readBytesFromObj(id), "the failed overwrite changed nothing");
        store.writeBytesToObj(id, replacement);
        assertArrayEquals(replacement, store.readBytesFromObj(id), "the same store works again");
    }

    @Test
    void aConnectionCutInsideAnUploadPartFailsTheOverwriteAbortsTheUploadAndKeepsTheOldBytes() throws Exception {
        byte[] old = TestBytes.of(4, LARGE);
        long id = writeLate(old);
        byte[] replacement = TestBytes.of(5, LARGE);

        proxy.clearRequests();
        proxy.cutNext(Integer.MAX_VALUE, MIB, uploadPart(2));
        StoreException e = assertThrows(StoreException.class, () -> {
            try (ObjectWriter w = store.writeToObj(id)) {
                write(w, replacement);
            }
        });
        assertRemoteFailure(e, "UploadPart 2 of p/" + String.format(Locale.ROOT, "%016x", id));
        assertEquals(
                List.of(Outcome.CUT, Outcome.CUT, Outcome.CUT),
                outcomes(proxy.requests(uploadPart(2))),
                "each attempt of part 2 cut mid-body, no more attempts");
        assertEquals(
                1,
                proxy.requests(r -> r.method().equals("DELETE") && r.query("uploadId") != null)
                        .size(),
                "the upload was aborted");
        assertNoUploadOpen();

        proxy.heal();
        assertArrayEquals(old, store.readBytesFromObj(id), "the old bytes, whole");
        store.writeBytesToObj(id, replacement);
        assertArrayEquals(replacement, store.readBytesFromObj(id), "the same store works again");
        assertNoUploadOpen();
    }

    @Test
    void aConnectionCutInsideTheLastPartOfANewObjectLeavesItHoldingNoneOfTheBytes() throws Exception {
        proxy.cutNext(Integer.MAX_VALUE, MIB, uploadPart(3));
        AtomicReference<Long> id = new AtomicReference<>();
        StoreException e = assertThrows(StoreException.class, () -> {
            try (ObjectWriter w = store.lateWriteNewObj(LARGE)) {
                id.set(w.id());
                write(w, TestBytes.of(6, LARGE)); // parts 1 and 2 go up; part 3 at close is cut
            }
        });
        assertRemoteFailure(e, "UploadPart 3");
        assertEquals(ATTEMPTS, proxy.requests(uploadPart(3)).size());
        assertNoUploadOpen();

        proxy.heal();
        assertArrayEquals(new byte[LARGE], store.readBytesFromObj(id.get()), "the object as created: zeros");
    }

    @Test
    void aConnectionCutInsideTheSinglePutOfAnOverwriteKeepsTheOldBytes() throws Exception {
        byte[] old = TestBytes.of(7, 2 * MIB);
        long id = store.writeNewObjFromBytes(old);
        Predicate<Request> putOfIt = r -> r.method().equals("PUT") && r.isFor(bucket, key(id));

        proxy.clearRequests();
        proxy.cutNext(Integer.MAX_VALUE, 64 * 1024, putOfIt);
        StoreException e =
                assertThrows(StoreException.class, () -> store.writeBytesToObj(id, TestBytes.of(8, 2 * MIB)));
        assertRemoteFailure(e, "PUT p/");
        assertEquals(List.of(Outcome.CUT, Outcome.CUT, Outcome.CUT), outcomes(proxy.requests(putOfIt)));

        proxy.heal();
        assertArrayEquals(old, store.readBytesFromObj(id), "the old bytes, whole");
    }

    /**
     * The thread is interrupted while the server holds its part 2 (a socket write or read does not
     * see an interrupt; the SDK checks the thread's status between its steps): the write fails with
     * an {@link InterruptedIOException}, the thread stays interrupted, the multipart upload is
     * aborted all the same, and the object keeps its old bytes.
     */
    @Test
    void aThreadInterruptedDuringAnUploadGetsInterruptedIoExceptionAndTheUploadIsAborted() throws Exception {
        byte[] old = TestBytes.of(9, LARGE);
        long id = writeLate(old);
        byte[] replacement = TestBytes.of(10, LARGE);

        FaultProxy.Hold hold = proxy.holdNext(uploadPart(2));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread writer = new Thread(
                () -> {
                    try (ObjectWriter w = store.writeToObj(id)) {
                        write(w, replacement);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                    interruptedAfter.set(Thread.currentThread().isInterrupted());
                },
                "interrupted writer");
        writer.start();
        try {
            assertTrue(hold.awaitArrival(60), "part 2 reached the proxy");
            writer.interrupt();
        } finally {
            hold.release();
        }
        writer.join(60_000);
        assertFalse(writer.isAlive(), "the writer finished");

        Throwable t = failure.get();
        assertInstanceOf(InterruptedIOException.class, t, String.valueOf(t));
        assertTrue(t.getMessage().contains(url) && t.getMessage().contains("interrupted"), t.getMessage());
        assertTrue(interruptedAfter.get(), "the thread's interrupt status is kept");
        assertNoUploadOpen();
        assertArrayEquals(old, store.readBytesFromObj(id), "the old bytes, whole");
        store.writeBytesToObj(id, replacement);
        assertArrayEquals(replacement, store.readBytesFromObj(id), "the same store works again");
    }

    /** The check the tests above rely on can fail: the server lists an upload that was not finished. */
    @Test
    void theBucketListsAMultipartUploadLeftOpen() {
        String upload = raw.createMultipartUpload(b -> b.bucket(bucket).key("p/left-open"))
                .uploadId();
        try {
            assertEquals(
                    List.of(upload),
                    raw.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                            .map(u -> u.uploadId())
                            .toList());
        } finally {
            raw.abortMultipartUpload(b -> b.bucket(bucket).key("p/left-open").uploadId(upload));
        }
        assertNoUploadOpen();
    }

    // ---------------------------------------------------------------- helpers

    private static String key(long id) {
        return String.format(Locale.ROOT, "p/%016x", id);
    }

    private static Predicate<Request> uploadPart(int number) {
        return r -> r.method().equals("PUT") && Integer.toString(number).equals(r.query("partNumber"));
    }

    private static List<Outcome> outcomes(List<Request> requests) {
        return requests.stream().map(Request::outcome).toList();
    }

    /** A new object of {@code data.length} bytes through a Late writer (a multipart upload past 5 MiB). */
    private long writeLate(byte[] data) throws IOException {
        try (ObjectWriter w = store.lateWriteNewObj(data.length)) {
            write(w, data);
            return w.id();
        }
    }

    /** Writes {@code data} in 1 MiB pieces, as a stream copy would. */
    private static void write(ObjectWriter w, byte[] data) throws IOException {
        for (int at = 0; at < data.length; at += MIB) {
            ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(MIB, data.length - at));
            while (piece.hasRemaining()) {
                w.write(piece);
            }
        }
    }

    private void assertNoUploadOpen() {
        assertEquals(
                List.of(), raw.listMultipartUploads(b -> b.bucket(bucket)).uploads(), "multipart uploads left open");
    }

    /** BOB-801 about {@code what}, naming the URL, and no secret anywhere in what a log would show. */
    private void assertRemoteFailure(StoreException e, String what) {
        assertEquals(ErrorCode.REMOTE_FAILED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains(url), e.getMessage());
        StringWriter log = new StringWriter();
        e.printStackTrace(new PrintWriter(log));
        assertFalse(log.toString().contains(TestS3.SECRET_KEY), "a secret in:\n" + log);
    }
}
