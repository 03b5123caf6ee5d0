package org.bobbob.store.tool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectLister;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.Storer;

/**
 * {@code export <store> <file|->}: every live object of a store, with its id, into an export stream
 * ({@link ExportWriter}), through the public API only ({@link ObjectLister}, streaming reads), so
 * that {@code import} can load it into a store of any kind.
 */
final class ExportCommand implements Command {

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String arguments() {
        return "[--json] <store> <file | ->";
    }

    @Override
    public String summary() {
        return "write every object of a store, with its id, to a portable export stream";
    }

    @Override
    public String help() {
        return """
                  <store>   a store URL or the path of a store file; it must offer ObjectLister (basic,
                            multi and s3 do)
                  <file>    a new file for the stream; - writes it to standard output (the report then
                            goes to standard error)
                  --json    the report as one JSON object

                Opens the store (one open elsewhere is refused: %1$s) and writes each live object, in
                ascending id order, as its id, size and bytes (streamed: objects of any size), the prime
                object flagged as such, then an end record and a CRC32C (docs/FORMAT.md, "Export
                stream"). import reads it into a store of any kind. On failure the partial file is
                deleted."""
                .formatted(ErrorCode.LOCKED.id());
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        List<String> p = args.positional(2, "<store> <file | ->");
        boolean toStdout = p.get(1).equals("-");
        Path file = toStdout ? null : Stores.newFile(p.get(1));
        long started = System.nanoTime();
        ExportWriter writer;
        long prime;
        try (Storer store = Stores.openExisting(p.get(0))) {
            long[] ids = store.unwrap(ObjectLister.class).objectIds();
            prime = primeOf(store, ids);
            OutputStream out = toStdout ? io.out() : Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
            try (Progress bar = Progress.objects(io, "export", ids.length)) {
                writer = new ExportWriter(out);
                for (long id : ids) {
                    try (ObjectReader reader = store.lateReadObj(id)) {
                        writer.object(reader, id == prime);
                    } catch (ObjectNotFoundException deletedSinceListed) {
                        continue; // the lister's snapshot is of one moment; another user of the store deleted it
                    }
                    bar.accept(writer.objects());
                }
                writer.finish();
            } catch (IOException | RuntimeException e) {
                if (!toStdout) {
                    out.close();
                    Files.deleteIfExists(file);
                }
                throw e;
            }
            if (!toStdout) {
                out.close();
            }
        }
        long nanos = System.nanoTime() - started;
        var report = toStdout ? io.err() : io.out();
        String target = toStdout ? "-" : file.toString();
        if (args.flag("--json")) {
            Map<String, Object> json = Json.object();
            json.put("store", p.get(0));
            json.put("target", target);
            json.put("objects", writer.objects());
            json.put("bytes", writer.bytes());
            json.put("prime", prime);
            json.put("durationNanos", nanos);
            json.put("ok", true);
            report.println(Json.write(json));
        } else {
            report.printf(
                    "%s -> %s: %d objects, %s in %.2f s (%s)%s%n",
                    p.get(0),
                    target,
                    writer.objects(),
                    Sizes.human(writer.bytes()),
                    nanos / 1e9,
                    Sizes.rate(writer.bytes(), nanos),
                    prime != 0 ? ", prime object " + prime : "");
        }
        return 0;
    }

    /**
     * The store's prime object, or 0 if it has none or {@code ids} (listed just before) does not
     * hold it. Asks {@link ObjectLister#primeObjectId}, which never creates one: export does not
     * write to the store it reads.
     */
    static long primeOf(Storer store, long[] ids) throws IOException {
        long prime = store.unwrap(ObjectLister.class).primeObjectId();
        return prime != 0 && Arrays.binarySearch(ids, prime) >= 0 ? prime : 0;
    }
}
