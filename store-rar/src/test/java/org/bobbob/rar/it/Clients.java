package org.bobbob.rar.it;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.Dependent;
import org.bobbob.rar.StoreConnectionFactory;

/**
 * The factories of the test activation, injected the way applications get them: {@code @Resource}.
 * Dependent, so without a client proxy: the tests read its fields.
 */
@Dependent
public class Clients {
    @Resource(lookup = "java:/bobbob/DefaultStore")
    StoreConnectionFactory defaultStore;

    @Resource(lookup = "java:/bobbob/SameStore")
    StoreConnectionFactory sameStore;

    @Resource(lookup = "java:/bobbob/OtherStore")
    StoreConnectionFactory otherStore;
}
