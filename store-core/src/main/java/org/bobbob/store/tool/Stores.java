package org.bobbob.store.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.spi.StoreUrl;

/**
 * How the verbs name stores: a store URL ({@code bobbob:multi:/path?...}) or the bare path of a
 * store file, whose kind is read from its header. Only {@code import} may create a store, and only
 * from a URL (a bare path does not say which kind to make).
 */
final class Stores {
    /** The kinds whose location is one store file. */
    private static final java.util.Set<String> FILE_KINDS = java.util.Set.of("basic", "multi");

    private Stores() {}

    /**
     * The store file {@code arg} names: the bare path, or the location of a {@code basic} or
     * {@code multi} URL; null for a URL of another kind. Nothing is opened or read.
     *
     * @throws StoreException BOB-501 for a bad URL
     */
    static Path file(String arg) throws StoreException {
        if (!arg.startsWith(StoreManager.SCHEME)) {
            return Path.of(arg);
        }
        StoreUrl url = StoreManager.parse(arg, mustExist());
        return FILE_KINDS.contains(url.kind()) ? url.path() : null;
    }

    /** Opens the existing store {@code arg} names, refusing to create one. */
    static Storer openExisting(String arg) throws IOException {
        return StoreManager.open(urlOf(arg), mustExist());
    }

    /**
     * Opens the store {@code arg} names, creating it when it is a URL (unless it says
     * {@code create=false}); a bare path must name an existing store file.
     */
    static Storer openOrCreate(String arg) throws IOException {
        return arg.startsWith(StoreManager.SCHEME) ? StoreManager.open(arg) : openExisting(arg);
    }

    /**
     * The URL of {@code arg}: itself, or, for a bare path, {@code bobbob:<kind>:<path>} with the kind
     * read from the file's header.
     */
    static String urlOf(String arg) throws IOException {
        return arg.startsWith(StoreManager.SCHEME)
                ? arg
                : StoreManager.SCHEME + StoreManager.kindOf(Path.of(arg)) + ":" + arg;
    }

    /**
     * {@code create=false}: travels in the properties, not the URL, so an error quotes only what the
     * user typed.
     */
    private static Properties mustExist() {
        Properties options = new Properties();
        options.setProperty("create", "false");
        return options;
    }

    /**
     * A file that a verb writes and must not replace.
     *
     * @throws StoreException BOB-204 if it exists
     */
    static Path newFile(String arg) throws StoreException {
        Path path = Path.of(arg);
        if (Files.exists(path)) {
            throw new StoreException(
                    org.bobbob.store.ErrorCode.FILE_EXISTS,
                    path + " exists; the tool never replaces a file: give a new name");
        }
        return path;
    }
}
