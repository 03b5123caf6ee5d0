package org.bobbob.rar.it;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.bobbob.rar.StoreConnectionFactory;

/** The factories of the test activation, injected the way applications get them: {@code @Resource}. */
@ApplicationScoped
public class Clients {
    @Resource(lookup = "java:/bobbob/DefaultStore")
    private StoreConnectionFactory defaultStore;

    @Resource(lookup = "java:/bobbob/SameStore")
    private StoreConnectionFactory sameStore;

    @Resource(lookup = "java:/bobbob/OtherStore")
    private StoreConnectionFactory otherStore;

    public StoreConnectionFactory defaultStore() {
        return defaultStore;
    }

    public StoreConnectionFactory sameStore() {
        return sameStore;
    }

    public StoreConnectionFactory otherStore() {
        return otherStore;
    }
}
