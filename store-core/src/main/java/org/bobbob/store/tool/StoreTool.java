package org.bobbob.store.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.StoreStats;
import org.bobbob.store.Storer;

/**
 * A command-line tool: {@code java -jar store-core.jar <command>}.
 * <ul>
 *   <li>{@code info <url>}: open a store read-write and print its usage figures; this builds
 *       its allocator state, so every object and index entry of its record is checked;
 *   <li>{@code demo <file>}: write, read, overwrite, delete and reopen a few objects in a multi
 *       store at {@code file}, printing what happens.
 * </ul>
 * Exit status 0 on success, 1 on a store error, 2 on bad usage.
 */
public final class StoreTool {
    private StoreTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !(args[0].equals("info") || args[0].equals("demo"))) {
            err.println("usage: StoreTool info <store-url> | demo <file>");
            return 2;
        }
        try {
            if (args[0].equals("info")) {
                try (Storer store = StoreManager.open(args[1] + (args[1].contains("?") ? "&" : "?") + "create=false")) {
                    print(out, store);
                }
            } else {
                demo(Path.of(args[1]), out);
            }
            return 0;
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("I/O error: " + e);
            return 1;
        }
    }

    private static void print(PrintStream out, Storer store) throws IOException {
        StoreStats s;
        try {
            s = store.unwrap(StatisticsProvider.class).stats(); // builds the allocator state: checks the whole record
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        out.printf("objects %d, live bytes %d, file bytes %d, free %d, bookkeeping %d bytes%n",
                s.objects(), s.liveBytes(), s.fileBytes(), s.freeBytes(), s.bookkeepingBytes());
    }

    private static void demo(Path file, PrintStream out) throws IOException {
        Files.deleteIfExists(file);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String url = "bobbob:multi:" + file.toAbsolutePath() + "?diskTokens=4";
        long hello;
        long root;
        try (Storer store = StoreManager.open(url)) {
            out.println("opened " + url);
            hello = store.writeNewObjFromBytes("hello, blobs".getBytes(StandardCharsets.UTF_8));
            long big = store.writeNewObjFromBytes(new byte[1 << 20]);
            root = store.primeObject(16);
            store.writeBytesToObj(root, java.nio.ByteBuffer.allocate(16).putLong(hello).putLong(big).array());
            out.println("wrote object " + hello + " (12 bytes) and " + big + " (1 MiB); prime object " + root);
            store.deleteObj(big);
            out.println("deleted " + big);
            print(out, store);
        }
        try (Storer store = StoreManager.open(url + "&create=false")) {
            long again = store.primeObject(16);
            long first = java.nio.ByteBuffer.wrap(store.readBytesFromObj(again)).getLong();
            out.println("reopened: prime object " + again + " points at " + first + ": \""
                    + new String(store.readBytesFromObj(first), StandardCharsets.UTF_8) + "\"");
            print(out, store);
        }
    }
}
