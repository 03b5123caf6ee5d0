package org.bobbob.store.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bobbob.store.BasicStore;
import org.bobbob.store.ErrorCode;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarding handles' contract, over a real store's handles. */
class ForwardingHandleTest {
    @TempDir
    Path dir;

    private Storer store;

    /** Records what the hooks were told, in order. */
    private final List<String> events = new ArrayList<>();

    private final HandleHooks recording = new HandleHooks() {
        @Override
        public void beforeCall(ForwardingHandle<?> handle) {
            events.add("before " + handle.id());
        }

        @Override
        public IOException failed(ForwardingHandle<?> handle, IOException failure) {
            events.add("failed " + failure.getClass().getSimpleName());
            return failure;
        }

        @Override
        public void closed(ForwardingHandle<?> handle) {
            events.add("closed " + handle.isOpen());
        }
    };

    @BeforeEach
    void open() throws IOException {
        store = BasicStore.create(dir.resolve("s.bob"));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void shouldForwardReadsAndWritesWithTheDelegatesIdAndSize() throws IOException {
        ObjectWriter inner = store.lateWriteNewObj(5);
        long id;
        try (ForwardingObjectWriter w = new ForwardingObjectWriter(inner, recording);
                OutputStream out = w.asOutputStream()) {
            assertEquals(inner.id(), w.id());
            assertEquals(5, w.size());
            out.write(new byte[] {1, 2, 3, 4, 5});
            id = w.id();
        }
        assertFalse(inner.isOpen(), "closing the handle closed its delegate");
        try (ForwardingObjectReader r = new ForwardingObjectReader(store.lateReadObj(id), recording);
                InputStream in = r.asInputStream()) {
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, in.readAllBytes());
        }
        assertEquals("before " + id, events.get(0));
        assertTrue(events.contains("closed false"), events.toString());
    }

    @Test
    void shouldRejectCallsAfterCloseWithoutReachingTheHooksOrTheDelegate() throws IOException {
        ForwardingObjectWriter w = new ForwardingObjectWriter(store.lateWriteNewObj(4), recording);
        w.close();
        w.close(); // idempotent
        assertEquals(List.of("closed false"), events, "closed runs once");
        StoreClosedException e = assertThrows(StoreClosedException.class, () -> w.write(ByteBuffer.allocate(1)));
        assertEquals(ErrorCode.CLOSED, e.code());
        assertEquals(List.of("closed false"), events);
        assertFalse(w.isOpen());
        assertTrue(w.toString().endsWith(" (closed)"), w.toString());
    }

    @Test
    void shouldThrowWhatBeforeCallThrowsAsIsAndSkipTheDelegate() throws IOException {
        IOException injected = new IOException("disk full");
        ObjectWriter inner = store.lateWriteNewObj(4);
        ForwardingObjectWriter w = new ForwardingObjectWriter(inner, new HandleHooks() {
            @Override
            public void beforeCall(ForwardingHandle<?> handle) throws IOException {
                throw injected;
            }

            @Override
            public IOException failed(ForwardingHandle<?> handle, IOException failure) {
                throw new AssertionError("a gate's failure is not the delegate's");
            }
        });
        assertSame(injected, assertThrows(IOException.class, () -> w.write(ByteBuffer.allocate(4))));
        w.close();
        assertArrayEquals(new byte[4], store.readBytesFromObj(inner.id()), "nothing was written");
    }

    @Test
    void shouldThrowTheDelegatesFailureAsFailedReturnsIt() throws IOException {
        IOException reported = new IOException("reported");
        ForwardingObjectWriter w = new ForwardingObjectWriter(store.lateWriteNewObj(2), new HandleHooks() {
            @Override
            public IOException failed(ForwardingHandle<?> handle, IOException failure) {
                reported.initCause(failure);
                return reported;
            }
        });
        IOException e = assertThrows(IOException.class, () -> w.write(ByteBuffer.allocate(3)));
        assertSame(reported, e);
        assertEquals(ErrorCode.WRITE_LIMIT_EXCEEDED, ((org.bobbob.store.StoreException) e.getCause()).code());
        w.close();
    }

    @Test
    void shouldRunClosedEvenWhenTheDelegatesCloseFailsThenThrowThroughFailed() {
        FailingClose inner = new FailingClose();
        ForwardingObjectReader r = new ForwardingObjectReader(inner, recording);
        IOException e = assertThrows(IOException.class, r::close);
        assertEquals("eio", e.getMessage());
        assertEquals(List.of("closed false", "failed IOException"), events, "released first, then reported");
        assertFalse(inner.open);
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentClosesWin() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        ForwardingObjectReader r = new ForwardingObjectReader(store.lateReadObj(store.newObj(8)), new HandleHooks() {
            @Override
            public void closed(ForwardingHandle<?> handle) {
                closes.incrementAndGet();
            }
        });
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    r.close();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, closes.get());
    }

    /** An empty object's reader whose finisher fails, as on a failing disk. */
    private static final class FailingClose implements ObjectReader {
        volatile boolean open = true;

        @Override
        public long id() {
            return 9;
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            throw new IOException("eio");
        }
    }
}
