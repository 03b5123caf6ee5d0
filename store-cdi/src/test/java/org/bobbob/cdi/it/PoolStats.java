package org.bobbob.cdi.it;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The pool of {@value #JNDI}, as the server counts it: WildFly's management model seen through
 * the platform MBean server, from inside the server. Statistics are on for this pool only
 * ({@link PooledStoreSetup}); a pool without them always reports 0.
 */
final class PoolStats {
    static final String ADAPTER = "bobbob-cdi-it";
    static final String JNDI = "java:/bobbob/CdiStore";

    private PoolStats() {}

    /** Connections handed out and not yet given back. */
    static int inUse() {
        return attribute("InUseCount");
    }

    /** The most connections in use at once since statistics were enabled. */
    static int maxUsed() {
        return attribute("MaxUsedCount");
    }

    private static int attribute(String name) {
        try {
            ObjectName pool = new ObjectName("jboss.as:subsystem=resource-adapters,resource-adapter=" + ADAPTER
                    + ",connection-definitions=" + ObjectName.quote(JNDI) + ",statistics=pool");
            return (Integer) ManagementFactory.getPlatformMBeanServer().getAttribute(pool, name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot read " + name + " of pool " + JNDI, e);
        }
    }
}
