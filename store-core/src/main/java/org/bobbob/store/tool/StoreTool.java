package org.bobbob.store.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;

/**
 * The command-line tool: {@code java -jar store-core.jar <verb> [options] <arguments>}.
 * <ul>
 *   <li>{@code info <store>}: figures, free space by hole and slot size, transactions in doubt
 *       (read-only);
 *   <li>{@code verify [--read-all] <store>}: every check, each problem with its error code
 *       (read-only);
 *   <li>{@code compact <store>}: gives back the free space a store file can give back without
 *       changing ids (offline);
 *   <li>{@code backup <store> <target-file>}: a copy that opens as a store;
 *   <li>{@code export <store> <file|->} and {@code import <file|-> <store> [--mapping <file>]}: a
 *       portable stream of every object, from and into a store of any kind.
 * </ul>
 * A store is a URL ({@code bobbob:multi:/path?...}) or a bare file path, whose kind is read from
 * the file's header. Every verb takes {@code --help} (its usage on standard output, status 0) and
 * {@code --json} (its report as one JSON object on standard output; an error as
 * {@code {"ok":false,"error":{"code":"BOB-202","message":...}}}). Messages and the progress bar
 * (drawn only when a console is attached) go to standard error. Only {@code import} creates a
 * store, and only from a URL; no verb deletes or replaces a file.
 *
 * <p>Exit status: <b>0</b> done, and the store is healthy; <b>1</b> problems found
 * ({@code verify}, {@code info}) or a store error (its message starts with its code, e.g.
 * {@code [BOB-202]} for a store open elsewhere; docs/ERRORS.md); <b>2</b> bad usage (an unknown
 * verb or option, missing or extra arguments).
 */
public final class StoreTool {
    static final String PROGRAM = "java -jar store-core.jar";
    static final int OK = 0;
    static final int PROBLEMS = 1;
    static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(
            new InfoCommand(),
            new VerifyCommand(),
            new CompactCommand(),
            new BackupCommand(),
            new ExportCommand(),
            new ImportCommand());

    private StoreTool() {}

    public static void main(String[] args) {
        int status = run(args, Io.system());
        System.out.flush();
        System.exit(status);
    }

    /** Runs with no standard input and no console. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Io(InputStream.nullInputStream(), out, err, false));
    }

    /** Runs the verb {@code args[0]} names; returns the exit status. */
    static int run(String[] args, Io io) {
        if (args.length == 0) {
            io.err().print(usage());
            return USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            io.out().print(usage());
            return OK;
        }
        Command command = COMMANDS.stream()
                .filter(c -> c.name().equals(args[0]))
                .findFirst()
                .orElse(null);
        if (command == null) {
            io.err().println("unknown verb '" + args[0] + "'");
            io.err().print(usage());
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        boolean json = rest.contains("--json");
        try {
            Args parsed = Args.parse(rest, command.flags(), command.options());
            if (parsed.flag("--help")) {
                io.out().print(help(command));
                return OK;
            }
            return command.run(parsed, io);
        } catch (UsageException e) {
            io.err().println(command.name() + ": " + e.getMessage());
            io.err().println("usage: " + PROGRAM + " " + command.name() + " " + command.arguments());
            io.err().println("(" + command.name() + " --help says more)");
            return USAGE;
        } catch (UncheckedIOException e) {
            return failed(e.getCause(), json, io);
        } catch (IOException e) {
            return failed(e, json, io);
        }
    }

    /** A store error: its message (and a hint for a locked store) on standard error; status 1. */
    private static int failed(IOException e, boolean json, Io io) {
        String message = e instanceof StoreException ? e.getMessage() : "I/O error: " + e;
        io.err().println(message);
        if (e instanceof StoreException s && s.code() == ErrorCode.LOCKED) {
            io.err()
                    .println("the store is open elsewhere (this tool takes the file's lock): close it first;"
                            + " a store that an application server holds open is backed up and verified through the"
                            + " adapter's MBean (docs/RAR.md)");
        }
        if (json) {
            io.out().println(Reports.errorJson(e));
        }
        return PROBLEMS;
    }

    /** The overview: every verb, the exit codes. */
    static String usage() {
        StringBuilder b = new StringBuilder("usage: " + PROGRAM + " <verb> [--json] [--help] <arguments>\n\n");
        for (Command c : COMMANDS) {
            b.append(String.format("  %-8s %s%n", c.name(), c.summary()));
        }
        b.append("\n<store> is a store URL (bobbob:multi:/data/blobs.bob) or the path of a store file.\n")
                .append("exit status: 0 ok, 1 problems found or a store error, 2 bad usage.\n")
                .append("'" + PROGRAM + " <verb> --help' describes a verb.\n");
        return b.toString();
    }

    private static String help(Command c) {
        return "usage: " + PROGRAM + " " + c.name() + " " + c.arguments() + "\n\n" + c.help() + "\n\n"
                + "exit status: 0 ok, 1 problems found or a store error, 2 bad usage.\n";
    }
}
