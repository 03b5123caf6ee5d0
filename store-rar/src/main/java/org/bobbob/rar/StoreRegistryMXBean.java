package org.bobbob.rar;

/**
 * What a running adapter has open, for operators and tests: one MBean per started
 * {@link StoreResourceAdapter}, named {@code org.bobbob:type=StoreRegistry,adapter=<id>}
 * (query {@value #QUERY}). In WildFly: {@code jconsole}, or a JMX client over
 * {@code service:jmx:remote+http://<host>:9990} (docs/RAR.md). Thread-safe.
 *
 * <p>Operations that fail throw only JDK exceptions, whose message is the store's (its error code
 * first), so that a remote JMX client without bobbob's classes can read them.
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

    /**
     * Backs up the open store with key {@code path} while it serves its connections, through its
     * {@code Backup} capability: the copy opens as a valid store holding exactly the state of one
     * sync point. Writers are paused only while that sync point is taken.
     *
     * @param target the copy: a new file (an existing one is refused, BOB-204); a relative path is
     *               resolved against {@code jboss.server.data.dir} (the working directory outside
     *               WildFly)
     * @return one line: the copy, its objects and bytes, how long it took and the longest writer pause
     * @throws IllegalArgumentException if no store with key {@code path} is open
     * @throws IllegalStateException with the store's message (its error code first) if the backup
     *     fails or the store offers no backup; the partial copy is deleted
     */
    String backup(String path, String target);

    /**
     * Checks the open store with key {@code path} while it serves its connections, through its
     * {@code StoreVerifier} capability, and reads every object back against its checksum with
     * {@code readAll}.
     *
     * @return {@code ok: ...} and its figures, or a first line counting the problems and then each
     *     problem on a line of its own, its error code first; then notes, each as {@code note: ...}
     * @throws IllegalArgumentException if no store with key {@code path} is open
     * @throws IllegalStateException with the store's message if it cannot be checked at all
     */
    String verify(String path, boolean readAll);
}
