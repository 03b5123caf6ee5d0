package org.bobbob.cdi.it;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import org.bobbob.store.Storer;

/** An application-scoped bean with {@code @Inject Storer}: one instance serves every request thread. */
@ApplicationScoped
public class AppBlobs {
    @Inject
    Storer storer;

    public int run(long seed, int n) throws IOException {
        return Workload.writeAndVerify(storer, seed, n);
    }

    public Storer storer() {
        return storer;
    }
}
