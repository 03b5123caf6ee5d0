package org.bobbob.store.support;

import java.util.Arrays;
import java.util.Objects;

/** The argument checks of {@link org.bobbob.store.Storer#writeBatchedObjs} that every store makes. */
public final class BatchArguments {
    private BatchArguments() {}

    /**
     * Checks the arguments alone, before any object is looked at: no nulls, equal lengths, no
     * repeated id, sizes non-negative and summing to {@code data.length}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException naming the first problem found
     */
    public static void check(long[] ids, byte[] data, int[] sizes) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(sizes, "sizes");
        if (ids.length != sizes.length) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries but sizes has " + sizes.length);
        }
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("sizes must be >= 0, got " + s);
            }
            sum += s;
        }
        if (sum != data.length) {
            throw new IllegalArgumentException("sizes sum to " + sum + " but data has " + data.length + " bytes");
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("id " + sorted[i] + " appears twice");
            }
        }
    }
}
