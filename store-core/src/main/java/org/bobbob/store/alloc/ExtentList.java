package org.bobbob.store.alloc;

import java.util.Arrays;

/** A growable list of (offset, length) extents that can be sorted by offset. */
public final class ExtentList {
    private long[] offsets = new long[64];
    private long[] lengths = new long[64];
    private int size;

    public void add(long offset, long length) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        offsets[size] = offset;
        lengths[size] = length;
        size++;
    }

    public int size() {
        return size;
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long length(int i) {
        return lengths[i];
    }

    /** Sorts by offset; linear when already sorted, as extents read from a record mostly are. */
    public void sortByOffset() {
        for (int i = 1; i < size; i++) {
            if (offsets[i - 1] > offsets[i]) {
                quicksort(0, size - 1);
                return;
            }
        }
    }

    private void quicksort(int lo, int hi) {
        while (lo < hi) {
            long pivot = offsets[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (offsets[i] < pivot) {
                    i++;
                }
                while (offsets[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (j - lo < hi - i) {
                quicksort(lo, j);
                lo = i;
            } else {
                quicksort(i, hi);
                hi = j;
            }
        }
    }

    private void swap(int a, int b) {
        long o = offsets[a];
        offsets[a] = offsets[b];
        offsets[b] = o;
        long l = lengths[a];
        lengths[a] = lengths[b];
        lengths[b] = l;
    }
}
