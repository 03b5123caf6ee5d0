package org.bobbob.sample;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What the app knows about one blob besides its bytes: one row of table {@code blob_meta} in the
 * H2 database behind {@code java:jboss/datasources/BobbobSampleDS}, keyed by the blob's key. The
 * row names the store object that holds the bytes; it is written, repointed and removed in the
 * same JTA transaction as that object ({@link Blobs}), so a committed row always names a committed
 * object whose bytes have the row's size and SHA-256. An object is never written after its row
 * names it: a replacement is a new object, so {@code (objectId, sha256)} never goes stale.
 *
 * <p>Constraints: the key is the primary key (at most {@value #KEY} characters, checked before
 * anything is written: {@link Keys}); the object id is unique; {@code name} and
 * {@code content_type} are at most {@value #TEXT} characters, enforced by the database
 * ({@code VARCHAR(255)}), not checked before: an upload whose name is longer is refused by the
 * insert, after its bytes are written, and its transaction takes the new object back.
 */
@Entity
@Table(name = "blob_meta")
public class BlobInfo {
    /** Longest name and content type the database takes. */
    static final int TEXT = 255;

    /** Longest key. */
    static final int KEY = 512;

    /** The client's key ({@code PUT /api/blobs/{key}}), or the decimal id of a POST's first object. */
    @Id
    @Column(name = "blob_key", length = KEY)
    private String key;

    /** The store object holding the bytes now. */
    @Column(name = "object_id", nullable = false, unique = true)
    private long objectId;

    /** The uploader's file name ({@code X-Filename}, the form part's file name); may be empty. */
    @Column(name = "name", length = TEXT, nullable = false)
    private String name;

    /** The media type the upload came with; {@code application/octet-stream} when it had none. */
    @Column(name = "content_type", length = TEXT, nullable = false)
    private String contentType;

    /** The blob's size in bytes. */
    @Column(name = "size_bytes", nullable = false)
    private long size;

    /** SHA-256 of the blob's bytes, 64 lower-case hex digits; the strong ETag. */
    @Column(name = "sha256", length = 64, nullable = false)
    private String sha256;

    /** When the key was first stored. */
    @Column(name = "created", nullable = false)
    private Instant created;

    /** When the key's bytes were last stored (the creation or the latest replacement). */
    @Column(name = "modified", nullable = false)
    private Instant modified;

    /** For JPA. */
    protected BlobInfo() {}

    BlobInfo(String key, Upload upload) {
        this.key = key;
        this.created = upload.at();
        replacedBy(upload);
    }

    /** A replacement's object, digest, name and type (a name or type the upload lacks is kept). */
    void replacedBy(Upload upload) {
        this.objectId = upload.objectId();
        this.size = upload.size();
        this.sha256 = upload.sha256();
        this.modified = upload.at();
        if (name == null || !upload.name().isEmpty()) {
            this.name = upload.name();
        }
        if (contentType == null || upload.contentType() != null) {
            this.contentType = upload.contentType() == null ? Upload.DEFAULT_TYPE : upload.contentType();
        }
    }

    String key() {
        return key;
    }

    long objectId() {
        return objectId;
    }

    String name() {
        return name;
    }

    String contentType() {
        return contentType;
    }

    long size() {
        return size;
    }

    String sha256() {
        return sha256;
    }

    Instant modified() {
        return modified;
    }

    /** The strong entity tag: the SHA-256 in quotes. */
    String etag() {
        return '"' + sha256 + '"';
    }

    /**
     * {@code {"key","id","name","contentType","size","sha256","created","modified"}}; {@code id} is
     * the object's id as a decimal string (it can exceed JavaScript's exact integers).
     */
    JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("key", key)
                .add("id", Long.toString(objectId))
                .add("name", name)
                .add("contentType", contentType)
                .add("size", size)
                .add("sha256", sha256)
                .add("created", created.toString())
                .add("modified", modified.toString())
                .build();
    }
}
