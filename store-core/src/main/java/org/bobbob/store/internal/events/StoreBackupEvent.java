package org.bobbob.store.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** An online backup ({@code Backup.backupTo}): its duration is the whole copy's. */
@Name("org.bobbob.StoreBackup")
@Label("Store Backup")
@Category("bobbob")
@Description("An online backup of a store: the copy, and how long writers were held for its sync point")
public final class StoreBackupEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Target")
    public String target;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Objects")
    public long objects;

    @Label("Writer Pause")
    @Description("How long calls were held while the backup took its sync point")
    @Timespan(Timespan.NANOSECONDS)
    public long writerPause;
}
