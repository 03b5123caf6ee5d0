package org.bobbob.store.internal.alloc;

/**
 * Finds live objects: the one question a store asks on its read path. An {@link ObjectAllocator}
 * answers it from its built state; a {@link RecordIndex} answers it from a metadata record in
 * place, before any allocator state has been built.
 */
public interface ObjectLocator {

    /**
     * Fills {@code out} (id, offset, size, allocated size) and returns true if {@code id} is a
     * live object; returns false otherwise.
     */
    boolean locate(long id, Location out);
}
