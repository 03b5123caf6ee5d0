package org.bobbob.store.internal.alloc;

import java.util.Arrays;

/** A growable list of (offset, length) extents that can be sorted by offset. */
public final class ExtentList {
    /** A list with more than one ascending run in this many extents is radix-sorted. */
    static final int RUNS_FOR_RADIX = 16;
    /** Bits of the offset a radix pass sorts by. */
    static final int RADIX_BITS = 11;

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
     * Sorts by offset. Extents read from a record come in a few ascending runs (the objects in
     * offset order, then blocks in number order, which is mostly offset order): those runs are
     * merged, linear when already sorted and {@code O(n log runs)} in general. Freed ranges come
     * in the order of their deletes, often random, so in about {@code n / 2} runs: with more
     * than one run in {@value #RUNS_FOR_RADIX} extents, a radix sort instead, {@value #RADIX_BITS}
     * bits of the offset a pass (three passes for a file below 8 GiB), where merging would take
     * {@code log2(runs)} passes of unpredictable comparisons.
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
        if (runs > size / RUNS_FOR_RADIX) {
            radixSort();
            return;
        }
        bounds[++runs] = size; // runs: bounds[r] .. bounds[r + 1]
        long[][] off = {offsets, new long[offsets.length]}; // each pass reads [from], writes the other
        long[][] len = {lengths, new long[lengths.length]};
        int from = 0;
        while (runs > 1) {
            int merged = 0;
            for (int r = 0; r < runs; r += 2) {
                int lo = bounds[r];
                int mid = bounds[Math.min(r + 1, runs)];
                int hi = bounds[Math.min(r + 2, runs)];
                merge(off[from], len[from], lo, mid, hi, off[from ^ 1], len[from ^ 1]);
                bounds[merged++] = lo;
            }
            bounds[merged] = size;
            runs = merged;
            from ^= 1;
        }
        offsets = off[from];
        lengths = len[from];
    }

    /** Least significant digit first, each pass stable, as many passes as the largest offset needs. */
    private void radixSort() {
        long all = 0;
        for (int i = 0; i < size; i++) {
            all |= offsets[i];
        }
        int bits = 64 - Long.numberOfLeadingZeros(all); // offsets are not negative
        long[][] off = {offsets, new long[offsets.length]}; // each pass reads [from], writes the other
        long[][] len = {lengths, new long[lengths.length]};
        int from = 0;
        int[] start = new int[1 << RADIX_BITS];
        for (int shift = 0; shift < bits; shift += RADIX_BITS) {
            long[] srcOff = off[from];
            long[] srcLen = len[from];
            long[] dstOff = off[from ^ 1];
            long[] dstLen = len[from ^ 1];
            Arrays.fill(start, 0);
            for (int i = 0; i < size; i++) {
                start[digit(srcOff[i], shift)]++;
            }
            int sum = 0;
            for (int d = 0; d < start.length; d++) {
                int count = start[d];
                start[d] = sum;
                sum += count;
            }
            for (int i = 0; i < size; i++) {
                int at = start[digit(srcOff[i], shift)]++;
                dstOff[at] = srcOff[i];
                dstLen[at] = srcLen[i];
            }
            from ^= 1;
        }
        offsets = off[from];
        lengths = len[from];
    }

    private static int digit(long offset, int shift) {
        return (int) (offset >>> shift) & ((1 << RADIX_BITS) - 1);
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
