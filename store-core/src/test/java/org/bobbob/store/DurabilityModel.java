package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a store must hold after a crash, built from the operations a workload reported. The
 * promise (STORE.md): the store reopens at its last sync, so every object as of the last
 * completed sync that was not touched since reads back exactly, and deletes synced stay deleted.
 * An object touched after it may show any version it was given (a sync may have been in flight),
 * may be gone if it was created or deleted since, and may be torn where an overwrite was in
 * flight or not yet synced. It may never show bytes it was never given: that would mean its
 * space was reused while a durable state still named it. An overwrite cut short by the crash reads
 * as one whole version or fails its checksum (BOB-305), never torn.
 */
public final class DurabilityModel {
    /** The seed that stands for an object of zeros (made by {@code newObj}). */
    public static final long ZEROS = Long.MIN_VALUE;

    /** The content of an object given {@code seed}: {@link TestBytes#of}, or zeros for {@link #ZEROS}. */
    private static byte[] bytes(long seed, int size) {
        return seed == ZEROS ? new byte[size] : TestBytes.of(seed, size);
    }

    /** An empty model: nothing written, nothing synced. */
    public DurabilityModel() {}

    /** What a reopened store may show for one object touched since the last sync. */
    private static final class Expect {
        final Set<Long> seeds = new HashSet<>();
        long size;
        boolean mayBeGone;
        boolean mayBeTorn;
    }

    private Map<Long, long[]> committed = new HashMap<>(); // id -> {seed, size} at the last sync
    private final Map<Long, long[]> current = new HashMap<>();
    private final Map<Long, Expect> since = new HashMap<>();
    /** Objects whose overwrite failed with an I/O error: any content, same size. */
    private final Set<Long> torn = new HashSet<>();

    private Expect touch(long id) {
        return since.computeIfAbsent(id, k -> {
            Expect e = new Expect();
            long[] c = committed.get(k);
            if (c != null) {
                e.seeds.add(c[0]);
                e.size = c[1];
            }
            return e;
        });
    }

    /** An object was created (its write returned). */
    public void created(long id, long seed, int size) {
        current.put(id, new long[] {seed, size});
        torn.remove(id);
        Expect e = touch(id);
        e.seeds.add(seed);
        e.size = size;
        e.mayBeGone = true;
    }

    /** An in-place overwrite is starting; {@code mayTear}: it may end up partly written. */
    public void overwriting(long id, long seed, boolean mayTear) {
        current.put(id, new long[] {seed, current.get(id)[1]});
        Expect e = touch(id);
        e.seeds.add(seed);
        e.mayBeTorn |= mayTear;
    }

    /** An overwrite failed half way: the object may hold anything from now on. */
    public void overwriteFailed(long id) {
        torn.add(id);
    }

    /** A delete is starting. */
    public void deleting(long id) {
        current.remove(id);
        torn.remove(id);
        touch(id).mayBeGone = true;
    }

    /** A sync returned. */
    public void synced() {
        committed = new HashMap<>(current);
        since.clear();
    }

    public Set<Long> liveIds() {
        return current.keySet();
    }

    public int sizeOf(long id) {
        return (int) current.get(id)[1];
    }

    /** Checks {@code s} against the promise; returns how many objects were checked exactly. */
    public int verify(Storer s, String context) throws IOException {
        int exact = 0;
        for (Map.Entry<Long, long[]> e : committed.entrySet()) {
            long id = e.getKey();
            if (since.containsKey(id)) {
                continue;
            }
            byte[] got = s.readBytesFromObj(id);
            if (torn.contains(id)) {
                assertEquals(e.getValue()[1], got.length, context + ": object " + id + " changed size");
                continue;
            }
            assertArrayEquals(bytes(e.getValue()[0], (int) e.getValue()[1]), got, context + ": synced object " + id);
            exact++;
        }
        for (Map.Entry<Long, Expect> entry : since.entrySet()) {
            long id = entry.getKey();
            Expect e = entry.getValue();
            byte[] got;
            try {
                got = s.readBytesFromObj(id);
            } catch (ObjectNotFoundException gone) {
                assertTrue(e.mayBeGone, context + ": synced object " + id + " vanished");
                continue;
            } catch (StoreCorruptedException mismatch) {
                // An overwrite cut short by the crash: its checksum says so instead of reading torn.
                assertTrue(
                        e.mayBeTorn && mismatch.code() == ErrorCode.CHECKSUM_MISMATCH,
                        context + ": object " + id + ": " + mismatch.getMessage());
                continue;
            }
            assertEquals(e.size, got.length, context + ": object " + id + " changed size");
            // Never torn bytes: a read returns one whole version (checksums), unless a write failed.
            boolean known = torn.contains(id);
            for (long seed : e.seeds) {
                known |= Arrays.equals(bytes(seed, (int) e.size), got);
            }
            assertTrue(known, context + ": object " + id + " holds bytes it was never given");
        }
        return exact;
    }
}
