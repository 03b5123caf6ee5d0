package org.bobbob.store.tool;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;

/**
 * {@code import <file|-> <store> [--mapping <file>]}: loads an export stream ({@link ExportReader})
 * into a store of any kind, through the public API only (streaming writes), and writes which new id
 * each exported id got. All or nothing: if the stream turns out cut short or damaged, or a write
 * fails, the objects already written are deleted again and no mapping is written.
 */
final class ImportCommand implements Command {

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String arguments() {
        return "[--mapping <file>] [--json] <file | -> <store>";
    }

    @Override
    public String summary() {
        return "load an export stream into a store of any kind; old and new ids to a mapping file";
    }

    @Override
    public String help() {
        return """
                  <file>            an export stream; - reads it from standard input
                  <store>           a store URL (a store that does not exist yet is created, unless the
                                    URL says create=false) or the path of an existing store file
                  --mapping <file>  a new file for the ids, one line "old new" per object; default
                                    <store file>.idmap for a basic or multi store, required for other kinds
                  --json            one JSON object on standard output

                Writes each object of the stream as a new object of the store and syncs. The store
                chooses the ids: a basic or multi store's id holds its object's place in the file, so
                an object's new id differs from its old one; the mapping file says which is which. The
                stream's prime object becomes the store's prime object (primeObject) when the store has
                none yet; into a store that has one it is imported as an ordinary object (a warning
                says so), where the store lists its objects (basic, multi): import into a new store. The stream's end record and CRC32C are checked: if it is cut short or
                damaged, or a write fails, the objects written so far are deleted and no mapping is
                written (status 1).""";
    }

    @Override
    public Set<String> options() {
        return Set.of("--mapping");
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        List<String> p = args.positional(2, "<file | -> <store>");
        boolean fromStdin = p.get(0).equals("-");
        String storeArg = p.get(1);
        Path mapping = mappingFile(args.option("--mapping"), storeArg);
        Path source = fromStdin ? null : Path.of(p.get(0));
        long total = fromStdin ? 0 : Files.size(source);
        long started = System.nanoTime();
        Imported imported;
        try (InputStream in = fromStdin ? io.in() : Files.newInputStream(source);
                Storer store = Stores.openOrCreate(storeArg);
                Progress bar = Progress.bytes(io, "import", total)) {
            ExportReader reader = new ExportReader(in, fromStdin ? "standard input" : source.toString());
            imported = new Imported(store);
            try {
                imported.readAll(reader, bar, io.err());
                store.sync();
                imported.writeMapping(mapping);
            } catch (IOException | RuntimeException e) {
                imported.undo(e);
                throw e;
            }
        }
        long nanos = System.nanoTime() - started;
        if (args.flag("--json")) {
            Map<String, Object> json = Json.object();
            json.put("source", p.get(0));
            json.put("store", storeArg);
            json.put("objects", imported.count);
            json.put("bytes", imported.bytes);
            json.put("idsKept", imported.kept);
            json.put("prime", imported.prime);
            json.put("mapping", mapping.toString());
            json.put("durationNanos", nanos);
            json.put("ok", true);
            io.out().println(Json.write(json));
        } else {
            io.out()
                    .printf(
                            "%s -> %s: %d objects, %s in %.2f s (%s)%s%n",
                            p.get(0),
                            storeArg,
                            imported.count,
                            Sizes.human(imported.bytes),
                            nanos / 1e9,
                            Sizes.rate(imported.bytes, nanos),
                            imported.prime != 0 ? ", prime object " + imported.prime : "");
            io.out()
                    .printf(
                            "ids: %d of %d kept; the store chooses ids (a basic or multi store's id holds its object's"
                                    + " place in the file): old and new ids in %s%n",
                            imported.kept, imported.count, mapping);
        }
        return 0;
    }

    /**
     * The mapping file: {@code --mapping}, else {@code <store file>.idmap}; it must not exist yet.
     * Checked before anything is opened.
     */
    private static Path mappingFile(String option, String storeArg) throws UsageException, StoreException {
        if (option != null) {
            return Stores.newFile(option);
        }
        Path store = Stores.file(storeArg);
        if (store == null) {
            throw new UsageException("--mapping <file> is required for a store that is not a basic or multi file");
        }
        return Stores.newFile(store + ".idmap");
    }

    /** What one import wrote: the ids, old and new, in stream order. */
    private static final class Imported {
        private final Storer store;
        /** The store's ids before the import, sorted, when it can list them; else null. */
        private final long[] before;

        private long[] oldIds = new long[1024];
        private long[] newIds = new long[1024];
        int count;
        long bytes;
        long kept;
        long prime;
        /** Objects this import created that an undo deletes: new ids [0, created) plus the prime object. */
        private int created;

        private long createdPrime;

        Imported(Storer store) throws IOException {
            this.store = store;
            this.before = store.isWrapperFor(ObjectLister.class)
                    ? store.unwrap(ObjectLister.class).objectIds()
                    : null;
        }

        void readAll(ExportReader reader, Progress bar, PrintStream warnings) throws IOException {
            for (ExportReader.Entry e = reader.next(); e != null; e = reader.next()) {
                long id = e.prime() ? intoPrime(e, reader, warnings) : 0;
                if (id == 0) {
                    try (ObjectWriter w = store.lateWriteNewObj(e.size())) {
                        add(e.id(), w.id());
                        created = count;
                        reader.copyTo(w);
                    }
                } else {
                    add(e.id(), id);
                }
                bytes += e.size();
                bar.accept(reader.position());
            }
        }

        /**
         * Writes the stream's prime object {@code e} as the store's prime object and returns its id,
         * or returns 0 if the store has a prime object of its own (the caller imports it as an
         * ordinary object).
         */
        private long intoPrime(ExportReader.Entry e, ExportReader reader, PrintStream warnings) throws IOException {
            long id;
            try {
                id = store.primeObject(e.size());
            } catch (StoreException tooSmall) {
                if (tooSmall.code() != ErrorCode.PRIME_TOO_SMALL) {
                    throw tooSmall;
                }
                id = -1;
            }
            if (id < 0 || (before != null && Arrays.binarySearch(before, id) >= 0)) {
                warnings.println("warning: the store has a prime object of its own; the stream's prime object " + e.id()
                        + " is imported as an ordinary object");
                return 0;
            }
            createdPrime = id;
            try (ObjectWriter w = store.writeToObj(id)) {
                reader.copyTo(w);
            }
            prime = id;
            return id;
        }

        private void add(long oldId, long newId) {
            if (count == oldIds.length) {
                oldIds = Arrays.copyOf(oldIds, count * 2);
                newIds = Arrays.copyOf(newIds, count * 2);
            }
            oldIds[count] = oldId;
            newIds[count++] = newId;
            if (oldId == newId) {
                kept++;
            }
        }

        void writeMapping(Path mapping) throws IOException {
            try (BufferedWriter w =
                    Files.newBufferedWriter(mapping, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW)) {
                for (int i = 0; i < count; i++) {
                    w.write(oldIds[i] + " " + newIds[i] + "\n");
                }
            }
        }

        /** Deletes what this import created; failures are added to {@code cause}. */
        void undo(Exception cause) {
            for (int i = 0; i < created; i++) {
                if (newIds[i] != createdPrime) {
                    delete(newIds[i], cause);
                }
            }
            if (createdPrime != 0) {
                delete(createdPrime, cause);
            }
            try {
                store.sync();
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }

        private void delete(long id, Exception cause) {
            try {
                store.deleteObj(id);
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
