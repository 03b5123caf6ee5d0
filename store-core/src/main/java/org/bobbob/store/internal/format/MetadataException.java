package org.bobbob.store.internal.format;

/**
 * Metadata that cannot be what it claims: a field out of range, a count past the end of the
 * record, two objects overlapping. Thrown while decoding; the store turns it into a
 * {@link org.bobbob.store.StoreCorruptedException} that names the file.
 */
public final class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message) {
        super(message);
    }
}
