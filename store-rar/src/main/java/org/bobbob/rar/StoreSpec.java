package org.bobbob.rar;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A validated connection-definition configuration: which store to open and how.
 *
 * @param path       canonical store file path ({@link Path#toRealPath} of the file, or of its
 *                   directory when the file does not exist yet): the registry's key
 * @param kind       the engine
 * @param diskTokens most Late handles doing I/O at once on this store; 0 = unlimited
 * @param create     create the store if the file is missing or empty
 */
record StoreSpec(Path path, StoreKind kind, int diskTokens, boolean create) {

    StoreSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        assert path.isAbsolute() : "not canonical: " + path;
        assert diskTokens >= 0 : diskTokens;
    }

    /** Whether connections for {@code other} can use a connection for this spec: same file and kind. */
    boolean sameStore(StoreSpec other) {
        return path.equals(other.path) && kind == other.kind;
    }
}
