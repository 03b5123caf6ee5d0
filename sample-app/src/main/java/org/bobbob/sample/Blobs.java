package org.bobbob.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;

/**
 * Blobs and their rows ({@link BlobInfo}) changed together: each method that changes something is
 * one JTA transaction in which the store's connection (the adapter is {@code XATransaction}) and
 * the XA datasource's both take part, so the blob and its row commit together or neither does.
 *
 * <ul>
 *   <li>{@link #create}: the body streams into a new object while a {@link DigestInputStream}
 *       computes its SHA-256; then the row is inserted and flushed. A refused insert (see
 *       {@link MetadataRefused}) or a failure while streaming rolls the transaction back: the new
 *       object is gone with it.
 *   <li>{@link #overwrite}: the object's bytes and its row's size, SHA-256 (and content type, when
 *       given) change together; a failure leaves the old bytes and the old row.
 *   <li>{@link #delete}: the object and its row go together.
 * </ul>
 *
 * Every exception rolls back (checked ones too: the store's are {@code IOException}s). Reads
 * ({@link #find}, {@link #page}) run outside transactions.
 */
@ApplicationScoped
public class Blobs {
    static final int CHUNK = 64 * 1024;

    @Inject
    Storer storer;

    @PersistenceContext(unitName = "blobs")
    EntityManager em;

    /** One page of the listing and the number of rows in all. */
    record Page(long total, List<BlobInfo> items) {}

    /**
     * Stores {@code length} bytes of {@code body} as a new blob with its row.
     *
     * @throws BadInput 413 if {@code length} is more than a blob holds, 400 if the body ends early
     * @throws MetadataRefused if the database refuses the row (after the bytes were written)
     */
    @Transactional(rollbackOn = Exception.class)
    public BlobInfo create(InputStream body, long length, String name, String contentType) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new BadInput(413, "a blob holds at most " + Integer.MAX_VALUE + " bytes; the body has " + length);
        }
        MessageDigest sha = sha256();
        long id;
        try (ObjectWriter writer = storer.lateWriteNewObj((int) length)) {
            id = writer.id();
            copy(new DigestInputStream(body, sha), writer, length);
        }
        BlobInfo info = new BlobInfo(id, name, contentType, length, hex(sha), Instant.now());
        em.persist(info);
        flush(id, "nothing is stored: blob " + id + " is rolled back with it");
        return info;
    }

    /**
     * Overwrites blob {@code id} in place with {@code length} bytes of {@code body} and updates
     * its row; {@code contentType} {@code null} keeps the row's.
     *
     * @throws BadInput 409 (shorter) or 413 (longer) if {@code length} is not the blob's size,
     *     before anything is written
     */
    @Transactional(rollbackOn = Exception.class)
    public void overwrite(long id, InputStream body, long length, String contentType) throws IOException {
        MessageDigest sha = sha256();
        try (ObjectWriter writer = storer.writeToObj(id)) {
            if (length != writer.size()) {
                throw new BadInput(
                        length < writer.size() ? 409 : 413,
                        "object " + id + " has " + writer.size() + " bytes; the body has " + length
                                + " (an overwrite must have the same size)");
            }
            copy(new DigestInputStream(body, sha), writer, length);
        }
        BlobInfo info = em.find(BlobInfo.class, id);
        if (info != null) {
            info.overwritten(length, hex(sha), contentType);
            flush(id, "blob " + id + " keeps its old bytes");
        }
    }

    /** Deletes blob {@code id} and its row. */
    @Transactional(rollbackOn = Exception.class)
    public void delete(long id) throws IOException {
        storer.deleteObj(id);
        BlobInfo info = em.find(BlobInfo.class, id);
        if (info != null) {
            em.remove(info);
        }
    }

    /** Blob {@code id}'s row, or {@code null} if it has none. */
    public BlobInfo find(long id) {
        return em.find(BlobInfo.class, id);
    }

    /** Rows {@code offset} to {@code offset + limit - 1}, newest first (ties: larger id first). */
    public Page page(int offset, int limit) {
        long total =
                em.createQuery("select count(b) from BlobInfo b", Long.class).getSingleResult();
        List<BlobInfo> items = em.createQuery(
                        "select b from BlobInfo b order by b.created desc, b.id desc", BlobInfo.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
        return new Page(total, items);
    }

    /** Sends the pending SQL now, so that a refusal is reported here, as {@link MetadataRefused}. */
    private void flush(long id, String consequence) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new MetadataRefused(id, consequence, e);
        }
    }

    private static void copy(InputStream in, ObjectWriter writer, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BadInput(400, "the body ended after " + (length - left) + " of " + length + " bytes");
            }
            writer.write(ByteBuffer.wrap(buf, 0, n));
            left -= n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String hex(MessageDigest sha) {
        return HexFormat.of().formatHex(sha.digest());
    }
}
