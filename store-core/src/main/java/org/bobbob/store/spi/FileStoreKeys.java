package org.bobbob.store.spi;

import java.util.Set;
import org.bobbob.store.StoreException;
import org.bobbob.store.internal.engine.OpenMode;

/** The URL keys of the two file kinds ({@code basic}, {@code multi}) beyond the common ones. */
final class FileStoreKeys {
    /** {@code verifyChecksums}, default true: reads compare an object's bytes with its recorded CRC32C. */
    static final String VERIFY_CHECKSUMS = "verifyChecksums";

    static final Set<String> KEYS = Set.of(VERIFY_CHECKSUMS);

    private FileStoreKeys() {}

    static boolean verifyChecksums(StoreUrl url) throws StoreException {
        return url.flag(VERIFY_CHECKSUMS, true);
    }

    /** {@code create} (the default) creates a missing file; {@code create=false} opens only. */
    static OpenMode mode(StoreUrl url) {
        return url.create() ? OpenMode.CREATE_OR_OPEN : OpenMode.OPEN;
    }
}
