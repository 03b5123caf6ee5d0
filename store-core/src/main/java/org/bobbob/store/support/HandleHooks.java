package org.bobbob.store.support;

import java.io.IOException;

/**
 * What a {@link ForwardingObjectReader} or {@link ForwardingObjectWriter} does besides forwarding:
 * a gate before each call, a count of the bytes each call moved, a say over each failure, and a release once the handle is closed. Every
 * method has a default that does nothing, so an implementation overrides only what it needs.
 *
 * <p>One hooks object may serve many handles (each method is told which one); it must then be
 * thread-safe, since handles may be used and closed from different threads.
 */
public interface HandleHooks {
    /**
     * Runs before each read or write of {@code handle}, after the handle has checked that it is
     * open. What it throws goes to the caller as is (not through {@link #failed}), and the
     * delegate is not called.
     */
    default void beforeCall(ForwardingHandle<?> handle) throws IOException {}

    /**
     * A read or write of {@code handle} moved {@code bytes} bytes (more than 0); runs right after
     * the delegate returned, on the calling thread. For counting: keep it cheap. Must not throw.
     */
    default void transferred(ForwardingHandle<?> handle, int bytes) {}

    /**
     * A read, write or close of {@code handle}'s delegate failed with {@code failure}; returns
     * what the handle throws instead, usually {@code failure} itself after reporting it. Must not
     * throw.
     */
    default IOException failed(ForwardingHandle<?> handle, IOException failure) {
        return failure;
    }

    /**
     * {@code handle} was closed: runs exactly once, right after its delegate's {@code close()},
     * whether that failed or not. Releases what the handle held (a lock, a token, a connection).
     * Must not throw.
     */
    default void closed(ForwardingHandle<?> handle) {}
}
