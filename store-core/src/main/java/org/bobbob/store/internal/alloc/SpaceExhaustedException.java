package org.bobbob.store.internal.alloc;

/**
 * An allocation would pass what ids can name ({@link ObjectIds}): the file's end past
 * {@link ObjectIds#MAX_FILE_END}, or too many blocks. Nothing was allocated. The store turns it
 * into {@code StoreException} BOB-105.
 */
public final class SpaceExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SpaceExhaustedException(String message) {
        super(message);
    }
}
