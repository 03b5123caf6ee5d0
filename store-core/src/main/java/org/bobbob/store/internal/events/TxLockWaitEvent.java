package org.bobbob.store.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * A wait for an object a transaction holds: by another transaction, or by a call outside
 * transactions. Recorded when it lasts at least the threshold (10 ms unless the recording's
 * settings say otherwise).
 */
@Name("org.bobbob.TxLockWait")
@Label("Transaction Lock Wait")
@Category("bobbob")
@Description("A wait for an object that a transaction holds")
@Threshold("10 ms")
public final class TxLockWaitEvent extends jdk.jfr.Event {
    @Label("Object Id")
    public long objectId;

    @Label("Holder")
    @Description("The holding transaction (its Xid for XA branches)")
    public String holder;

    @Label("Outcome")
    @Description("acquired, timed out, in doubt (prepared holder), deadlock or interrupted")
    public String outcome;
}
