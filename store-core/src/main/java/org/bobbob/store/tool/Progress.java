package org.bobbob.store.tool;

import java.io.PrintStream;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

/**
 * A progress bar on standard error, drawn only when a person watches (a console is attached) and
 * only once the work has taken a second, then redrawn at most ten times a second on one line:
 * {@code verify [########............]  41%  1.2 GiB of 2.9 GiB}. Standard output never sees it,
 * so a report or an export stream there stays clean. Not thread-safe: one worker updates it.
 */
final class Progress implements LongConsumer, AutoCloseable {
    private static final long FIRST_DRAW_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private final LongFunction<String> unit;
    private final long started = System.nanoTime();
    private long drawnAt;
    private boolean drawn;

    /**
     * @param total the amount at the end, or 0 or less when not known (no bar then, only the amount)
     * @param unit  how an amount reads ({@link Sizes#human} for bytes)
     */
    Progress(Io io, String label, long total, LongFunction<String> unit) {
        this.err = io.err();
        this.enabled = io.console();
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** A bar over a count of bytes. */
    static Progress bytes(Io io, String label, long total) {
        return new Progress(io, label, total, Sizes::human);
    }

    /** A bar over a count of objects. */
    static Progress objects(Io io, String label, long total) {
        return new Progress(io, label, total, n -> n + " objects");
    }

    /** Tells how much is done; draws when due. */
    @Override
    public void accept(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - started < FIRST_DRAW_NANOS || (drawn && now - drawnAt < REDRAW_NANOS)) {
            return;
        }
        drawnAt = now;
        drawn = true;
        err.print("\r" + line(done) + "  ");
        err.flush();
    }

    /** The line for {@code done}. */
    String line(long done) {
        if (total <= 0) {
            return label + " " + unit.apply(done);
        }
        long shown = Math.min(done, total);
        int filled = (int) (shown * WIDTH / total);
        return label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format("%3d%%", shown * 100 / total) + "  " + unit.apply(shown) + " of " + unit.apply(total);
    }

    /** Ends the bar's line, if one was drawn. */
    @Override
    public void close() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
