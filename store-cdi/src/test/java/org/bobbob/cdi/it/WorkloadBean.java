package org.bobbob.cdi.it;

import jakarta.inject.Inject;
import java.io.IOException;
import org.bobbob.store.Storer;

/** What {@link AppBlobs} and {@link StatelessBlobs} share: the injected Storer and the {@link Workload} run on it. */
abstract class WorkloadBean {
    @Inject
    Storer storer;

    public int run(long seed, int n) throws IOException {
        return Workload.writeAndVerify(storer, seed, n);
    }
}
