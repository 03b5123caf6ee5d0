package org.bobbob.store.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One commit of the store's state: a {@code sync()}, a transaction's commit (several at once when
 * they share it), a commit of the store's own, or the last one of {@code close()}.
 */
@Name("org.bobbob.StoreCommit")
@Label("Store Commit")
@Category("bobbob")
@Description("A durable commit of a store's state (sync, transaction commit, close): a journal entry or a whole record"
        + " written and forced")
public final class StoreCommitEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Record Size")
    @Description("Bytes written for the state: the journal entry's or the whole record's")
    @DataAmount
    public long recordBytes;

    @Label("Journal Entry")
    @Description("The commit appended an entry of its changes to the journal; else it wrote a whole record")
    public boolean journalEntry;

    @Label("Forces")
    @Description("How many times the commit forced the whole file: 0 for a journal entry that carries its"
            + " objects' bytes (written durably by itself, with a header slot only when it starts a journal),"
            + " else 1")
    public int forces;

    @Label("Both Header Slots")
    @Description("Written at close and when the file's free tail is cut; else one slot")
    public boolean bothSlots;

    @Label("Succeeded")
    public boolean succeeded;
}
