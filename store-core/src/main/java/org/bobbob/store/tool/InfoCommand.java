package org.bobbob.store.tool;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreStats;
import org.bobbob.store.Storer;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.FileReport;

/**
 * {@code info <store>}: a store's figures, its free space by hole size and by slot size, and its
 * transactions in doubt. A store file is checked read-only ({@link Engines#check}: its metadata,
 * not its objects' bytes), without opening it; a store of another kind is opened and asked for
 * its statistics.
 */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String arguments() {
        return "[--json] <store>";
    }

    @Override
    public String summary() {
        return "figures, fragmentation and in-doubt transactions of a store (read-only)";
    }

    @Override
    public String help() {
        return """
                  <store>   a store URL (bobbob:multi:/data/blobs.bob) or the path of a store file
                  --json    one JSON object on standard output

                Prints the store's objects and live bytes, the file's length, its free space (holes
                between objects, by size; for a multi store, free slots of blocks, by slot size), the
                space of its metadata, and the transactions the file records in doubt or under way.
                A store file is read, never written, under a shared lock: a store open elsewhere is
                refused (%1$s). The file's metadata is checked as opening checks it; a problem
                found is printed on standard error (status 1): run verify for the whole check."""
                .formatted(ErrorCode.LOCKED.id());
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        String store = args.positional(1, "<store>").get(0);
        boolean json = args.flag("--json");
        Path file = Stores.file(store);
        if (file == null) {
            return otherKind(store, json, io.out());
        }
        FileReport r = Engines.check(file, false, done -> {});
        if (json) {
            io.out().println(Json.write(json(file, r)));
        } else {
            print(io.out(), file, r);
        }
        if (!r.verify().ok()) {
            if (!json) {
                Reports.printProblems(io.err(), r.verify());
            }
            return 1;
        }
        return 0;
    }

    private static Map<String, Object> json(Path file, FileReport r) {
        Map<String, Object> o = Json.object();
        o.put("store", file.toString());
        o.put("kind", r.kind());
        o.put("version", r.version());
        o.put("sequence", r.sequence());
        o.put("fileBytes", r.fileBytes());
        o.put("end", r.end());
        o.put("objects", r.objects());
        o.put("liveBytes", r.liveBytes());
        o.put("freeBytes", r.freeBytes());
        o.put("freeTailBytes", r.freeTailBytes());
        o.put("slotBytes", r.slotBytes());
        o.put("recordBytes", r.recordBytes());
        o.put("journalBytes", r.journalBytes());
        o.put("holes", classes(r.holes()));
        o.put("freeSlots", classes(r.freeSlots()));
        o.put("inDoubt", new ArrayList<Object>(r.inDoubt()));
        o.put("active", r.active());
        o.put("ok", r.verify().ok());
        o.put("problems", Reports.problems(r.verify()));
        o.put("notes", new ArrayList<Object>(r.verify().notes()));
        return o;
    }

    private static List<Object> classes(List<FileReport.SizeClassFigures> figures) {
        List<Object> list = new ArrayList<>();
        for (FileReport.SizeClassFigures f : figures) {
            Map<String, Object> o = Json.object();
            o.put("from", f.from());
            o.put("to", f.to());
            o.put("count", f.count());
            o.put("bytes", f.bytes());
            list.add(o);
        }
        return list;
    }

    private static void print(PrintStream out, Path file, FileReport r) {
        if (r.kind() == null) {
            out.printf("store        %s: no valid header slot%n", file);
            return;
        }
        out.printf("store        %s (%s, format %d, commit %d)%n", file, r.kind(), r.version(), r.sequence());
        out.printf("objects      %d, %s live%n", r.objects(), Sizes.humanExact(r.liveBytes()));
        out.printf("file         %s, allocator end at %s%n", Sizes.humanExact(r.fileBytes()), Sizes.human(r.end()));
        long holes =
                r.holes().stream().mapToLong(FileReport.SizeClassFigures::count).sum();
        long slots = r.freeSlots().stream()
                .mapToLong(FileReport.SizeClassFigures::count)
                .sum();
        out.printf("free         %s in holes between objects (%d)", Sizes.human(r.freeBytes()), holes);
        if (r.kind().equals("multi")) {
            out.printf(", %s in free slots of blocks (%d)", Sizes.human(r.slotBytes()), slots);
        }
        if (r.freeTailBytes() > 0) {
            out.printf(", %s at the end (the next close or compact gives it back)", Sizes.human(r.freeTailBytes()));
        }
        out.println();
        out.printf("metadata     record %s, journal %s%n", Sizes.human(r.recordBytes()), Sizes.human(r.journalBytes()));
        table(out, "holes", "size (from .. below)", r.holes(), true);
        table(out, "free slots", "slot size", r.freeSlots(), false);
        if (!r.inDoubt().isEmpty()) {
            out.printf(
                    "in doubt     %d prepared XA branches, until a transaction manager decides them:%n",
                    r.inDoubt().size());
            for (String xid : r.inDoubt()) {
                out.println("             " + xid);
            }
        }
        if (r.active() > 0) {
            out.printf("under way    %d transactions (opening the store rolls them back)%n", r.active());
        }
    }

    /** A size histogram: one line per size class. */
    private static void table(
            PrintStream out, String title, String sizeHeader, List<FileReport.SizeClassFigures> rows, boolean ranges) {
        if (rows.isEmpty()) {
            return;
        }
        out.printf("%-12s %-21s %10s %12s%n", title, sizeHeader, "count", "bytes");
        for (FileReport.SizeClassFigures f : rows) {
            String size = ranges ? Sizes.human(f.from()) + " .. " + Sizes.human(f.to()) : Sizes.human(f.from());
            out.printf("%-12s %-21s %10d %12s%n", "", size, f.count(), Sizes.human(f.bytes()));
        }
    }

    /** A store that is not a file of this build's kinds: opened, and asked for its statistics. */
    private static int otherKind(String store, boolean json, PrintStream out) throws IOException {
        try (Storer s = Stores.openExisting(store)) {
            StoreStats stats;
            try {
                stats = s.unwrap(StatisticsProvider.class).stats();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (json) {
                Map<String, Object> o = Json.object();
                o.put("store", store);
                o.put("objects", stats.objects());
                o.put("liveBytes", stats.liveBytes());
                o.put("fileBytes", stats.fileBytes());
                o.put("freeBytes", stats.freeBytes());
                o.put("ok", true);
                out.println(Json.write(o));
            } else {
                out.printf("store        %s%n", store);
                out.printf("objects      %d, %s live%n", stats.objects(), Sizes.humanExact(stats.liveBytes()));
            }
            return 0;
        }
    }
}
