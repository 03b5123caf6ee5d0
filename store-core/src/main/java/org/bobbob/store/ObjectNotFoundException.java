package org.bobbob.store;

/** The id is 0, negative, never allocated, or deleted. */
public class ObjectNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final long id;

    public ObjectNotFoundException(long id, String message) {
        super(message);
        this.id = id;
    }

    /** The id that was asked for. */
    public long id() {
        return id;
    }
}
