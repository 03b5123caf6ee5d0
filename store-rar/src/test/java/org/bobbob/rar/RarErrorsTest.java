package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.resource.ResourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.spi.StoreUrl;
import org.junit.jupiter.api.Test;

/** Every adapter error carries its {@link ErrorCode}: at the start of the message and as the error code. */
class RarErrorsTest {
    private static final Path PATH = Path.of("/data/x.bob").toAbsolutePath();
    private static final StoreTarget TARGET = new StoreTarget(
            "path",
            PATH.toString(),
            PATH,
            new StoreUrl("bobbob:multi:" + PATH, "multi", PATH.toString(), Map.of(), 0, true, true));

    @Test
    void everyResourceExceptionCarriesItsCodeAsTheErrorCode() {
        IOException io = new IOException("disk on fire");
        List<ResourceException> made = List.of(
                RarErrors.pathMissing(),
                RarErrors.badKind("fancy", List.of("basic", "multi")),
                RarErrors.badDiskTokens(-1),
                RarErrors.pathInvalid("path", "\0", "NUL"),
                RarErrors.pathEscapes("path", "..", PATH),
                RarErrors.pathIsDirectory("url", "d", PATH),
                RarErrors.pathDoesNotExist("path", "p", PATH),
                RarErrors.cannotCreateDirectory("path", "p", PATH, io),
                RarErrors.openFailed(TARGET, io),
                RarErrors.kindConflict(TARGET, "basic"),
                RarErrors.diskTokensConflict(TARGET, 4),
                RarErrors.urlAndPath("bobbob:multi:x", "path"),
                RarErrors.badUrl("bobbob:nosuch:x", "no provider", null),
                RarErrors.storeFailed(PATH.toString(), 2, io),
                RarErrors.notAssociated(),
                RarErrors.otherAdapter(),
                RarErrors.notStarted(),
                RarErrors.destroyed("mc"),
                RarErrors.notOurHandle(null),
                RarErrors.transactionsUnavailable("store", null),
                RarErrors.transactionFailed("commit", "mc", io),
                RarErrors.noInbound(),
                RarErrors.wrongAdapter(null),
                RarErrors.cleanupFailed("mc", io),
                RarErrors.closeFailed("store", io));
        for (ResourceException e : made) {
            ErrorCode code = ErrorCode.forId(e.getErrorCode()).orElseThrow(() -> new AssertionError(e));
            assertTrue(code.number() / 100 == 6, e.getMessage());
            assertTrue(e.getMessage().startsWith(code.prefix()), e.getMessage());
            assertTrue(e.getMessage().endsWith(", error code: " + code.id()), e.getMessage());
        }
        assertEquals(
                made.size(),
                made.stream().map(ResourceException::getErrorCode).distinct().count(),
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
        assertEquals(
                ErrorCode.CLOSED, RarErrors.storeUnusable(PATH.toString(), null).code());
    }
}
