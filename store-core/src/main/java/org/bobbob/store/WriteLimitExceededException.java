package org.bobbob.store;

/** A write through a handle would have gone past the object's size; nothing of it was written. */
public class WriteLimitExceededException extends StoreException {
    private static final long serialVersionUID = 1L;

    public WriteLimitExceededException(String message) {
        super(message);
    }
}
