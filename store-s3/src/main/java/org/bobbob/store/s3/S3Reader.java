package org.bobbob.store.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.support.Errors;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * A Late reader of an {@link S3Store} object: the bytes the S3 object holds, streamed from the
 * GET that opened the reader, then zeros up to the object's size. A stream that breaks resumes
 * where it stopped with a ranged GET of the same version ({@code If-Match} its ETag), at most
 * {@value S3Store#READ_RESUMES} times per read; if the object was replaced meanwhile the read
 * fails (BOB-803) rather than mix two versions.
 *
 * <p>Not thread-safe, except that {@link #close()} may be called from any thread once the reading
 * thread is done.
 */
final class S3Reader implements ObjectReader {
    private final S3Store store;
    private final long id;
    private final int size;
    /** Bytes the S3 object holds (at most {@link #size}); the rest reads as zeros. */
    private final long stored;

    private final String eTag;

    /** The open response body, or null once closed. */
    private InputStream in;

    private long position;
    private boolean closed;

    S3Reader(S3Store store, long id, int size, long length, String eTag, ResponseInputStream<?> in) {
        this.store = store;
        this.id = id;
        this.size = size;
        this.stored = Math.min(length, size);
        this.eTag = eTag;
        this.in = in;
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
        return !closed;
    }

    /**
     * Reads into {@code dst}: stored bytes, then zeros.
     *
     * @return bytes read, -1 at the object's end
     * @throws org.bobbob.store.StoreClosedException if this reader or its store is closed
     * @throws org.bobbob.store.StoreException BOB-801 if the stream broke and could not be resumed,
     *     BOB-803 if the object was replaced since this reader opened it
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw Errors.closed(this);
        }
        store.checkOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= size) {
            return -1;
        }
        int n;
        if (position < stored) {
            int want = (int) Math.min(dst.remaining(), stored - position);
            if (dst.hasArray()) {
                n = readStored(dst.array(), dst.arrayOffset() + dst.position(), want);
                dst.position(dst.position() + n);
            } else {
                byte[] chunk = new byte[Math.min(want, 64 * 1024)];
                n = readStored(chunk, 0, chunk.length);
                dst.put(chunk, 0, n);
            }
        } else {
            n = (int) Math.min(dst.remaining(), size - position);
            for (int i = 0; i < n; i++) {
                dst.put((byte) 0);
            }
        }
        position += n;
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        InputStream open = in;
        in = null;
        if (open != null) {
            if (position < stored && open instanceof ResponseInputStream<?> response) {
                response.abort(); // do not download the rest only to reuse the connection
            }
            try {
                open.close();
            } catch (IOException e) {
                // the stream is dropped either way; nothing of the object depends on it
            }
        }
    }

    @Override
    public InputStream asInputStream() {
        return Channels.newInputStream(this);
    }

    @Override
    public String toString() {
        return "S3Reader[" + id + " of " + store + "]";
    }

    /** Reads 1 to {@code want} stored bytes, resuming a broken stream with a ranged GET. */
    private int readStored(byte[] b, int off, int want) throws IOException {
        IOException failure = null;
        for (int attempt = 0; attempt <= S3Store.READ_RESUMES; attempt++) {
            try {
                if (in == null) {
                    in = store.getRange(id, position, stored - 1, eTag);
                }
                int k = in.read(b, off, want);
                if (k > 0) {
                    return k;
                }
                throw new EOFException("the stream ended at byte " + position + " of " + stored);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (org.bobbob.store.StoreException e) {
                throw e; // replaced, closed, or the resume's request failed after its own retries
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
                InputStream broken = in;
                in = null;
                try {
                    broken.close();
                } catch (IOException suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
        }
        throw S3Errors.readFailed(store.url(), id, failure);
    }
}
