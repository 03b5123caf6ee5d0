package org.bobbob.store.tool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's arguments: flags ({@code --json}), options with a value ({@code --mapping file} or
 * {@code --mapping=file}) and positional arguments, in any order. {@code -} alone is positional
 * (standard input or output); {@code --} ends the options.
 */
final class Args {
    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * Parses {@code args} for a verb that knows {@code knownFlags} and {@code knownOptions} (names
     * with their leading {@code --}); {@code --json} and {@code --help} are known to every verb.
     *
     * @throws UsageException for an unknown option, an option without its value, or one given twice
     */
    static Args parse(List<String> args, Set<String> knownFlags, Set<String> knownOptions) throws UsageException {
        Args parsed = new Args();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                parsed.positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("-h")) {
                arg = "--help";
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (knownOptions.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (parsed.options.put(name, value) != null) {
                    throw new UsageException(name + " is given twice");
                }
            } else if (eq < 0 && (knownFlags.contains(name) || name.equals("--json") || name.equals("--help"))) {
                parsed.flags.add(name);
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return parsed;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The option's value, or null if it is not given. */
    String option(String name) {
        return options.get(name);
    }

    /**
     * The positional arguments, which must number {@code count}.
     *
     * @throws UsageException naming what is missing or extra
     */
    List<String> positional(int count, String names) throws UsageException {
        if (positional.size() < count) {
            throw new UsageException("missing arguments: expected " + names);
        }
        if (positional.size() > count) {
            throw new UsageException("too many arguments: expected " + names + ", got " + String.join(" ", positional));
        }
        return List.copyOf(positional);
    }
}
