package org.bobbob.cdi.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.util.List;
import org.bobbob.store.Storer;

/**
 * A CDI bean with {@code @Transactional} methods and {@code @Inject Storer}: its writes join the
 * JTA transaction the interceptor begins. The ids go into the caller's list as they are written.
 */
@ApplicationScoped
public class TransactionalBlobs {
    @Inject
    Storer storer;

    /** Writes {@code n} blobs, then fails: the interceptor rolls the transaction back. */
    @Transactional
    public void writeThenThrow(int n, List<Long> ids) throws IOException {
        write(n, ids);
        throw new IllegalStateException("after " + n + " writes");
    }

    /** Writes {@code n} blobs and returns: committed. */
    @Transactional
    public void write(int n, List<Long> ids) throws IOException {
        for (int i = 0; i < n; i++) {
            ids.add(storer.writeNewObjFromBytes(new byte[] {(byte) i, 42}));
        }
    }
}
