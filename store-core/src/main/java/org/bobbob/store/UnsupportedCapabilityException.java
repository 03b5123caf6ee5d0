package org.bobbob.store;

/**
 * {@link Storer#unwrap} was asked for a capability this store does not have
 * ({@link ErrorCode#UNSUPPORTED_CAPABILITY}).
 */
public class UnsupportedCapabilityException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** With {@code code}; the message is {@code code.message(detail)}. */
    public UnsupportedCapabilityException(ErrorCode code, String detail) {
        super(code, detail);
    }
}
