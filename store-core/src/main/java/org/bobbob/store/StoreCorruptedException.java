package org.bobbob.store;

/**
 * The file is not a readable store: bad magic, unknown format version, failed checksum,
 * truncated, or metadata that contradicts itself. Never a silent wrong read.
 */
public class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreCorruptedException(String message) {
        super(message);
    }

    public StoreCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
