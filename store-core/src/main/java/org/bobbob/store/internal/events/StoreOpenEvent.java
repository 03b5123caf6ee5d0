package org.bobbob.store.internal.events;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A store file opened or created: how long it took, and what the file held. */
@Name("org.bobbob.StoreOpen")
@Label("Store Open")
@Category("bobbob")
@Description("A store file opened (or created): its duration, objects and sizes")
public final class StoreOpenEvent extends jdk.jfr.Event {
    @Label("Path")
    public String path;

    @Label("Kind")
    public String kind;

    @Label("Created")
    @Description("Whether the open created the file")
    public boolean created;

    @Label("Objects")
    public long objects;

    @Label("File Size")
    @DataAmount
    public long fileBytes;

    @Label("Record Size")
    @Description("The metadata record the open read")
    @DataAmount
    public long recordBytes;
}
