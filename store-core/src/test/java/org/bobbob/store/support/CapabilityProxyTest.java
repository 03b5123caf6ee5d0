package org.bobbob.store.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.AllocatedRun;
import org.bobbob.store.ObjectInfo;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.RunAllocator;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.bobbob.store.support.CapabilityProxy.Access;
import org.junit.jupiter.api.Test;

/** The capability view's contract: Object methods, the declared-exception rule, offerable types. */
class CapabilityProxyTest {
    private static final ObjectInfo INFO = new ObjectInfo(64, 10, 16);
    private static final ObjectInfoProvider INFOS = id -> Optional.of(INFO);

    /** A Storer is never offered, however it is extended. */
    private interface NamedStorer extends Storer {
        String name();
    }

    /** Reaches the capability while {@code open} is set, else fails as a closed handle does; counts calls. */
    private static <T> Access<T> gate(T capability, AtomicInteger calls, boolean open) {
        return call -> {
            calls.incrementAndGet();
            if (!open) {
                throw Errors.closed("connection handle");
            }
            return call.on(capability);
        };
    }

    @Test
    void shouldCallTheCapabilityThroughTheAccess() {
        AtomicInteger calls = new AtomicInteger();
        ObjectInfoProvider view = CapabilityProxy.of(ObjectInfoProvider.class, gate(INFOS, calls, true), () -> "infos");
        assertEquals(Optional.of(INFO), view.objectInfo(3));
        assertEquals(1, calls.get());
        assertFalse(view instanceof Storer);
    }

    @Test
    void shouldAnswerObjectMethodsWithoutTheAccess() {
        AtomicInteger calls = new AtomicInteger();
        ObjectInfoProvider view =
                CapabilityProxy.of(ObjectInfoProvider.class, gate(INFOS, calls, false), () -> "infos");
        ObjectInfoProvider other =
                CapabilityProxy.of(ObjectInfoProvider.class, gate(INFOS, calls, false), () -> "infos");
        assertEquals(view, view);
        assertNotEquals(view, other);
        assertEquals(System.identityHashCode(view), view.hashCode());
        assertEquals("infos", view.toString());
        assertEquals(0, calls.get());
    }

    @Test
    void shouldThrowAnAccessFailureAsIsWhereTheMethodDeclaresIt() {
        RunAllocator view = CapabilityProxy.of(
                RunAllocator.class,
                gate((size, count) -> new AllocatedRun(new long[0], new long[0]), new AtomicInteger(), false),
                () -> "runs");
        assertThrows(StoreClosedException.class, () -> view.allocateRun(4, 2)); // declares IOException
    }

    @Test
    void shouldWrapAnAccessFailureInIllegalStateExceptionWhereTheMethodDoesNotDeclareIt() {
        ObjectInfoProvider view =
                CapabilityProxy.of(ObjectInfoProvider.class, gate(INFOS, new AtomicInteger(), false), () -> "infos");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> view.objectInfo(3));
        assertTrue(e.getCause() instanceof StoreClosedException, e.toString());
        assertEquals(e.getCause().getMessage(), e.getMessage());
    }

    @Test
    void shouldThrowWhatTheCapabilityThrowsAsIs() {
        IOException disk = new IOException("eio");
        RunAllocator failing = (size, count) -> {
            throw disk;
        };
        RunAllocator view =
                CapabilityProxy.of(RunAllocator.class, gate(failing, new AtomicInteger(), true), () -> "runs");
        assertSame(disk, assertThrows(IOException.class, () -> view.allocateRun(1, 1)));
        StatisticsProvider unchecked = () -> {
            throw new ArithmeticException("overflow");
        };
        StatisticsProvider stats =
                CapabilityProxy.of(StatisticsProvider.class, gate(unchecked, new AtomicInteger(), true), () -> "stats");
        assertThrows(ArithmeticException.class, stats::stats);
    }

    @Test
    void shouldOfferInterfacesThatAreNotStorersOnly() throws Exception {
        assertTrue(CapabilityProxy.offerable(StatisticsProvider.class));
        assertTrue(CapabilityProxy.offerable(RunAllocator.class));
        assertFalse(CapabilityProxy.offerable(Storer.class));
        assertFalse(CapabilityProxy.offerable(NamedStorer.class));
        assertFalse(
                CapabilityProxy.offerable(Class.forName("org.bobbob.store.internal.engine.SelfGuardedWrites")),
                "an engine capability would let a caller skip the facade");
        assertFalse(CapabilityProxy.offerable(org.bobbob.store.BasicStore.class));
        assertThrows(
                IllegalArgumentException.class,
                () -> CapabilityProxy.of(Object.class, call -> call.on(new Object()), () -> "object"));
    }
}
