package org.bobbob.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one table of error codes, {@link ErrorCode}, and the factories that make messages from it. */
class ErrorCodeTest {
    @Test
    void numbersAreUniqueAndIdsRoundTrip() {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(seen.add(code.number()), "number used twice: " + code.number());
            assertEquals("BOB-" + code.number(), code.id());
            assertEquals("[" + code.id() + "] ", code.prefix());
            assertEquals(code.prefix() + "x", code.message("x"));
            assertEquals(Optional.of(code), ErrorCode.forId(code.id()));
            assertTrue(!code.summary().isBlank() && !code.fix().isBlank(), code.name());
        }
        assertEquals(Optional.empty(), ErrorCode.forId("BOB-999"));
        assertEquals(Optional.empty(), ErrorCode.forId(null));
    }

    @Test
    void factoriesPutTheCodeInTheExceptionAndAtTheStartOfTheMessage() {
        Path path = Path.of("x.bob");
        Map<ErrorCode, StoreException> made = Map.of(
                ErrorCode.OBJECT_NOT_FOUND, Errors.notFound(7),
                ErrorCode.WRITE_LIMIT_EXCEEDED, Errors.writeLimit(7, 4, 2, 3),
                ErrorCode.CLOSED, Errors.closed("store"),
                ErrorCode.LOCKED, Errors.locked(path),
                ErrorCode.FILE_MISSING, Errors.missingDirectory(path),
                ErrorCode.CORRUPTED, Errors.corrupted(path, "bad checksum"),
                ErrorCode.WRONG_KIND, Errors.wrongKind(path, "basic", "multi"),
                ErrorCode.UNSUPPORTED_CAPABILITY, Errors.unsupported(this, RunAllocator.class),
                ErrorCode.BAD_URL, Errors.badUrl("bobbob:", "no kind"));
        made.forEach((code, e) -> {
            assertEquals(code, e.code(), e.getMessage());
            assertTrue(e.getMessage().startsWith(code.prefix()), e.getMessage());
        });
        assertEquals(7, Errors.notFound(7).id());
        assertNull(new StoreException("from elsewhere").code(), "made without a code");
        assertEquals("from elsewhere", new StoreClosedException("from elsewhere").getMessage());
    }
}
