package org.bobbob.store.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bobbob.store.Backup;
import org.bobbob.store.BackupReport;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.Storer;

/**
 * {@code backup <store> <target-file>}: opens the store and copies it through its {@link Backup}
 * capability. For a store an application server holds open, the adapter's MBean runs the same
 * backup on the open store (docs/RAR.md).
 */
final class BackupCommand implements Command {

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public String arguments() {
        return "[--json] <store> <target-file>";
    }

    @Override
    public String summary() {
        return "copy a store that is not open to a new file that opens as a store";
    }

    @Override
    public String help() {
        return """
                  <store>         a store URL or the path of a store file
                  <target-file>   the copy: a new file (an existing one is refused, %2$s)
                  --json          one JSON object on standard output

                Opens the store (one open elsewhere is refused: %1$s) and copies it at a sync point
                with store.unwrap(Backup.class).backupTo(target): the copy opens as a valid store with
                the same objects and ids. A store that a running application holds open is backed up
                while it runs through the API (Backup) or the adapter's MBean operation backup
                (docs/RAR.md); its copy is checked with verify."""
                .formatted(ErrorCode.LOCKED.id(), ErrorCode.FILE_EXISTS.id());
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        List<String> p = args.positional(2, "<store> <target-file>");
        Path target = Stores.newFile(p.get(1));
        BackupReport r;
        try (Storer store = Stores.openExisting(p.get(0))) {
            Path file = Stores.file(p.get(0));
            try (Progress bar = Progress.bytes(io, "backup", file == null ? 0 : Files.size(file))) {
                r = store.unwrap(Backup.class).backupTo(target, bar);
            }
        }
        if (args.flag("--json")) {
            Map<String, Object> json = Json.object();
            json.put("store", p.get(0));
            json.put("target", r.target().toString());
            json.put("bytes", r.bytes());
            json.put("objects", r.objects());
            json.put("longestWriterPauseNanos", r.longestWriterPause().toNanos());
            json.put("durationNanos", r.duration().toNanos());
            json.put("ok", true);
            io.out().println(Json.write(json));
        } else {
            io.out()
                    .printf(
                            "%s -> %s: %d objects, %s in %s (%s); writers paused at most %s%n",
                            p.get(0),
                            r.target(),
                            r.objects(),
                            Sizes.human(r.bytes()),
                            Sizes.duration(r.duration()),
                            Sizes.rate(r.bytes(), r.duration().toNanos()),
                            Sizes.duration(r.longestWriterPause()));
        }
        return 0;
    }
}
