package org.bobbob.store;

/** {@link Storer#unwrap} was asked for a capability this store does not have. */
public class UnsupportedCapabilityException extends StoreException {
    private static final long serialVersionUID = 1L;

    public UnsupportedCapabilityException(String message) {
        super(message);
    }
}
