package org.bobbob.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A request body of unknown length (chunked), copied to a temporary file so that its size is
 * known before the object is allocated, without holding it in memory. Deleted on close.
 */
final class Spool implements AutoCloseable {
    private final Path file;
    private final long size;

    private Spool(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    static Spool of(InputStream body) throws IOException {
        Path file = Files.createTempFile("bobbob-upload-", ".tmp");
        try {
            long size = Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            return new Spool(file, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    long size() {
        return size;
    }

    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
