package org.bobbob.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.support.Errors;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A Late writer of an {@link S3Store} object: the bytes written, from the object's start, go up at
 * {@link #close()} as one PUT, or, once they pass the part size, as a multipart upload whose parts
 * go up as they fill. An overwrite also carries the object's old bytes past those written (a
 * ranged GET of the version this writer opened), because an S3 object is replaced whole; the new
 * version appears at once, whole, when the upload completes. Holds at most one part in memory.
 *
 * <p>Not thread-safe, except that {@link #close()} may be called from any thread once the writing
 * thread is done. A failed write or close leaves the object as it was (a multipart upload is
 * aborted); the writer is then finished and its {@code close()} does nothing.
 */
final class S3Writer implements ObjectWriter {
    private final S3Store store;
    private final long id;
    private final int size;
    /** A new object: its create put the header only, and nothing needs to be kept. */
    private final boolean fresh;
    /** The bytes the object held when this writer opened it (0 for a new object). */
    private final long oldLength;
    /**
     * The version this writer opened: pins the ranged GET of the old tail, and with
     * {@code compareAndSet=true} the final PUT or CompleteMultipartUpload.
     */
    private final String eTag;

    /** The part being filled; allocated at the first write, at most the part size. */
    private byte[] part;
    /** Bytes in {@link #part}. */
    private int partLength;
    /** Bytes written by the caller so far: the position of the next write. */
    private long position;
    /** The multipart upload, once the bytes passed one part; null before. */
    private String uploadId;

    private final List<CompletedPart> parts = new ArrayList<>();
    /** Closed, discarded or failed: nothing more goes up. */
    private boolean finished;

    S3Writer(S3Store store, long id, int size, boolean fresh, long oldLength, String eTag) {
        this.store = store;
        this.id = id;
        this.size = size;
        this.fresh = fresh;
        this.oldLength = Math.min(oldLength, size);
        this.eTag = eTag;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isOpen() {
        return !finished;
    }

    /**
     * Takes all of {@code src}, uploading a part whenever one fills.
     *
     * @throws org.bobbob.store.WriteLimitExceededException if {@code src} holds more than the
     *     bytes left before the object's size; nothing of it is taken
     * @throws org.bobbob.store.StoreClosedException if this writer or its store is closed
     * @throws org.bobbob.store.StoreException BOB-801 if a part's upload failed (the writer is
     *     then finished, the object unchanged)
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        ensureOpen();
        int n = src.remaining();
        if (n > size - position) {
            throw Errors.writeLimit(id, size, position, n);
        }
        try {
            while (src.hasRemaining()) {
                int k = Math.min(src.remaining(), room());
                src.get(part, partLength, k);
                partLength += k;
            }
        } catch (IOException | RuntimeException e) {
            discard();
            throw e;
        }
        position += n;
        return n;
    }

    /**
     * Uploads what was written (with the old tail, for an overwrite) and finishes; the new
     * version is visible, and durable, when this returns. Nothing is uploaded when nothing was
     * written. Idempotent.
     *
     * @throws org.bobbob.store.StoreClosedException if the store was closed first (nothing goes up)
     * @throws org.bobbob.store.StoreException BOB-801 if an upload failed, BOB-803 if another
     *     writer replaced or deleted the object meanwhile; the object is then unchanged
     */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            store.checkOpen();
            if (position > 0) {
                if (!fresh && oldLength > position) {
                    appendOldTail();
                }
                String ifMatch = store.ifMatch(eTag);
                if (uploadId == null) {
                    store.put(id, size, part, partLength, ifMatch);
                } else {
                    parts.add(store.uploadPart(id, uploadId, parts.size() + 1, part, partLength));
                    store.completeMultipart(id, uploadId, parts, ifMatch);
                    uploadId = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            discard(e);
            throw e;
        }
        finished = true;
        part = null;
    }

    @Override
    public OutputStream asOutputStream() {
        return Channels.newOutputStream(this);
    }

    @Override
    public String toString() {
        return "S3Writer[" + id + " of " + store + "]";
    }

    /** Finishes without uploading anything more; aborts a multipart upload under way. */
    void discard() {
        discard(null);
    }

    /**
     * As {@link #discard()}; a failure to abort is added to {@code failure}. The abort is sent even
     * when the thread is interrupted (an interrupt is what failed the upload, often): the SDK
     * refuses to start a request on an interrupted thread, so the status is cleared for the abort
     * and set again after it.
     */
    private void discard(Throwable failure) {
        finished = true;
        part = null;
        if (uploadId != null) {
            String upload = uploadId;
            uploadId = null;
            boolean interrupted = Thread.interrupted();
            try {
                store.abortMultipart(id, upload);
            } catch (IOException | RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Room left in the current part, after uploading it if it is full (a part only goes up once more bytes come). */
    private int room() throws IOException {
        if (part == null) {
            part = new byte[Math.min(store.partSize(), size)];
        }
        if (partLength == part.length) {
            if (uploadId == null) {
                uploadId = store.startMultipart(id, size);
            }
            parts.add(store.uploadPart(id, uploadId, parts.size() + 1, part, partLength));
            partLength = 0;
        }
        return part.length - partLength;
    }

    /** Appends the old version's bytes from {@link #position} to its end, part by part. */
    private void appendOldTail() throws IOException {
        long remaining = oldLength - position;
        try (InputStream in = store.getRange(id, position, oldLength - 1, eTag)) {
            while (remaining > 0) {
                int want = (int) Math.min(room(), remaining);
                int k = in.readNBytes(part, partLength, want);
                if (k < want) {
                    throw S3Errors.replaced(store.url(), id);
                }
                partLength += k;
                remaining -= k;
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (finished) {
            throw Errors.closed(this);
        }
        store.checkOpen();
    }
}
