package org.bobbob.store.spi;

import java.util.Set;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.engine.Engines;
import org.bobbob.store.internal.engine.OpenMode;
import org.bobbob.store.support.Errors;

/** The URL keys of the two file kinds ({@code basic}, {@code multi}) beyond the common ones. */
final class FileStoreKeys {
    /** {@code verifyChecksums}, default true: reads compare an object's bytes with its recorded CRC32C. */
    static final String VERIFY_CHECKSUMS = "verifyChecksums";

    /** {@code lockTimeoutMillis}, default 10 000: how long a transaction waits for an object another holds. */
    static final String LOCK_TIMEOUT_MILLIS = "lockTimeoutMillis";

    static final Set<String> KEYS = Set.of(VERIFY_CHECKSUMS, LOCK_TIMEOUT_MILLIS);

    private FileStoreKeys() {}

    static boolean verifyChecksums(StoreUrl url) throws StoreException {
        return url.flag(VERIFY_CHECKSUMS, true);
    }

    static long lockTimeoutMillis(StoreUrl url) throws StoreException {
        String value = url.option(LOCK_TIMEOUT_MILLIS).orElse(null);
        if (value == null) {
            return Engines.DEFAULT_LOCK_TIMEOUT_MILLIS;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw Errors.badUrl(
                url.url(), LOCK_TIMEOUT_MILLIS + "=" + value + " must be a whole number of milliseconds >= 0");
    }

    /** {@code create} (the default) creates a missing file; {@code create=false} opens only. */
    static OpenMode mode(StoreUrl url) {
        return url.create() ? OpenMode.CREATE_OR_OPEN : OpenMode.OPEN;
    }
}
