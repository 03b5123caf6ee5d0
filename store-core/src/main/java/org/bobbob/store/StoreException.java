package org.bobbob.store;

import java.io.IOException;

/**
 * The base of every checked store error. Messages start with a code such as {@code [BOB-101]}
 * listed in {@code docs/ERRORS.md}, so a report quoting it is easy to triage.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
