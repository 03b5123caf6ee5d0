package com.example.quickstart;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import org.bobbob.store.Storer;

/**
 * Two blobs in one JTA transaction. The injected {@code Storer} joins the transaction the
 * interceptor begins (the adapter is {@code XATransaction}): both blobs commit together, or, when
 * the method throws, neither exists afterwards.
 */
@ApplicationScoped
public class PairWriter {
    @Inject
    Storer storer;

    /**
     * Writes {@code data} as two new blobs and returns their ids; with {@code fail}, throws
     * {@link Refused} after both writes, which rolls them back. A store error (an
     * {@code IOException}) rolls back too.
     */
    @Transactional(rollbackOn = IOException.class)
    public long[] writeTwice(byte[] data, boolean fail) throws IOException {
        long first = storer.writeNewObjFromBytes(data);
        long second = storer.writeNewObjFromBytes(data);
        if (fail) {
            throw new Refused(first, second);
        }
        return new long[] {first, second};
    }

    /** The failure {@link #writeTwice} was asked for, naming the two blobs it rolled back. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final long first;
        private final long second;

        Refused(long first, long second) {
            super("refused after writing " + first + " and " + second);
            this.first = first;
            this.second = second;
        }

        public long first() {
            return first;
        }

        public long second() {
            return second;
        }
    }
}
