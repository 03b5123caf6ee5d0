package org.bobbob.store.tool;

import java.io.IOException;
import java.util.Set;

/** One verb of the tool. */
interface Command {

    /** The verb, e.g. {@code verify}. */
    String name();

    /** The arguments after the verb, e.g. {@code [--read-all] [--json] <store>}. */
    String arguments();

    /** One line: what the verb does. */
    String summary();

    /** What {@code <verb> --help} prints after the usage line: the arguments, what it does, what it prints. */
    String help();

    /** Flags the verb knows besides {@code --json} and {@code --help}. */
    default Set<String> flags() {
        return Set.of();
    }

    /** Options with a value the verb knows. */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Runs the verb.
     *
     * @return the exit status: 0 done and healthy, 1 problems found (a store error is thrown)
     * @throws UsageException for bad arguments (status 2)
     * @throws IOException for a store error (status 1)
     */
    int run(Args args, Io io) throws UsageException, IOException;
}
