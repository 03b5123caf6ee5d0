package org.bobbob.store.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.VerifyReport;
import org.bobbob.store.internal.engine.Engines;

/**
 * {@code verify [--read-all] <store>}: every check a store file's metadata passes when it opens,
 * and with {@code --read-all} every object's bytes against its checksum; each problem with its
 * error code, status 1 on any. A store file is read, never written ({@link Engines#check}); a store
 * of another kind is opened and checked through its {@link StoreVerifier}.
 */
final class VerifyCommand implements Command {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String arguments() {
        return "[--read-all] [--json] <store>";
    }

    @Override
    public String summary() {
        return "check a store read-only; each problem with its error code, status 1 on any";
    }

    @Override
    public String help() {
        return """
                  <store>     a store URL or the path of a store file (a copy of a live store's file too)
                  --read-all  also read every object and compare its bytes with its checksum (%2$s)
                  --json      one JSON object on standard output

                Checks both header slots, the metadata record and journal the newest one names, and the
                allocator state built from them (every object inside the file and apart from every
                other), as opening does. Prints each problem with its error code (docs/ERRORS.md says
                what to do) and notes that are harmless (a torn older header slot, branches in doubt).
                Never writes the file; takes a shared lock, so a store open elsewhere is refused
                (%1$s): verify a copy, or call the adapter MBean's verify for a store a server holds.
                Status 0: no problem; 1: problems found, or the store could not be checked."""
                .formatted(ErrorCode.LOCKED.id(), ErrorCode.CHECKSUM_MISMATCH.id());
    }

    @Override
    public Set<String> flags() {
        return Set.of("--read-all");
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        String store = args.positional(1, "<store>").get(0);
        boolean readAll = args.flag("--read-all");
        Path file = Stores.file(store);
        VerifyReport report;
        if (file != null) {
            // the bar needs the total: a first, metadata-only pass gives it, and only a watcher waits for it
            long total = readAll && io.console()
                    ? Engines.check(file, false, done -> {}).liveBytes()
                    : 0;
            try (Progress bar = Progress.bytes(io, "verify", total)) {
                report = Engines.check(file, readAll, bar).verify();
            }
        } else {
            try (Storer s = Stores.openExisting(store)) {
                report = s.unwrap(StoreVerifier.class).verify(readAll);
            }
        }
        String name = file != null ? file.toString() : store;
        if (args.flag("--json")) {
            Map<String, Object> json = Json.object();
            json.put("store", name);
            Reports.putVerify(json, report);
            io.out().println(Json.write(json));
        } else {
            Reports.printProblems(io.out(), report);
            String read =
                    readAll ? "; read " + report.objectsRead() + " objects, " + Sizes.human(report.bytesRead()) : "";
            io.out()
                    .println(name + ": "
                            + (report.ok() ? "ok" : report.problems().size() + " problems") + ", " + report.objects()
                            + " objects" + read);
        }
        return report.ok() ? 0 : 1;
    }
}
