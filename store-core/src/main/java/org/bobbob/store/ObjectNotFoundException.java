package org.bobbob.store;

/** The id is 0, negative, never allocated, or deleted ({@link ErrorCode#OBJECT_NOT_FOUND}). */
public class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final long id;

    /** Without a code ({@link #code()} is null): for stores outside bobbob. */
    public ObjectNotFoundException(long id, String message) {
        super(message);
        this.id = id;
    }

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public ObjectNotFoundException(ErrorCode code, long id, String detail) {
        super(code, detail);
        this.id = id;
    }

    /** The id that was asked for. */
    public long id() {
        return id;
    }
}
