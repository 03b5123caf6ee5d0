package org.bobbob.store.internal.alloc;

import org.bobbob.store.internal.format.MetaReader;

/**
 * What reading the allocator parts of a metadata payload takes: the payload, at the parts; its
 * format version; its index (null in format 1), which the parts are checked against; the free
 * space and the generation the allocators will use; the allocator end that every object lies
 * below; and the list that collects every extent the parts name (the free space is their gaps).
 */
public record RecordParts(
        MetaReader in,
        int version,
        RecordIndex index,
        FileSpace space,
        Generation generation,
        long end,
        ExtentList used) {}
