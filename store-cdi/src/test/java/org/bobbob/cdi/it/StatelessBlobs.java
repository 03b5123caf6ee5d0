package org.bobbob.cdi.it;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.io.IOException;
import org.bobbob.store.Storer;

/** A stateless session bean with {@code @Inject Storer}: pooled instances, container-managed transactions. */
@Stateless
public class StatelessBlobs {
    @Inject
    Storer storer;

    public int run(long seed, int n) throws IOException {
        return Workload.writeAndVerify(storer, seed, n);
    }

    public byte[] read(long id) throws IOException {
        return storer.readBytesFromObj(id);
    }
}
