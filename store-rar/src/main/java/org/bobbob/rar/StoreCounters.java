package org.bobbob.rar;

import java.util.concurrent.atomic.LongAdder;
import org.bobbob.store.ConcurrentStore;
import org.bobbob.store.StoreException;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;

/**
 * What the adapter counts for one store (one {@linkplain StoreTarget#key() key}) of one
 * activation, for {@link StoreStatistics}: kept by the {@link StoreRegistry} for as long as the
 * adapter runs, across closes and reopens of the store.
 *
 * <h2>Two sources</h2>
 * <ul>
 *   <li><b>Counted here</b>, by the connection handles and their Late handles on the calling thread
 *       ({@link #reads}, {@link #writes}, {@link #deletes}, the bytes, the syncs, the open Late
 *       handles), and by the periodic sync. Each is a {@link LongAdder}: striped, so threads on
 *       different cores do not contend for one cache line; a call pays one uncontended add.
 *   <li><b>Kept by the store</b> since it was opened: disk-token waits ({@link ConcurrentStore#diskTokens()})
 *       and the transactions committed, rolled back and the lock waits
 *       ({@link TransactionalStore#transactionCounts()}). What a store counted is carried over here
 *       when it closes ({@link #storeClosing}), so these too run for as long as the adapter does.
 *       {@link #clear} remembers the open store's values as a baseline instead of resetting the
 *       store.
 * </ul>
 *
 * <p>Thread-safety: the adders are updated and read without locks (a read while calls run is a
 * moment's sum, as {@link LongAdder#sum()} says); the carried and baseline figures of the store
 * are guarded by {@code this}.
 */
final class StoreCounters {
    /** Indexes of the store-kept cumulative figures in {@link #carried} and {@link #base}. */
    static final int DISK_TOKEN_WAITS = 0, LOCK_WAITS = 1, COMMITTED = 2, ROLLED_BACK = 3;

    private static final int STORE_FIGURES = 4;

    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder deletes = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder syncs = new LongAdder();
    final LongAdder syncNanos = new LongAdder();
    /** Late handles open now: a gauge, up at open, down at close; {@link #clear} leaves it. */
    final LongAdder openLateHandles = new LongAdder();

    /** What closed stores of this key counted since the last clear. Guarded by {@code this}. */
    private final long[] carried = new long[STORE_FIGURES];
    /** The open store's figures at the last clear, if {@link #baseOf} is that store. Guarded by {@code this}. */
    private final long[] base = new long[STORE_FIGURES];
    /** The store {@link #base} was read from; null: none (its baseline is zero). Guarded by {@code this}. */
    private ConcurrentStore baseOf;

    /** A read of {@code bytes} bytes (a {@code readBytesFromObj}); a Late reader counts its bytes as it reads. */
    void read(long bytes) {
        reads.increment();
        bytesRead.add(bytes);
    }

    /** {@code objects} objects written with {@code bytes} bytes in one call. */
    void written(int objects, long bytes) {
        writes.add(objects);
        bytesWritten.add(bytes);
    }

    /** A sync that took {@code nanos}. */
    void synced(long nanos) {
        syncs.increment();
        syncNanos.add(nanos);
    }

    /**
     * The store-kept figures (indexes {@link #DISK_TOKEN_WAITS} ...) for this key since the last
     * clear: what closed stores counted plus what {@code open} (null: none is open) counted since
     * the baseline.
     */
    synchronized long[] storeFigures(ConcurrentStore open) {
        long[] now = read(open);
        long[] out = carried.clone();
        for (int i = 0; i < STORE_FIGURES; i++) {
            out[i] += now[i] - (open != null && open == baseOf ? base[i] : 0);
        }
        return out;
    }

    /** {@code store} is about to close: carries what it counted since the baseline over. */
    synchronized void storeClosing(ConcurrentStore store) {
        long[] now = read(store);
        for (int i = 0; i < STORE_FIGURES; i++) {
            carried[i] += now[i] - (store == baseOf ? base[i] : 0);
        }
        if (store == baseOf) {
            baseOf = null;
        }
    }

    /**
     * Starts every figure again from 0, except the open Late handles (a gauge): the adders are
     * reset, the carried figures dropped, and {@code open}'s (null: none is open) taken as the
     * new baseline. Counts made by calls running meanwhile may land on either side.
     */
    synchronized void clear(ConcurrentStore open) {
        for (LongAdder a : new LongAdder[] {reads, writes, deletes, bytesRead, bytesWritten, syncs, syncNanos}) {
            a.reset();
        }
        java.util.Arrays.fill(carried, 0);
        long[] now = read(open);
        System.arraycopy(now, 0, base, 0, STORE_FIGURES);
        baseOf = open;
    }

    /** {@code store}'s own cumulative figures since it was opened; zeros for null or a closed store. */
    private static long[] read(ConcurrentStore store) {
        long[] out = new long[STORE_FIGURES];
        if (store == null) {
            return out;
        }
        out[DISK_TOKEN_WAITS] = store.diskTokens().waits();
        out[LOCK_WAITS] = store.objectLockWaits();
        try {
            if (store.isWrapperFor(TransactionalStore.class)) {
                TransactionCounts tx = store.unwrap(TransactionalStore.class).transactionCounts();
                out[LOCK_WAITS] += tx.lockWaits();
                out[COMMITTED] = tx.committed();
                out[ROLLED_BACK] = tx.rolledBack();
            }
        } catch (StoreException e) {
            // closed meanwhile: its transaction figures are not to be had
        }
        return out;
    }
}
