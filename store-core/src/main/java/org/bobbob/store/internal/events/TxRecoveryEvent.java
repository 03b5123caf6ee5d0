package org.bobbob.store.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** An open that found transactions under way in the last record, and what it did with them. */
@Name("org.bobbob.TxRecovery")
@Label("Transaction Recovery")
@Category("bobbob")
@Description("Transactions a store's open found under way: rolled back, finished, left in doubt")
public final class TxRecoveryEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Rolled Back")
    @Description("Active transactions rolled back")
    public int rolledBack;

    @Label("Finished")
    @Description("Committed transactions whose overwrites were copied again")
    public int finished;

    @Label("In Doubt")
    @Description("Prepared XA branches kept for the transaction manager")
    public int inDoubt;
}
