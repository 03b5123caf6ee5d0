package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.bobbob.store.ErrorCode;
import org.junit.jupiter.api.Test;

/** Every adapter error carries its {@link ErrorCode}: at the start of the message and as the error code. */
class RarErrorsTest {
    private static final Path PATH = Path.of("/data/x.bob").toAbsolutePath();
    private static final StoreSpec SPEC = new StoreSpec(PATH, StoreKind.MULTI, 0, true);

    @Test
    void everyResourceExceptionCarriesItsCodeAsTheErrorCode() {
        IOException io = new IOException("disk on fire");
        List<ResourceException> made = List.of(
                RarErrors.pathMissing(), RarErrors.badKind("fancy"), RarErrors.badDiskTokens(-1),
                RarErrors.pathInvalid("\0", new IllegalArgumentException("NUL")), RarErrors.pathEscapes("..", PATH),
                RarErrors.pathIsDirectory("d", PATH), RarErrors.pathDoesNotExist("p", PATH),
                RarErrors.cannotCreateDirectory("p", PATH, io), RarErrors.openFailed(SPEC, io),
                RarErrors.kindConflict(SPEC, StoreKind.BASIC), RarErrors.diskTokensConflict(SPEC, 4),
                RarErrors.storeFailed(PATH, 2, io), RarErrors.notAssociated(), RarErrors.otherAdapter(),
                RarErrors.notStarted(), RarErrors.destroyed("mc"), RarErrors.notOurHandle(null),
                RarErrors.noTransactions(), RarErrors.noInbound(), RarErrors.wrongAdapter(null),
                RarErrors.cleanupFailed("mc", io), RarErrors.closeFailed("store", io));
        for (ResourceException e : made) {
            ErrorCode code = ErrorCode.forId(e.getErrorCode()).orElseThrow(() -> new AssertionError(e));
            assertTrue(code.number() / 100 == 6, e.getMessage());
            assertTrue(e.getMessage().startsWith(code.prefix()), e.getMessage());
            assertTrue(e.getMessage().endsWith(", error code: " + code.id()), e.getMessage());
        }
        assertEquals(made.size(), made.stream().map(ResourceException::getErrorCode).distinct().count(),
                "one code per factory");
    }

    @Test
    void aNegativeSyncIntervalIsBob630() {
        IllegalArgumentException e = RarErrors.badSyncInterval(-1L);
        assertTrue(e.getMessage().startsWith(ErrorCode.RAR_BAD_SYNC_INTERVAL.prefix()), e.getMessage());
        assertTrue(e.getMessage().contains("syncIntervalMillis"), e.getMessage());
    }

    @Test
    void aClosedHandleIsStoreCoresClosedCode() {
        assertEquals(ErrorCode.CLOSED, RarErrors.handleClosed().code());
        assertEquals(ErrorCode.CLOSED, RarErrors.storeUnusable(PATH, null).code());
    }
}
