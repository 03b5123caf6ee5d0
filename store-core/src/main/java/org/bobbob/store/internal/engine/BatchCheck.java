package org.bobbob.store.internal.engine;

import org.bobbob.store.StoreException;
import org.bobbob.store.internal.alloc.Location;
import org.bobbob.store.support.BatchArguments;
import org.bobbob.store.support.Errors;

/**
 * The argument and placement checks of {@link org.bobbob.store.Storer#writeBatchedObjs}, shared by
 * the engine and the locking wrapper.
 */
final class BatchCheck {
    private BatchCheck() {}

    /** {@link BatchArguments#check}, then an array for the objects' locations. */
    static Location[] validate(long[] ids, byte[] data, int[] sizes) {
        BatchArguments.check(ids, data, sizes);
        return new Location[ids.length];
    }

    /** Checks each size fits its object and the objects lie back to back in the order given. */
    static void checkPlacement(long[] ids, int[] sizes, Location[] locs) throws StoreException {
        for (int i = 0; i < ids.length; i++) {
            if (sizes[i] > locs[i].size) {
                throw new IllegalArgumentException("sizes[" + i + "] = " + sizes[i] + " is larger than object " + ids[i]
                        + " (" + locs[i].size + " bytes)");
            }
            if (i > 0 && locs[i].offset != locs[i - 1].offset + locs[i - 1].allocatedSize) {
                throw Errors.notAdjacent(ids[i - 1], ids[i]);
            }
        }
    }

    /** Whether {@code data} maps onto the run with no gap, so one write does it. */
    static boolean packed(int[] sizes, Location[] locs) {
        for (int i = 0; i < locs.length - 1; i++) {
            if (sizes[i] != locs[i].allocatedSize) {
                return false;
            }
        }
        return true;
    }
}
