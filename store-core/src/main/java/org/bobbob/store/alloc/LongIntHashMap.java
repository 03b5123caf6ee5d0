package org.bobbob.store.alloc;

import java.util.Arrays;

/**
 * A map from positive {@code long} keys to non-negative {@code int} values with no object per
 * entry: open addressing with linear probing in one {@code long[]} holding key and value side by
 * side. 16 bytes a slot, at most 3/4 full.
 *
 * <p>Key 0 marks an empty slot (store ids are never 0). Removal shifts later entries of the probe
 * run back, so there are no tombstones. A reader racing a writer may see a wrong answer, but
 * never loops forever or indexes out of bounds: the table is read through one array reference
 * and every probe is bounded by its length. That is what lets the store read it under an
 * optimistic lock.
 */
public final class LongIntHashMap {
    private long[] table; // [2*i] = key, [2*i+1] = value
    private int size;

    public LongIntHashMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 29, expected * 4L / 3 + 1)) - 1) << 1;
        table = new long[cap * 2];
    }

    public int size() {
        return size;
    }

    private static int hash(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for {@code key}, or -1. */
    public int get(long key) {
        long[] t = table;
        int cap = t.length >> 1;
        int mask = cap - 1;
        int i = hash(key, mask);
        for (int n = 0; n < cap; n++) {
            long k = t[2 * i];
            if (k == key) {
                return (int) t[2 * i + 1];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Sets {@code key} to {@code value}; returns the old value or -1. */
    public int put(long key, int value) {
        assert key > 0 && value >= 0 : "put(" + key + ", " + value + ")";
        if ((size + 1) * 4L > (table.length >> 1) * 3L) {
            grow();
        }
        long[] t = table;
        int mask = (t.length >> 1) - 1;
        int i = hash(key, mask);
        while (true) {
            long k = t[2 * i];
            if (k == key) {
                int old = (int) t[2 * i + 1];
                t[2 * i + 1] = value;
                return old;
            }
            if (k == 0) {
                t[2 * i + 1] = value;
                t[2 * i] = key;
                size++;
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes {@code key}; returns its value or -1. */
    public int remove(long key) {
        long[] t = table;
        int mask = (t.length >> 1) - 1;
        int i = hash(key, mask);
        while (true) {
            long k = t[2 * i];
            if (k == 0) {
                return -1;
            }
            if (k == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        int old = (int) t[2 * i + 1];
        // Shift back later members of the run whose home slot is not between the hole and them.
        int hole = i;
        int j = (i + 1) & mask;
        while (t[2 * j] != 0) {
            int home = hash(t[2 * j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                t[2 * hole + 1] = t[2 * j + 1];
                t[2 * hole] = t[2 * j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        t[2 * hole] = 0;
        t[2 * hole + 1] = 0;
        size--;
        return old;
    }

    private void grow() {
        long[] old = table;
        long[] t = new long[old.length * 2];
        int mask = (t.length >> 1) - 1;
        for (int s = 0; s < old.length; s += 2) {
            long k = old[s];
            if (k != 0) {
                int i = hash(k, mask);
                while (t[2 * i] != 0) {
                    i = (i + 1) & mask;
                }
                t[2 * i] = k;
                t[2 * i + 1] = old[s + 1];
            }
        }
        table = t; // publish only when complete
    }

    /** The keys, sorted ascending (a fresh array). */
    public long[] sortedKeys() {
        long[] keys = new long[size];
        int n = 0;
        long[] t = table;
        for (int s = 0; s < t.length; s += 2) {
            if (t[s] != 0) {
                keys[n++] = t[s];
            }
        }
        Arrays.sort(keys);
        return keys;
    }

    /** Heap bytes held by the table. */
    public long footprintBytes() {
        return 16L + table.length * 8L;
    }
}
