package org.bobbob.store.internal.alloc;

import java.util.Arrays;

/** A growable list of (offset, length) extents that can be sorted by offset. */
public final class ExtentList {
    private long[] offsets;
    private long[] lengths;
    private int size;

    /** An empty list with room for 64 extents. */
    public ExtentList() {
        this(64);
    }

    /** An empty list with room for {@code capacity} extents before it grows. */
    public ExtentList(int capacity) {
        offsets = new long[capacity];
        lengths = new long[capacity];
    }

    public void add(long offset, long length) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        offsets[size] = offset;
        lengths[size] = length;
        size++;
    }

    /** Lengthens the last extent by {@code length} bytes; the list must not be empty. */
    public void extendLast(long length) {
        lengths[size - 1] += length;
    }

    public int size() {
        return size;
    }

    /** Extents it holds without growing (for heap estimates). */
    public int capacity() {
        return offsets.length;
    }

    /** Removes every extent. */
    public void clear() {
        size = 0;
    }

    /** Removes the first {@code n} extents; the rest move to the front, in order. */
    public void dropFirst(int n) {
        System.arraycopy(offsets, n, offsets, 0, size - n);
        System.arraycopy(lengths, n, lengths, 0, size - n);
        size -= n;
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long length(int i) {
        return lengths[i];
    }

    /**
     * Sorts by offset: a merge of the list's ascending runs, so linear when already sorted and
     * {@code O(n log runs)} in general. Extents read from a record come in a few runs (the
     * objects in offset order, then blocks in number order, which is mostly offset order).
     */
    public void sortByOffset() {
        int[] bounds = new int[8];
        int runs = 0;
        bounds[0] = 0;
        for (int i = 1; i < size; i++) {
            if (offsets[i - 1] > offsets[i]) {
                if (++runs + 1 >= bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[runs] = i;
            }
        }
        if (runs == 0) {
            return;
        }
        bounds[++runs] = size; // runs: bounds[r] .. bounds[r + 1]
        long[] fromOff = offsets;
        long[] fromLen = lengths;
        long[] toOff = new long[offsets.length];
        long[] toLen = new long[lengths.length];
        while (runs > 1) {
            int merged = 0;
            for (int r = 0; r < runs; r += 2) {
                int lo = bounds[r];
                int mid = bounds[Math.min(r + 1, runs)];
                int hi = bounds[Math.min(r + 2, runs)];
                merge(fromOff, fromLen, lo, mid, hi, toOff, toLen);
                bounds[merged++] = lo;
            }
            bounds[merged] = size;
            runs = merged;
            long[] t = fromOff;
            fromOff = toOff;
            toOff = t;
            t = fromLen;
            fromLen = toLen;
            toLen = t;
        }
        offsets = fromOff;
        lengths = fromLen;
    }

    /** Merges sorted [lo, mid) and [mid, hi) of the first arrays into the same range of the second. */
    private static void merge(long[] off, long[] len, int lo, int mid, int hi, long[] toOff, long[] toLen) {
        int a = lo;
        int b = mid;
        for (int k = lo; k < hi; k++) {
            if (b >= hi || (a < mid && off[a] <= off[b])) {
                toOff[k] = off[a];
                toLen[k] = len[a++];
            } else {
                toOff[k] = off[b];
                toLen[k] = len[b++];
            }
        }
    }
}
