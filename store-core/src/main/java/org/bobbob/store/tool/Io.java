package org.bobbob.store.tool;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * Where a command reads and writes: standard input (for {@code import -}), standard output (its
 * report, or the export stream for {@code export -}), standard error (messages, the progress bar),
 * and whether a person watches (a console is attached: the progress bar is drawn only then).
 */
record Io(InputStream in, PrintStream out, PrintStream err, boolean console) {

    /** The process's own streams; a console when {@code System.console()} is not null. */
    static Io system() {
        return new Io(System.in, System.out, System.err, System.console() != null);
    }
}
