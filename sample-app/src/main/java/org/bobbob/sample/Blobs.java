package org.bobbob.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;

/**
 * Blobs and their rows ({@link BlobInfo}) changed together: each method that changes something is
 * one JTA transaction in which the store's connection (the adapter is {@code XATransaction}) and
 * the XA datasource's both take part, so the object and its row commit together or neither does.
 * The method returns once both have committed, and the store's commit is forced to disk: an answer
 * the resource builds after it acknowledges a durable change. On a store that takes no part in
 * transactions (an {@code s3} store), {@link StoreChanges} deletes a new object when its
 * transaction does not commit and a dropped one only once it has: the row still commits last, and
 * a completed upload is already durable there.
 *
 * <ul>
 *   <li>{@link #create} ({@code POST}): the body streams into a new object while its digests are
 *       computed, then the row (keyed by the object's decimal id) is inserted and flushed.
 *   <li>{@link #put} ({@code PUT}): the body streams into a new object first, at whatever size;
 *       then the key's row is locked ({@code SELECT ... FOR UPDATE}), the request's preconditions
 *       are checked against it, and the row is inserted or repointed to the new object while the
 *       old object is deleted. Readers see the old row and object until the commit, the new ones
 *       after: a blob is never half replaced, and a read that has the old object open keeps
 *       streaming it (the store keeps a deleted object's space until its last reader closes).
 *   <li>{@link #delete}: the row is locked and checked, then removed, and its object deleted.
 * </ul>
 *
 * A checksum that does not match, a refused precondition or row ({@link MetadataRefused}), a body
 * that ends early: every exception rolls back (checked ones too: the store's are
 * {@code IOException}s), and the new object is gone with it. Reads ({@link #find}, {@link #page})
 * run outside transactions and see committed rows only.
 */
@ApplicationScoped
public class Blobs {
    static final int CHUNK = 64 * 1024;

    @Inject
    Storer storer;

    @Inject
    StoreChanges changes;

    @PersistenceContext(unitName = "blobs")
    EntityManager em;

    /** One page of the listing, the number of keys with its prefix, and the key to continue after. */
    record Page(long total, List<BlobInfo> items, String next) {}

    /** A stored {@code PUT}: the row, whether the key is new, and the replaced object (or 0). */
    record Put(BlobInfo info, boolean created, long replaced) {}

    /**
     * Stores {@code length} bytes of {@code body} as a new blob keyed by its object's id.
     *
     * @throws BadInput 413 if {@code length} is more than a blob holds, 400 if the body ends early
     *     or does not match its checksums
     * @throws MetadataRefused if the database refuses the row (after the bytes were written)
     */
    @Transactional(rollbackOn = Exception.class)
    public BlobInfo create(InputStream body, long length, String name, String contentType, Checksums sums)
            throws IOException {
        Upload upload = store(body, length, name, contentType, sums);
        BlobInfo info = new BlobInfo(Long.toString(upload.objectId()), upload);
        em.persist(info);
        flush(upload.objectId(), "nothing is stored: object " + upload.objectId() + " is rolled back with it");
        return info;
    }

    /**
     * Stores {@code length} bytes of {@code body} under {@code key}, a new key or a replacement at
     * any size; {@code contentType} {@code null} keeps a replaced row's (or is
     * {@code application/octet-stream} for a new one), an empty {@code name} keeps its name.
     *
     * @throws BadInput 412 if {@code pre} does not hold for the key's current row; 404 for a
     *     server-made key ({@link Keys#serverMade}) that has no row; 400 and 413 as {@link #create}
     */
    @Transactional(rollbackOn = Exception.class)
    public Put put(
            String key,
            InputStream body,
            long length,
            String name,
            String contentType,
            Checksums sums,
            Preconditions pre)
            throws IOException {
        BlobInfo seen = em.find(BlobInfo.class, key);
        if (seen != null) {
            em.detach(seen); // the locked read below reads the row again
        }
        pre.checkChange(seen); // early, before the upload is read; checked again under the lock
        Upload upload = store(body, length, name, contentType, sums);
        BlobInfo current = em.find(BlobInfo.class, key, LockModeType.PESSIMISTIC_WRITE);
        pre.checkChange(current);
        if (current == null) {
            if (Keys.serverMade(key)) {
                throw new BadInput(
                        404,
                        "no blob '" + key + "': keys of digits only are made by POST, and this one is not"
                                + " (or was deleted); choose a key with another character to create one");
            }
            current = new BlobInfo(key, upload);
            em.persist(current);
            flush(upload.objectId(), "nothing is stored: object " + upload.objectId() + " is rolled back with it");
            return new Put(current, true, 0);
        }
        long old = current.objectId();
        current.replacedBy(upload);
        changes.dropped(old);
        flush(upload.objectId(), "'" + key + "' keeps its old bytes");
        return new Put(current, false, old);
    }

    /**
     * Deletes the row of {@code key} and its object, in one transaction.
     *
     * @return the deleted object's id
     * @throws BadInput 404 if there is none, 412 if {@code pre} does not hold for it
     */
    @Transactional(rollbackOn = Exception.class)
    public long delete(String key, Preconditions pre) throws IOException {
        BlobInfo info = em.find(BlobInfo.class, key, LockModeType.PESSIMISTIC_WRITE);
        pre.checkChange(info);
        if (info == null) {
            throw new BadInput(404, "no blob '" + key + "'");
        }
        em.remove(info);
        changes.dropped(info.objectId());
        return info.objectId();
    }

    /** The row of {@code key} as committed now, or {@code null} (outside a transaction: a fresh read). */
    public BlobInfo find(String key) {
        return em.find(BlobInfo.class, key);
    }

    /**
     * Up to {@code limit} rows whose keys start with {@code prefix} and sort after {@code after}
     * ({@code ""} for the first page), in key order (the database's: by UTF-16 code unit).
     */
    public Page page(String prefix, String after, int limit) {
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        long total = em.createQuery("select count(b) from BlobInfo b where b.key like :like escape '\\'", Long.class)
                .setParameter("like", like)
                .getSingleResult();
        List<BlobInfo> items = em.createQuery(
                        "select b from BlobInfo b where b.key like :like escape '\\' and b.key > :after"
                                + " order by b.key",
                        BlobInfo.class)
                .setParameter("like", like)
                .setParameter("after", after)
                .setMaxResults(limit + 1)
                .getResultList();
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            next = items.get(limit - 1).key();
        }
        return new Page(total, items, next);
    }

    /** Streams the body into a new object, computing and checking its digests. */
    private Upload store(InputStream body, long length, String name, String contentType, Checksums sums)
            throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new BadInput(413, "a blob holds at most " + Integer.MAX_VALUE + " bytes; the body has " + length);
        }
        long id;
        try (ObjectWriter writer = storer.lateWriteNewObj((int) length)) {
            id = writer.id();
            changes.created(id);
            copy(body, writer, length, sums);
        }
        return new Upload(id, length, sums.verify(), name, contentType, Instant.now());
    }

    /** Sends the pending SQL now, so that a refusal is reported here, as {@link MetadataRefused}. */
    private void flush(long id, String consequence) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw new MetadataRefused(id, consequence, e);
        }
    }

    private static void copy(InputStream in, ObjectWriter writer, long length, Checksums sums) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BadInput(400, "the body ended after " + (length - left) + " of " + length + " bytes");
            }
            sums.update(buf, 0, n);
            writer.write(ByteBuffer.wrap(buf, 0, n));
            left -= n;
        }
    }
}
