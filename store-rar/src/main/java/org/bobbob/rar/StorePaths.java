package org.bobbob.rar;

import jakarta.resource.spi.InvalidPropertyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns the {@code path} config property, or the location of a {@code url} of a file kind
 * ({@code basic}, {@code multi}), into the canonical path of a store file.
 *
 * <ol>
 *   <li>A relative path is resolved against the base directory: the
 *       {@value #BASE_DIR_PROPERTY} system property inside WildFly, else the working directory.
 *       After normalising, it must stay inside the base directory (no {@code ..} escapes); an
 *       absolute path may point anywhere.
 *   <li>The path must not name a directory. With {@code create=false} the file must exist;
 *       with {@code create=true} missing parent directories are created.
 *   <li>The canonical form is {@link Path#toRealPath()} of the file, or of its directory plus
 *       the file name when the file does not exist yet. Symbolic links and {@code a/../a}
 *       spellings of one file so give one key, so they share one store.
 * </ol>
 * Every failure is an {@link InvalidPropertyException} naming the property ({@code path} or
 * {@code url}). Stateless.
 */
final class StorePaths {
    /** The system property WildFly sets to {@code standalone/data}. */
    static final String BASE_DIR_PROPERTY = "jboss.server.data.dir";

    private StorePaths() {}

    /** The base directory for relative paths: {@value #BASE_DIR_PROPERTY} if set, else the working directory. */
    static Path baseDirectory() {
        String dir = System.getProperty(BASE_DIR_PROPERTY);
        return Path.of(dir == null || dir.isBlank() ? "" : dir).toAbsolutePath().normalize();
    }

    /**
     * Resolves and checks {@code configured} (see the class comment).
     *
     * @param base   directory for a relative path
     * @param create whether a missing file (and its directories) may be created
     */
    static Path canonical(String configured, Path base, boolean create) throws InvalidPropertyException {
        return canonical("path", configured, base, create);
    }

    /**
     * Resolves and checks {@code configured}, the value (or the URL's location) of config
     * property {@code property}.
     */
    static Path canonical(String property, String configured, Path base, boolean create)
            throws InvalidPropertyException {
        if (configured == null || configured.isBlank()) {
            throw RarErrors.pathMissing();
        }
        Path given;
        try {
            given = Path.of(configured.trim());
        } catch (InvalidPathException e) {
            throw RarErrors.pathInvalid(property, configured, e.getMessage());
        }
        Path resolved;
        if (given.isAbsolute()) {
            resolved = given.normalize();
        } else {
            resolved = base.resolve(given).normalize();
            if (!resolved.startsWith(base)) {
                throw RarErrors.pathEscapes(property, configured, base);
            }
        }
        if (Files.isDirectory(resolved)) {
            throw RarErrors.pathIsDirectory(property, configured, resolved);
        }
        if (!create && !Files.exists(resolved)) {
            throw RarErrors.pathDoesNotExist(property, configured, resolved);
        }
        Path dir = resolved.getParent();
        try {
            if (Files.exists(resolved)) {
                return resolved.toRealPath();
            }
            Files.createDirectories(dir);
            return dir.toRealPath().resolve(resolved.getFileName());
        } catch (IOException e) {
            throw RarErrors.cannotCreateDirectory(property, configured, dir, e);
        }
    }
}
