package org.bobbob.store.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bobbob.store.ObjectInfoProvider;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;
import org.bobbob.store.TestBytes;
import org.bobbob.store.internal.io.CombiningStoreFile;
import org.bobbob.store.internal.io.ForwardingStoreFile;
import org.bobbob.store.internal.io.SimulatedDisk;
import org.bobbob.store.internal.io.StoreFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit makes the file as long as the allocator end its header names, while the object at the
 * end may still be being written by another thread (a transaction streaming an upload). Through
 * the I/O seam, the writer's last write lands exactly when the commit extends the file, after the
 * commit could have seen the file short of the end: the object keeps the byte it wrote, in memory
 * and after a reopen. (A commit that looked at the size, then wrote a zero byte at the end, undid
 * that write: a just-committed object then failed its checksum, BOB-305.)
 */
class TailWriteRaceTest {
    enum Stack {
        BASIC(AllocatorFactory.BASIC),
        MULTI(AllocatorFactory.MULTI);

        final AllocatorFactory allocators;

        Stack(AllocatorFactory allocators) {
            this.allocators = allocators;
        }
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void aCommitThatExtendsTheFileKeepsTheLastWriteOfTheObjectAtTheEnd(Stack stack) throws IOException {
        SimulatedDisk disk = new SimulatedDisk();
        ExtensionGate gate = new ExtensionGate(new CombiningStoreFile(disk));
        byte[] data = TestBytes.of(7, 100_000);
        data[data.length - 1] = 0x7F; // not the zero an extension writes
        long id;
        try (Storer s = new FileStore(gate, stack.allocators, OpenMode.CREATE, true)) {
            for (int i = 0; i < 10; i++) {
                s.writeNewObjFromBytes(TestBytes.of(i, 3000));
                s.sync(); // the commits after these go to the journal: none writes a record past the end
            }
            s.writeNewObjFromBytes(TestBytes.of(99, 100_000));
            s.sync();
            try (ObjectWriter w = s.lateWriteNewObj(data.length)) {
                id = w.id();
                w.write(ByteBuffer.wrap(data, 0, data.length - 1));
                long end = s.unwrap(ObjectInfoProvider.class)
                                .objectInfo(id)
                                .orElseThrow()
                                .offset()
                        + data.length;
                gate.beforeExtensionTo(end, () -> w.write(ByteBuffer.wrap(data, data.length - 1, 1)));
                s.sync(); // another thread's commit, while this object is at the end, one byte short
            }
            assertTrue(gate.ran, "the commit extended the file while the object at the end was one byte short");
            assertArrayEquals(data, s.readBytesFromObj(id), "object " + id + " in the open store");
            s.sync();
        }
        try (Storer s = new FileStore(new SimulatedDisk(disk.image()), stack.allocators, OpenMode.OPEN, true)) {
            assertArrayEquals(data, s.readBytesFromObj(id), "object " + id + " after a reopen");
        }
    }

    /**
     * The store's file, seen from the engine: once armed with an end, runs an action just before
     * the first call that extends the file to that end (a one-byte write just below it, or
     * {@link #extendTo}), then makes that call.
     */
    private static final class ExtensionGate extends ForwardingStoreFile {
        @FunctionalInterface
        interface Action {
            void run() throws IOException;
        }

        private Action before;
        private long end;
        boolean ran;

        ExtensionGate(StoreFile inner) {
            super(inner);
        }

        void beforeExtensionTo(long end, Action action) {
            this.end = end;
            before = action;
        }

        private void fire(long to) throws IOException {
            Action a = before;
            if (a != null && to == end) {
                before = null;
                a.run();
                ran = true;
            }
        }

        @Override
        public void extendTo(long size) throws IOException {
            fire(size);
            inner.extendTo(size);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (src.remaining() == 1) {
                fire(position + 1); // the writer's last byte lands before this one does
            }
            return inner.write(src, position);
        }

        @Override
        public String toString() {
            return "ExtensionGate[" + inner + "]";
        }
    }
}
