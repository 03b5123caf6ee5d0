package org.bobbob.store;

/**
 * A write through a handle would have gone past the object's size; nothing of it was written
 * ({@link ErrorCode#WRITE_LIMIT_EXCEEDED}).
 */
public class WriteLimitExceededException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public WriteLimitExceededException(ErrorCode code, String detail) {
        super(code, detail);
    }
}
