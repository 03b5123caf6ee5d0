package org.bobbob.store.tool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.engine.CompactReport;
import org.bobbob.store.internal.engine.Engines;

/**
 * {@code compact <store>}: gives back the space of a store file that it can without changing an
 * object's id ({@link Engines#compact}), offline, and says what it could not give back and why.
 */
final class CompactCommand implements Command {
    /** Why holes stay: said after every compaction that leaves some. */
    static final String WHY =
            "objects never move: an object's id holds its place in the file, so a hole between live objects"
                    + " stays until the objects around it are deleted (new objects fill it first)";

    @Override
    public String name() {
        return "compact";
    }

    @Override
    public String arguments() {
        return "[--json] <store>";
    }

    @Override
    public String summary() {
        return "give back free space of a store file that is not open (ids stay valid)";
    }

    @Override
    public String help() {
        return """
                  <store>   a store URL (basic or multi) or the path of a store file
                  --json    one JSON object on standard output

                Opens the store exclusively (one open elsewhere is refused: %1$s), settles a crash as
                every open does, writes one whole metadata record with no journal, and cuts the free
                space at the end of the file. Prints the file's length before and after, and the free
                space left inside it: objects never move, because an object's id holds its place in
                the file, so holes between live objects (and free slots of blocks that hold live
                objects) stay until the objects around them are deleted; new objects fill them first.
                To pack a store completely, export it and import it into a new store (ids change)."""
                .formatted(ErrorCode.LOCKED.id());
    }

    @Override
    public int run(Args args, Io io) throws UsageException, IOException {
        String store = args.positional(1, "<store>").get(0);
        Path file = Stores.file(store);
        if (file == null) {
            throw new StoreException(
                    ErrorCode.UNSUPPORTED_CAPABILITY,
                    "compact works on basic and multi store files; " + store + " is not one");
        }
        CompactReport r = Engines.compact(file);
        long freed = r.bytesBefore() - r.bytesAfter();
        if (args.flag("--json")) {
            Map<String, Object> json = Json.object();
            json.put("store", file.toString());
            json.put("bytesBefore", r.bytesBefore());
            json.put("bytesAfter", r.bytesAfter());
            json.put("bytesFreed", freed);
            json.put("freeBytesLeft", r.freeBytesLeft());
            json.put("holesLeft", r.holesLeft());
            json.put("objects", r.objects());
            json.put("ok", true);
            io.out().println(Json.write(json));
            return 0;
        }
        io.out()
                .printf(
                        "%s: %s -> %s (%s given back), %d objects, ids unchanged%n",
                        file,
                        Sizes.human(r.bytesBefore()),
                        Sizes.human(r.bytesAfter()),
                        Sizes.human(freed),
                        r.objects());
        if (r.freeBytesLeft() > 0) {
            io.out()
                    .printf(
                            "left: %s free inside the file (%d holes between objects, and free slots of blocks): %s%n",
                            Sizes.human(r.freeBytesLeft()), r.holesLeft(), WHY);
        }
        return 0;
    }
}
