package org.bobbob.store;

/**
 * The file is not a readable store: bad magic, unknown format version, failed checksum,
 * truncated, or metadata that contradicts itself. Never a silent wrong read. Codes
 * {@code BOB-3xx}.
 */
public class StoreCorruptedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Without a code ({@link #code()} is null): for stores outside bobbob. */
    public StoreCorruptedException(String message) {
        super(message);
    }

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public StoreCorruptedException(ErrorCode code, String detail) {
        super(code, detail);
    }
}
