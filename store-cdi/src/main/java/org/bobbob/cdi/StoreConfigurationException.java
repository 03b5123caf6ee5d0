package org.bobbob.cdi;

import org.bobbob.store.ErrorCode;

/**
 * A store's configuration is missing or wrong. Thrown (or reported as a deployment problem)
 * before any store is used; the message starts with its code ({@code BOB-7xx}, see
 * {@code docs/CDI.md}), which {@link #code()} returns, and names the configuration key to fix,
 * which {@link #key()} returns.
 *
 * <p>Reported at deployment for every {@code @Inject Storer} / {@code @Inject @Store(..) Storer}
 * injection point the container sees while it boots; thrown when the {@code Storer} is made for the others
 * (programmatic lookup, components the container creates later).
 */
public final class StoreConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The code the message starts with; never null. */
    private final ErrorCode code;
    /** The configuration key at fault, or null when the fault is in the code (a bad store name). */
    private final String key;

    /** The message is {@code code.message(detail)}. */
    StoreConfigurationException(ErrorCode code, String key, String detail) {
        super(code.message(detail));
        this.code = code;
        this.key = key;
    }

    /** The code the message starts with, e.g. {@link ErrorCode#CDI_NOT_CONFIGURED}; never null. */
    public ErrorCode code() {
        return code;
    }

    /**
     * The configuration key to fix, e.g. {@code bobbob.store.orders.jndi}; null when the fault is
     * in the application's code (an invalid {@code @Store} name).
     */
    public String key() {
        return key;
    }
}
