package org.bobbob.store.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void keepsTheFirstFailureAndSuppressesLaterOnes() {
        IOException a = new IOException("a");
        IOException b = new IOException("b");
        assertNull(Failures.keepFirst(null, null));
        assertSame(a, Failures.keepFirst(null, a));
        assertSame(a, Failures.keepFirst(a, null));
        assertSame(a, Failures.keepFirst(a, b));
        assertSame(a, Failures.keepFirst(a, a), "never suppresses itself");
        assertArrayEquals(new Throwable[] {b}, a.getSuppressed());
    }

    @Test
    void closesEveryResourceEvenAfterOneFails() {
        List<String> closed = new ArrayList<>();
        Closeable ok = () -> closed.add("ok");
        Closeable bad1 = () -> {
            closed.add("bad1");
            throw new IOException("bad1");
        };
        Closeable bad2 = () -> {
            closed.add("bad2");
            throw new IOException("bad2");
        };
        IOException failure = Failures.closeAll(List.of(bad1, ok, bad2));
        assertEquals(List.of("bad1", "ok", "bad2"), closed);
        assertEquals("bad1", failure.getMessage());
        assertEquals("bad2", failure.getSuppressed()[0].getMessage());
        assertNull(Failures.closeAll(List.of(ok)));
    }
}
