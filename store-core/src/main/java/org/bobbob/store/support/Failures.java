package org.bobbob.store.support;

import java.io.Closeable;
import java.io.IOException;

/**
 * Keeping every failure of a multi-step close: the first one is thrown, later ones ride along as
 * suppressed exceptions, none is lost (Guava's {@code Closer}, Agrona's {@code closeAll}).
 *
 * <pre>{@code
 * IOException failure = Failures.closeAll(handles);   // every handle closed, whatever happens
 * try { file.close(); } catch (IOException e) { failure = Failures.keepFirst(failure, e); }
 * if (failure != null) throw failure;
 * }</pre>
 * Stateless and thread-safe.
 */
public final class Failures {
    private Failures() {}

    /**
     * {@code first} with {@code next} added to its suppressed exceptions, or {@code next} when
     * there is no {@code first} yet.
     *
     * @param first the failure so far, or null
     * @param next a later failure, or null (then {@code first} is returned unchanged)
     */
    public static <T extends Throwable> T keepFirst(T first, T next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }

    /**
     * Closes {@code resource} after {@code failure} happened, keeping {@code failure} the one to
     * throw: a failure of the close is added to it as suppressed.
     *
     * @return {@code failure}, for {@code throw Failures.closeAfter(e, channel);} (after a multi-catch,
     *     call it and then {@code throw e}, so the compiler keeps the precise types)
     */
    public static <T extends Throwable> T closeAfter(T failure, Closeable resource) {
        try {
            resource.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Closes every resource in iteration order, even after one fails.
     *
     * @return the first failure with later ones suppressed, or null when all closed cleanly
     */
    public static IOException closeAll(Iterable<? extends Closeable> resources) {
        IOException failure = null;
        for (Closeable resource : resources) {
            try {
                resource.close();
            } catch (IOException e) {
                failure = keepFirst(failure, e);
            }
        }
        return failure;
    }
}
