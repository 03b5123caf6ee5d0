package org.bobbob.store.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.support.BatchArguments;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.SelfGuardedCreates;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link Storer} whose objects are the objects of one S3 bucket under one key prefix: the
 * {@code bobbob:s3://bucket/prefix} kind ({@link S3StoreProvider}). Any number of stores, in
 * any number of JVMs and servers, may share a bucket and prefix: nothing coordinates them but the
 * bucket.
 *
 * <h2>Mapping</h2>
 * <table>
 *   <caption>Storer calls and S3 requests</caption>
 *   <tr><th>call</th><th>requests</th></tr>
 *   <tr><td>{@code newObj}, {@code lateWriteNewObj}, {@code writeNewObjFromBytes}</td>
 *       <td>a PUT with {@code If-None-Match: *} at a random id's key (a clash, 412, draws again);
 *       a Late writer's bytes follow at its close: one PUT, or a multipart upload when they pass
 *       the part size</td></tr>
 *   <tr><td>{@code lateReadObj}, {@code readBytesFromObj}</td><td>one streaming GET; a broken
 *       stream resumes with a ranged GET pinned to the same version ({@code If-Match})</td></tr>
 *   <tr><td>{@code writeToObj}</td><td>a HEAD; at close the written bytes and the object's old
 *       tail (a ranged GET) in one PUT or multipart upload</td></tr>
 *   <tr><td>{@code deleteObj}</td><td>a HEAD (a missing id is {@code ObjectNotFoundException}), a DELETE</td></tr>
 *   <tr><td>{@code primeObject}</td><td>a HEAD of id 1's key; the first call creates it (conditional PUT)</td></tr>
 *   <tr><td>{@code sync}</td><td>none: it waits for this store's requests under way</td></tr>
 * </table>
 *
 * <ul>
 *   <li><b>Ids</b> are random in [2^16, 2^63) from a {@link SecureRandom}; key = prefix, '/',
 *       16 hex digits. Id 1 is the prime object; other ids below 2^16 are never handed out. A
 *       conditional create makes an id unique among live objects of every store on the bucket; a
 *       deleted id is drawn again only by chance (about n/2^63 per new object for n objects ever
 *       made), unlike the file stores, which never reuse one.
 *   <li><b>Sizes</b>: an object's size is its {@code x-amz-meta-bobbob-size}; the S3 object holds
 *       the bytes written so far, at most that many, and the rest reads as zeros. So
 *       {@code newObj(size)} uploads nothing but the header, and a Late writer uploads only what
 *       it wrote.
 *   <li><b>Overwrites are atomic per object</b>: a writer's bytes go up at its close as one PUT
 *       or one completed multipart upload, so readers, here or on another server, see the old
 *       bytes or the new, never a mix (the file stores do not promise that across a crash). Two
 *       writers of one object on different servers: the last to close wins. A writer buffers at
 *       most one part ({@code partSizeMiB}, default 8 MiB).
 *   <li><b>Durability</b>: a call or a writer's close returns once S3 has acknowledged the
 *       upload, which S3 makes durable; {@link #sync()} waits for the uploads other threads have
 *       under way.
 * </ul>
 *
 * <p>Thread-safe: any mix of threads may use one store (each call is a few independent
 * requests); a handle is for one thread at a time. {@code StoreManager} wraps it in a
 * {@code ConcurrentStore} (per-JVM object locks) unless the URL says {@code concurrent=false}; as
 * {@link SelfGuardedCreates}, its {@code writeNewObjFromBytes} (one conditional PUT) is called by
 * that wrapper directly, not as an allocation under the wrapper's global lock and then a write
 * through a handle (which would be two PUTs, the first under that lock).
 * Offers {@link ObjectInfoProvider} (size from a HEAD; offset 0: each object is its own S3 object)
 * and {@link ObjectLister} (a listing of the prefix, so {@code export} can walk the store);
 * not {@code StatisticsProvider} (counting objects takes a listing of the whole prefix) and not
 * transactions. Failed requests are {@link StoreException}s BOB-801 naming the URL, after the
 * SDK's standard retries (3 attempts, exponential backoff).
 */
final class S3Store implements Storer, SelfGuardedCreates, ObjectInfoProvider, ObjectLister {
    /** The prime object's id: a fixed key, {@code <prefix>/0000000000000001}. */
    static final long PRIME_ID = 1;
    /** Random ids start here; the ids below are kept for fixed keys such as the prime object. */
    static final long FIRST_RANDOM_ID = 1L << 16;
    /** The user metadata that holds an object's size ({@code x-amz-meta-bobbob-size}). */
    static final String SIZE_KEY = "bobbob-size";
    /** Draws of a random id before a create gives up: eight clashes in a row mean something else is wrong. */
    static final int CREATE_ATTEMPTS = 8;
    /** Times a reader resumes a broken stream within one read. */
    static final int READ_RESUMES = 2;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Client s3;
    private final S3Settings settings;
    /** The source of candidate ids: random in production, scripted in tests. Thread-safe. */
    private final LongSupplier ids;

    private final InFlight inFlight = new InFlight();
    /**
     * Set once by {@link #close()}, before it waits for {@link #inFlight}; every request registers
     * in {@code inFlight} before it reads this flag, so a request either sees the store closed or
     * is waited for.
     */
    private volatile boolean closed;

    /** A store over {@code s3}, which it owns and closes. */
    S3Store(S3Client s3, S3Settings settings) {
        this(s3, settings, S3Store::randomId);
    }

    /** As {@link #S3Store(S3Client, S3Settings)}, drawing candidate ids from {@code ids} (tests). */
    S3Store(S3Client s3, S3Settings settings, LongSupplier ids) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    private static long randomId() {
        long id;
        do {
            id = RANDOM.nextLong() & Long.MAX_VALUE;
        } while (id < FIRST_RANDOM_ID);
        return id;
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public long newObj(int size) throws IOException {
        checkSize(size);
        return create(size, null).id();
    }

    /** One conditional PUT with the bytes: no handle, no second request. */
    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        return create(data.length, data).id();
    }

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        checkSize(size);
        Created created = create(size, null);
        return new S3Writer(this, created.id(), size, true, 0, created.eTag());
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        checkId(id);
        ResponseInputStream<GetObjectResponse> in = request("GET " + key(id), () -> {
            try {
                return s3.getObject(b -> b.bucket(settings.bucket).key(key(id)));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return null;
                }
                throw e;
            }
        });
        if (in == null) {
            throw Errors.notFound(id);
        }
        GetObjectResponse r = in.response();
        long length = r.contentLength() == null ? 0 : r.contentLength();
        return new S3Reader(this, id, sizeOf(r.metadata(), length), length, r.eTag(), in);
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        checkId(id);
        HeadObjectResponse head = head(id);
        if (head == null) {
            throw Errors.notFound(id);
        }
        long length = head.contentLength() == null ? 0 : head.contentLength();
        return new S3Writer(this, id, sizeOf(head.metadata(), length), false, length, head.eTag());
    }

    @Override
    public void deleteObj(long id) throws IOException {
        checkId(id);
        if (head(id) == null) {
            throw Errors.notFound(id);
        }
        request(
                "DELETE " + key(id),
                () -> s3.deleteObject(b -> b.bucket(settings.bucket).key(key(id))));
    }

    @Override
    public long primeObject(int size) throws IOException {
        checkSize(size);
        while (true) {
            HeadObjectResponse head = head(PRIME_ID);
            if (head != null) {
                int has = sizeOf(head.metadata(), head.contentLength() == null ? 0 : head.contentLength());
                if (has < size) {
                    throw Errors.primeTooSmall(PRIME_ID, has, size);
                }
                return PRIME_ID;
            }
            if (putIfAbsent(PRIME_ID, size, null) != null) {
                return PRIME_ID;
            }
            // another store made it between the HEAD and the PUT: read its size
        }
    }

    /**
     * Writes each object's first {@code sizes[i]} bytes, one object after another: S3 has no
     * adjacency, so any ids do. Every object is checked (a HEAD each) before the first write; each
     * write is atomic, the batch is not.
     */
    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        BatchArguments.check(ids, data, sizes);
        ObjectWriter[] writers = new ObjectWriter[ids.length];
        try {
            for (int i = 0; i < ids.length; i++) {
                writers[i] = writeToObj(ids[i]);
                if (sizes[i] > writers[i].size()) {
                    throw new IllegalArgumentException("sizes[" + i + "] = " + sizes[i] + " is larger than object "
                            + ids[i] + " (" + writers[i].size() + " bytes)");
                }
            }
            int offset = 0;
            for (int i = 0; i < ids.length; i++) {
                ByteBuffer src = ByteBuffer.wrap(data, offset, sizes[i]);
                while (src.hasRemaining()) {
                    writers[i].write(src);
                }
                writers[i].close();
                offset += sizes[i];
            }
        } finally {
            closeQuietly(writers);
        }
    }

    @Override
    public void sync() throws IOException {
        checkOpen();
        inFlight.awaitEarlier();
    }

    /** Refuses new calls, waits for the requests under way, then closes the client. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            inFlight.awaitEarlier();
        } finally {
            s3.close();
        }
    }

    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        if (isWrapperFor(capability)) {
            return capability.cast(this);
        }
        throw Errors.unsupported("S3Store", capability);
    }

    @Override
    public boolean isWrapperFor(Class<?> capability) {
        // SelfGuardedCreates is for the ConcurrentStore directly above, never offered (see its doc)
        return capability != null && capability != SelfGuardedCreates.class && capability.isInstance(this);
    }

    // ---------------------------------------------------------------- ObjectInfoProvider

    /**
     * The object's size from a HEAD: offset 0 (an S3 object of its own), allocated size = size.
     *
     * @throws UncheckedIOException wrapping a {@link StoreException} if the request fails or the
     *     store is closed (the interface's method declares no checked exception)
     */
    @Override
    public Optional<ObjectInfo> objectInfo(long id) {
        if (id <= 0) {
            return Optional.empty();
        }
        try {
            HeadObjectResponse head = head(id);
            if (head == null) {
                return Optional.empty();
            }
            int size = sizeOf(head.metadata(), head.contentLength() == null ? 0 : head.contentLength());
            return Optional.of(new ObjectInfo(0, size, size));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- ObjectLister

    /**
     * The ids of the keys under the prefix that name an object of a store (the prefix, '/', 16 hex
     * digits; other keys there are skipped), from a listing of the prefix (1 000 keys a request),
     * ascending. The listing is as S3 gives it while other stores on the prefix may write: an
     * object created meanwhile may be missing, one deleted meanwhile may be listed.
     */
    @Override
    public long[] objectIds() throws IOException {
        String under = settings.prefix.isEmpty() ? "" : settings.prefix + "/";
        return request("LIST " + settings.bucket + "/" + under, () -> {
            long[] ids = new long[64];
            int n = 0;
            for (S3Object o : s3.listObjectsV2Paginator(
                            b -> b.bucket(settings.bucket).prefix(under))
                    .contents()) {
                long id = idOf(o.key(), under.length());
                if (id > 0) {
                    if (n == ids.length) {
                        ids = Arrays.copyOf(ids, n * 2);
                    }
                    ids[n++] = id;
                }
            }
            long[] out = Arrays.copyOf(ids, n);
            Arrays.sort(out);
            return out;
        });
    }

    /** The id a key names after its first {@code from} characters, or 0 if it names none. */
    private static long idOf(String key, int from) {
        if (key.length() != from + 16) {
            return 0;
        }
        for (int i = from; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return 0;
            }
        }
        long id = Long.parseUnsignedLong(key.substring(from), 16);
        return id > 0 ? id : 0;
    }

    /** {@link #PRIME_ID} if its key exists (a HEAD), else 0. */
    @Override
    public long primeObjectId() throws IOException {
        return head(PRIME_ID) != null ? PRIME_ID : 0;
    }

    @Override
    public String toString() {
        return "S3Store[" + settings.url + "]";
    }

    // ---------------------------------------------------------------- requests, for the handles too

    /** One request (or a few that belong together), registered for {@link #sync()}; SDK failures become BOB-801. */
    <T> T request(String what, SdkCall<T> call) throws IOException {
        long ticket = inFlight.begin();
        try {
            checkOpen();
            return call.run();
        } catch (AbortedException e) {
            if (Thread.currentThread().isInterrupted()) {
                InterruptedIOException ie = new InterruptedIOException(what + " on " + settings.url + " interrupted");
                ie.initCause(e);
                throw ie;
            }
            throw S3Errors.remoteFailed(settings.url, what, e);
        } catch (SdkException e) {
            throw S3Errors.remoteFailed(settings.url, what, e);
        } finally {
            inFlight.end(ticket);
        }
    }

    /** An SDK call that may throw the SDK's unchecked exceptions or a store exception. */
    @FunctionalInterface
    interface SdkCall<T> {
        T run() throws IOException;
    }

    /** The key of {@code id}. */
    String key(long id) {
        return settings.key(id);
    }

    /** Bytes a writer buffers before it starts a multipart upload; every part but the last has this many. */
    int partSize() {
        return settings.partSize;
    }

    String url() {
        return settings.url;
    }

    /** @throws org.bobbob.store.StoreClosedException if {@link #close()} was called */
    void checkOpen() throws StoreException {
        if (closed) {
            throw Errors.closed(this);
        }
    }

    /** The object's headers, or null if there is no such object. */
    HeadObjectResponse head(long id) throws IOException {
        return request("HEAD " + key(id), () -> {
            try {
                return s3.headObject(b -> b.bucket(settings.bucket).key(key(id)));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return null;
                }
                throw e;
            }
        });
    }

    /**
     * The object's bytes {@code from} to {@code to} (inclusive) of the version whose ETag is
     * {@code eTag}.
     *
     * @throws StoreException BOB-803 if the object has another version now, or none
     */
    ResponseInputStream<GetObjectResponse> getRange(long id, long from, long to, String eTag) throws IOException {
        ResponseInputStream<GetObjectResponse> in = request("GET " + key(id) + " bytes " + from + "-" + to, () -> {
            try {
                return s3.getObject(b -> b.bucket(settings.bucket)
                        .key(key(id))
                        .range("bytes=" + from + "-" + to)
                        .ifMatch(eTag));
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 404) {
                    return null;
                }
                throw e;
            }
        });
        if (in == null) {
            throw S3Errors.replaced(settings.url, id);
        }
        return in;
    }

    /**
     * Replaces the object with the first {@code length} bytes of {@code data}; its size stays
     * {@code size}. With {@code ifMatch} (an ETag) the PUT is conditional on that version.
     *
     * @throws StoreException BOB-803 if {@code ifMatch} is not the object's version now (or there
     *     is no object): nothing was replaced
     */
    void put(long id, int size, byte[] data, int length, String ifMatch) throws IOException {
        conditional(
                id,
                ifMatch,
                "PUT " + key(id),
                () -> s3.putObject(
                        b -> b.bucket(settings.bucket)
                                .key(key(id))
                                .contentLength((long) length)
                                .metadata(sizeMeta(size))
                                .ifMatch(ifMatch),
                        body(data, length)));
    }

    /** The ETag an overwrite of the version {@code opened} must match, or null: the last writer wins. */
    String ifMatch(String opened) {
        return settings.compareAndSet ? opened : null;
    }

    /**
     * {@code call} as {@link #request}; when {@code ifMatch} is set, a 412 (another version) or a
     * 404 (no object) is BOB-803.
     */
    private void conditional(long id, String ifMatch, String what, SdkCall<?> call) throws IOException {
        request(what, () -> {
            try {
                return call.run();
            } catch (S3Exception e) {
                if (ifMatch != null && (e.statusCode() == 412 || e.statusCode() == 404)) {
                    throw S3Errors.replaced(settings.url, id);
                }
                throw e;
            }
        });
    }

    /** Starts a multipart upload that will replace the object; returns its upload id. */
    String startMultipart(long id, int size) throws IOException {
        return request("CreateMultipartUpload " + key(id), () -> s3.createMultipartUpload(
                        b -> b.bucket(settings.bucket).key(key(id)).metadata(sizeMeta(size)))
                .uploadId());
    }

    CompletedPart uploadPart(long id, String uploadId, int number, byte[] data, int length) throws IOException {
        String eTag = request("UploadPart " + number + " of " + key(id), () -> s3.uploadPart(
                        b -> b.bucket(settings.bucket)
                                .key(key(id))
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength((long) length),
                        body(data, length))
                .eTag());
        return CompletedPart.builder().partNumber(number).eTag(eTag).build();
    }

    /** Completes the upload: the object is replaced, whole; {@code ifMatch} as for {@link #put}. */
    void completeMultipart(long id, String uploadId, List<CompletedPart> parts, String ifMatch) throws IOException {
        conditional(
                id,
                ifMatch,
                "CompleteMultipartUpload " + key(id),
                () -> s3.completeMultipartUpload(b -> b.bucket(settings.bucket)
                        .key(key(id))
                        .uploadId(uploadId)
                        .multipartUpload(
                                CompletedMultipartUpload.builder().parts(parts).build())
                        .ifMatch(ifMatch)));
    }

    /** Drops an unfinished upload; a failure here only leaves parts for the bucket's lifecycle rule. */
    void abortMultipart(long id, String uploadId) throws IOException {
        request(
                "AbortMultipartUpload " + key(id),
                () -> s3.abortMultipartUpload(
                        b -> b.bucket(settings.bucket).key(key(id)).uploadId(uploadId)));
    }

    // ---------------------------------------------------------------- creation

    /** A new object's id and the ETag of what its create put there. */
    record Created(long id, String eTag) {}

    /** Creates an object of {@code size} bytes at a fresh random id, holding {@code data} (null: none). */
    private Created create(int size, byte[] data) throws IOException {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            long id = ids.getAsLong();
            if (id < FIRST_RANDOM_ID) {
                throw new IllegalStateException("id source gave " + id + ", below " + FIRST_RANDOM_ID);
            }
            String eTag = putIfAbsent(id, size, data);
            if (eTag != null) {
                return new Created(id, eTag);
            }
        }
        throw S3Errors.remoteFailed(
                settings.url,
                "create",
                CREATE_ATTEMPTS + " random ids in a row were taken; the bucket's server may not honour"
                        + " If-None-Match");
    }

    /** A PUT with {@code If-None-Match: *}: the new ETag, or null if the key exists (412, or 409 for a race). */
    private String putIfAbsent(long id, int size, byte[] data) throws IOException {
        int length = data == null ? 0 : data.length;
        return request("PUT " + key(id) + " (If-None-Match)", () -> {
            try {
                return s3.putObject(
                                b -> b.bucket(settings.bucket)
                                        .key(key(id))
                                        .ifNoneMatch("*")
                                        .contentLength((long) length)
                                        .metadata(sizeMeta(size)),
                                body(data, length))
                        .eTag();
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    return null;
                }
                throw e;
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> sizeMeta(int size) {
        return Map.of(SIZE_KEY, Integer.toString(size));
    }

    /** A body that reads {@code data} in place (no copy) and can be replayed for a retry. */
    private static RequestBody body(byte[] data, int length) {
        if (length == 0) {
            return RequestBody.empty();
        }
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(data, 0, length), length, "application/octet-stream");
    }

    /** The size the metadata records; for an object written by other means, its length. */
    private static int sizeOf(Map<String, String> metadata, long length) {
        String recorded = metadata == null ? null : metadata.get(SIZE_KEY);
        if (recorded != null) {
            try {
                int size = Integer.parseInt(recorded.trim());
                if (size >= 0) {
                    return size;
                }
            } catch (NumberFormatException e) {
                // not ours: fall back to the length
            }
        }
        return (int) Math.min(length, Integer.MAX_VALUE);
    }

    private static void checkSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }

    private void checkId(long id) throws StoreException {
        checkOpen();
        if (id <= 0) {
            throw Errors.notFound(id);
        }
    }

    private static void closeQuietly(ObjectWriter[] writers) {
        for (ObjectWriter w : writers) {
            if (w != null) {
                ((S3Writer) w).discard();
            }
        }
    }
}
