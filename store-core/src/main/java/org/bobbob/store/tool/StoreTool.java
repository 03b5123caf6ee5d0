package org.bobbob.store.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.StoreStats;
import org.bobbob.store.Storer;

/**
 * A command-line tool: {@code java -jar store-core.jar <command>}.
 * <ul>
 *   <li>{@code info <store>}: open an existing store and print its usage figures; this builds
 *       its allocator state, so every object and index entry of its record is checked. The
 *       store is a URL ({@code bobbob:multi:/path?...}) or a bare file path, whose kind is read
 *       from the file's header.
 * </ul>
 * No command creates, deletes or truncates a file: the tool never opens a store that does not
 * exist. Exit status 0 on success, 1 on a store error, 2 on bad usage.
 */
public final class StoreTool {
    static final String USAGE = "usage: java -jar store-core.jar info <store-url | store-file>";

    private StoreTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("info")) {
            err.println(USAGE);
            return 2;
        }
        try (Storer store = openExisting(args[1])) {
            print(out, store);
            return 0;
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("I/O error: " + e);
            return 1;
        }
    }

    /**
     * Opens the store {@code arg} names, refusing to create it. {@code create=false} travels in
     * the properties, not the URL, so an error quotes only what the user typed.
     */
    static Storer openExisting(String arg) throws IOException {
        String url = arg.startsWith(StoreManager.SCHEME)
                ? arg
                : StoreManager.SCHEME + StoreManager.kindOf(Path.of(arg)) + ":" + arg;
        Properties options = new Properties();
        options.setProperty("create", "false");
        return StoreManager.open(url, options);
    }

    private static void print(PrintStream out, Storer store) throws IOException {
        StoreStats s;
        try {
            s = store.unwrap(StatisticsProvider.class).stats(); // builds the allocator state: checks the whole record
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.printf(
                "objects %d, live bytes %d, file bytes %d, free %d, bookkeeping %d bytes%n",
                s.objects(), s.liveBytes(), s.fileBytes(), s.freeBytes(), s.bookkeepingBytes());
    }
}
