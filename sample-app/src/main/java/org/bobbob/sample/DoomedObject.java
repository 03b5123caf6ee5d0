package org.bobbob.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A store object that no row names any more and that is still to be deleted: one row of table
 * {@code blob_doomed}, inserted in the transaction that replaced or deleted its blob, removed once
 * the object is deleted ({@link Blobs#discard}). Rows left by a crash in between are deleted at the
 * next start ({@link Sweeper}), so a replaced object's space is never lost for good.
 *
 * <p>Why the old object is not deleted inside that transaction: a store transaction's delete
 * frees the object's space at its commit even while a reader outside the transaction still reads
 * it, and a later object may then be written there under that reader (the store detects it, BOB-305,
 * and fails). A delete outside transactions keeps the space until the last open reader closes. So
 * the swap of the row is atomic and durable with the new object, and the old object goes right
 * after the commit, without ever tearing a download in progress.
 */
@Entity
@Table(name = "blob_doomed")
public class DoomedObject {
    @Id
    @Column(name = "object_id")
    private long objectId;

    /** For JPA. */
    protected DoomedObject() {}

    DoomedObject(long objectId) {
        this.objectId = objectId;
    }

    long objectId() {
        return objectId;
    }
}
