package org.bobbob.store;

import java.io.IOException;
import java.util.Objects;

/**
 * The base of every checked store error. bobbob's own carry an {@link ErrorCode}: the message
 * starts with it (e.g. {@code [BOB-101]}, listed in {@code docs/ERRORS.md}) and {@link #code()}
 * returns it, so a report quoting it is easy to triage and code can branch on it.
 *
 * <p>The constructors that take only a message are for stores and wrappers outside bobbob: their
 * exceptions have no code ({@link #code()} is null) and the message is used as given.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The code, or null when the exception was made without one. */
    private final ErrorCode code;

    /** An error without a code: {@link #code()} is null. */
    public StoreException(String message) {
        super(message);
        this.code = null;
    }

    /** An error without a code: {@link #code()} is null. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.code = null;
    }

    /** An error with {@code code}; the message is {@code code.message(detail)}. */
    public StoreException(ErrorCode code, String detail) {
        super(Objects.requireNonNull(code, "code").message(detail));
        this.code = code;
    }

    /** An error with {@code code}; the message is {@code code.message(detail)}. */
    public StoreException(ErrorCode code, String detail, Throwable cause) {
        super(Objects.requireNonNull(code, "code").message(detail), cause);
        this.code = code;
    }

    /** The code the message starts with; null only for an exception made without one. */
    public ErrorCode code() {
        return code;
    }
}
