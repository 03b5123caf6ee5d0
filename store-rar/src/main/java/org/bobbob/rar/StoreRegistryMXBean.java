package org.bobbob.rar;

/**
 * What a running adapter has open, for operators and tests: one MBean per started
 * {@link StoreResourceAdapter}, named {@code org.bobbob:type=StoreRegistry,adapter=<id>}
 * (query {@value #QUERY}). In WildFly: {@code jconsole}, or the JMX facade of the management
 * model. Thread-safe.
 */
public interface StoreRegistryMXBean {

    /** An {@code ObjectName} pattern matching every adapter's registry. */
    String QUERY = "org.bobbob:type=StoreRegistry,*";

    /** Stores open now; one per store key (see {@link #getPaths()}), however many connection definitions use it. */
    int getOpenStores();

    /**
     * The keys of the open stores, sorted: the canonical path of a {@code basic} or {@code multi}
     * store file; {@code bobbob:<kind>:<location>} of any other provider's store.
     */
    String[] getPaths();

    /** Managed connections sharing the store with key {@code path} (see {@link #getPaths()}); 0 if it is not open. */
    int referenceCount(String path);

    /**
     * Transactions active on the store with key {@code path} now (JTA branches and local ones); 0
     * if it is not open or offers no transactions.
     */
    int activeTransactions(String path);

    /**
     * XA branches of the store with key {@code path} prepared and not yet decided (after a restart:
     * waiting for the transaction manager's recovery); 0 if it is not open or offers no transactions.
     */
    int inDoubtBranches(String path);
}
