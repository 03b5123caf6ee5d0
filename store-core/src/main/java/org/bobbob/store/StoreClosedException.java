package org.bobbob.store;

/** The store, or the handle, was closed before this call ({@link ErrorCode#CLOSED}). */
public class StoreClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** Without a code ({@link #code()} is null): for stores outside bobbob. */
    public StoreClosedException(String message) {
        super(message);
    }

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public StoreClosedException(ErrorCode code, String detail) {
        super(code, detail);
    }

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public StoreClosedException(ErrorCode code, String detail, Throwable cause) {
        super(code, detail, cause);
    }
}
