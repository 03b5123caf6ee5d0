package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded corruption of a closed store, then open and read everything: every outcome is either
 * the exact bytes or a documented, coded exception (refused at open, or the object not found or
 * corrupted). A read that returns other bytes than were written (a silent wrong read) or any other
 * exception type (OutOfMemoryError, InternalError, IllegalArgumentException...) fails the test.
 *
 * <p>Kinds: random flipped bytes, truncation, garbage appended, a zeroed 4 KiB page, and a forged
 * metadata record (one payload byte changed, its CRC fixed: what a bug in our own writer would
 * write). {@value #DEFAULT_TRIALS} trials per store kind here; {@code -Dbobbob.fuzz.trials=3000} in
 * the {@code stress} profile.
 */
class CorruptionFuzzTest {
    private static final int DEFAULT_TRIALS = 150;

    @TempDir
    Path dir;

    enum Corruption {
        FLIP,
        TRUNCATE,
        APPEND,
        ZERO_PAGE,
        FORGED_RECORD
    }

    enum Outcome {
        EXACT,
        REFUSED_AT_OPEN,
        DETECTED_ON_READ
    }

    @ParameterizedTest
    @EnumSource(
            value = TestStores.class,
            names = {"BASIC", "MULTI"})
    void everyCorruptionIsExactBytesOrACodedException(TestStores stores) throws Exception {
        int trials = Integer.getInteger("bobbob.fuzz.trials", DEFAULT_TRIALS);
        Path base = dir.resolve("base.bob");
        Map<Long, byte[]> objects = populate(stores, base);
        byte[] image = Files.readAllBytes(base);
        SplittableRandom r = new SplittableRandom(stores.ordinal() * 1_000_003L + 17);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        List<String> failures = new ArrayList<>();
        Path file = dir.resolve("trial.bob");
        for (int trial = 0; trial < trials; trial++) {
            Corruption kind = Corruption.values()[trial % Corruption.values().length];
            Files.write(file, image);
            corrupt(file, image, kind, r);
            String where = "trial " + trial + " (" + kind + ")";
            try {
                Outcome o = check(stores, file, objects, where, failures);
                outcomes.merge(o, 1, Integer::sum);
            } catch (Throwable t) { // the test's own verdict on anything that escaped
                failures.add(where + ": " + t);
            }
        }
        System.out.println("CorruptionFuzzTest " + stores + ": " + trials + " trials, " + outcomes + ", "
                + failures.size() + " bad");
        assertTrue(
                failures.isEmpty(),
                failures.size() + " bad outcomes, e.g. " + failures.subList(0, Math.min(5, failures.size())));
        assertEquals(
                trials, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(
                outcomes.getOrDefault(Outcome.DETECTED_ON_READ, 0) > 0,
                "no corruption was detected on read: " + outcomes);
    }

    private static Map<Long, byte[]> populate(TestStores stores, Path file) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        Map<Long, byte[]> live = new LinkedHashMap<>();
        try (Storer s = stores.create(file)) {
            for (int i = 0; i < 400; i++) {
                int size = r.nextInt(10) == 0 ? 4097 + r.nextInt(20_000) : r.nextInt(3000);
                byte[] b = TestBytes.of(i, size);
                live.put(s.writeNewObjFromBytes(b), b);
            }
            List<Long> ids = new ArrayList<>(live.keySet());
            for (int i = 0; i < ids.size(); i += 4) {
                s.deleteObj(ids.get(i));
                live.remove(ids.get(i));
            }
            s.sync();
            for (int i = 0; i < 50; i++) { // some reuse, in a later generation
                byte[] b = TestBytes.of(1000 + i, r.nextInt(2000));
                live.put(s.writeNewObjFromBytes(b), b);
            }
        }
        return live;
    }

    private static void corrupt(Path file, byte[] image, Corruption kind, SplittableRandom r) throws IOException {
        switch (kind) {
            case FLIP -> {
                byte[] b = image.clone();
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
                Files.write(file, b);
            }
            case TRUNCATE -> Files.write(file, Arrays.copyOf(image, r.nextInt(image.length)));
            case APPEND -> {
                byte[] garbage = new byte[1 + r.nextInt(10_000)];
                r.nextBytes(garbage);
                byte[] b = Arrays.copyOf(image, image.length + garbage.length);
                System.arraycopy(garbage, 0, b, image.length, garbage.length);
                Files.write(file, b);
            }
            case ZERO_PAGE -> {
                byte[] b = image.clone();
                int page = r.nextInt((b.length + 4095) / 4096);
                Arrays.fill(b, page * 4096, Math.min(b.length, page * 4096 + 4096), (byte) 0);
                Files.write(file, b);
            }
            case FORGED_RECORD ->
                RecordEdits.editPayload(file, (ByteBuffer p) -> {
                    int at = r.nextInt(p.limit());
                    p.put(at, (byte) (p.get(at) ^ (1 + r.nextInt(255))));
                });
        }
    }

    /** Opens and reads everything; adds to {@code failures} what breaks the promise. */
    private static Outcome check(
            TestStores stores, Path file, Map<Long, byte[]> objects, String where, List<String> failures) {
        Storer s;
        try {
            s = stores.open(file);
        } catch (StoreException refused) {
            return requireCode(refused, where, failures, Outcome.REFUSED_AT_OPEN);
        } catch (Throwable t) {
            failures.add(where + ": open threw " + t);
            return Outcome.REFUSED_AT_OPEN;
        }
        Outcome outcome = Outcome.EXACT;
        try (s) {
            for (Map.Entry<Long, byte[]> e : objects.entrySet()) {
                try {
                    byte[] got = s.readBytesFromObj(e.getKey());
                    if (!Arrays.equals(e.getValue(), got)) {
                        failures.add(where + ": SILENT WRONG READ of object " + e.getKey() + " (" + got.length
                                + " bytes for " + e.getValue().length + ")");
                    }
                } catch (StoreException detected) {
                    outcome = requireCode(detected, where, failures, Outcome.DETECTED_ON_READ);
                }
            }
            try { // the store still takes writes, or refuses them with a code
                s.writeNewObjFromBytes(new byte[100]);
                s.sync();
            } catch (StoreException refused) {
                requireCode(refused, where, failures, outcome);
            }
        } catch (StoreException closing) {
            requireCode(closing, where, failures, outcome);
        } catch (Throwable t) {
            failures.add(where + ": " + t);
        }
        return outcome;
    }

    private static Outcome requireCode(StoreException e, String where, List<String> failures, Outcome outcome) {
        if (e.code() == null) {
            failures.add(where + ": an exception without a code: " + e);
        }
        return outcome;
    }
}
