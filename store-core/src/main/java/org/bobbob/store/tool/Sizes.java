package org.bobbob.store.tool;

import java.time.Duration;
import java.util.Locale;

/** Sizes, rates and durations as people read them: {@code 512 B}, {@code 1.5 KiB}, {@code 12.3 MiB}. */
final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {}

    /** {@code bytes} in the largest binary unit that keeps the number at 1 or more; exact below 1 KiB. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (value == Math.rint(value)) {
            return (long) value + " " + UNITS[unit];
        }
        return String.format(
                Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s", value, UNITS[unit]);
    }

    /** {@code bytes} followed by its exact count when that differs from the short form. */
    static String humanExact(long bytes) {
        return bytes < 1024 ? human(bytes) : human(bytes) + " (" + bytes + " bytes)";
    }

    /** Bytes per second over {@code nanos}, in MiB/s. */
    static String rate(long bytes, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        return String.format(Locale.ROOT, "%.1f MiB/s", bytes / seconds / (1 << 20));
    }

    /** A duration in milliseconds with three decimals below a second, else seconds with two. */
    static String duration(Duration d) {
        long nanos = d.toNanos();
        return nanos < 1_000_000_000L
                ? String.format(Locale.ROOT, "%.3f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
