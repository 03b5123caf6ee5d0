package org.bobbob.sample;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * What the app knows about one blob besides its bytes: one row of table {@code blob_info} in the
 * H2 database behind {@code java:jboss/datasources/BobbobSampleDS}. The row is written, changed and
 * removed in the same JTA transaction as the blob it describes ({@link Blobs}), so a row always
 * names a blob that is in the store.
 *
 * <p>Constraints: the primary key is the store's object id (one row per blob); {@code name} and
 * {@code content_type} are at most {@value #TEXT} characters, enforced by the database
 * ({@code VARCHAR(255)}), not checked before: an upload whose name is longer is refused by the
 * insert, after its bytes are written, and its transaction takes the blob back.
 */
@Entity
@Table(name = "blob_info", indexes = @Index(name = "blob_info_newest", columnList = "created DESC, id DESC"))
public class BlobInfo {
    /** Longest name and content type the database takes. */
    static final int TEXT = 255;

    /** The blob's object id in the store. */
    @Id
    @Column(name = "id")
    private long id;

    /** The uploader's file name ({@code X-Filename} or the form part's file name); may be empty. */
    @Column(name = "name", length = TEXT, nullable = false)
    private String name;

    /** The media type the upload came with; {@code application/octet-stream} when it had none. */
    @Column(name = "content_type", length = TEXT, nullable = false)
    private String contentType;

    /** The blob's size in bytes. */
    @Column(name = "size_bytes", nullable = false)
    private long size;

    /** SHA-256 of the blob's bytes, 64 lower-case hex digits. */
    @Column(name = "sha256", length = 64, nullable = false)
    private String sha256;

    /** When the upload was stored. */
    @Column(name = "created", nullable = false)
    private Instant created;

    /** For JPA. */
    protected BlobInfo() {}

    BlobInfo(long id, String name, String contentType, long size, String sha256, Instant created) {
        this.id = id;
        this.name = name;
        this.contentType = contentType;
        this.size = size;
        this.sha256 = sha256;
        this.created = created;
    }

    long id() {
        return id;
    }

    String contentType() {
        return contentType;
    }

    /** After an overwrite: the new bytes' digest, and their media type when the request gave one. */
    void overwritten(long size, String sha256, String contentType) {
        this.size = size;
        this.sha256 = sha256;
        if (contentType != null) {
            this.contentType = contentType;
        }
    }

    /** {@code {"id","name","contentType","size","sha256","created"}}; the id as a decimal string. */
    JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("id", Long.toString(id))
                .add("name", name)
                .add("contentType", contentType)
                .add("size", size)
                .add("sha256", sha256)
                .add("created", created.toString())
                .build();
    }
}
