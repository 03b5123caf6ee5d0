package org.bobbob.cdi.it;

import jakarta.enterprise.context.ApplicationScoped;
import org.bobbob.store.Storer;

/** An application-scoped bean with {@code @Inject Storer}: one instance serves every request thread. */
@ApplicationScoped
public class AppBlobs extends WorkloadBean {
    public Storer storer() {
        return storer;
    }
}
