package org.bobbob.store;

import java.io.IOException;

/**
 * Optional capability: allocate objects laid out back to back, so that
 * {@link Storer#writeBatchedObjs} can fill them with one positional write.
 * Obtain it with {@code store.unwrap(RunAllocator.class)}.
 */
public interface RunAllocator {

    /**
     * Allocates {@code count} zero-filled objects of {@code size} bytes each, adjacent in the file
     * in id order. All or nothing: either every object is allocated or none is.
     *
     * @throws IllegalArgumentException if {@code size < 0} or {@code count < 1}
     */
    AllocatedRun allocateRun(int size, int count) throws IOException;
}
