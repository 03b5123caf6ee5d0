package org.bobbob.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A store of binary objects ("blobs") addressed by {@code long} ids, all kept in one file.
 *
 * <p>Typical use:
 * <pre>{@code
 * try (Storer store = StoreManager.open("bobbob:multi:/var/data/blobs.bob")) {
 *     long id = store.writeNewObjFromBytes("hello".getBytes(UTF_8));
 *     byte[] back = store.readBytesFromObj(id);          // "hello"
 *     store.sync();                                      // durable from here on
 *     try (ObjectReader r = store.lateReadObj(id); InputStream in = r.asInputStream()) {
 *         in.transferTo(out);                            // streaming read
 *     }
 * }
 * }</pre>
 *
 * <h2>Objects</h2>
 * <ul>
 *   <li>An object's size is fixed when it is allocated ({@link #newObj}, {@link #lateWriteNewObj});
 *       size 0 is allowed. Reads return exactly that many bytes; bytes never written read as zeros.
 *   <li><b>An id names its object or nothing.</b> Id 0 belongs to the store itself and negative
 *       ids are never valid. Once an object is deleted, or lost in a crash (created after the last
 *       sync), every call with its id throws {@link ObjectNotFoundException}, also after its
 *       space holds another object and after reopening: the stores of {@link BasicStore} and
 *       {@link MultiStore} never hand out an id twice. (Ids carry a check of the generation their
 *       object was created in; the one bound: an id could name a later object only if that object
 *       starts at exactly the same place and the store advanced 2^18 generations (2^22 for objects
 *       of up to 4 KiB in a multi store) in between, and it advances at most once per sync.)
 *   <li>Overwriting in place ({@link #writeToObj}) is not atomic across a crash. The safe pattern
 *       for replacing content is: write a new object, {@link #sync()}, then delete the old one.
 * </ul>
 *
 * <h2>Late handles</h2>
 * {@link #lateWriteNewObj}, {@link #writeToObj} and {@link #lateReadObj} return a handle whose
 * {@code close()} is the <em>finisher</em>: it releases whatever the store holds for the handle
 * (object locks, disk tokens). Closing is idempotent; always close handles, preferably with
 * try-with-resources. A handle itself is not thread-safe, but it may be closed from another thread.
 *
 * <h2>Durability</h2>
 * {@link #sync()} makes everything done before the call durable. After a crash the store reopens at
 * its last completed sync: objects created since are gone, objects deleted since are back, and
 * in-place overwrites since may be torn. Space freed by a delete is reused only after the next
 * sync is durable, so that the last synced state never points at reused bytes.
 *
 * <h2>Thread safety</h2>
 * Each implementation says what it guarantees. {@link ConcurrentStore#wrap} makes any store safe
 * for any mix of threads.
 *
 * <h2>Errors</h2>
 * Store errors are {@link StoreException}s (an {@link IOException}): {@link ObjectNotFoundException}
 * for an id that is 0, negative, never allocated or deleted; {@link StoreClosedException} after
 * {@link #close()}; {@link StoreCorruptedException} for a file that fails its checks;
 * {@link UnsupportedCapabilityException} from {@link #unwrap}. Programming errors (a negative
 * size, {@code null}) are {@link IllegalArgumentException} / {@link NullPointerException}, thrown
 * before any state changes.
 */
public interface Storer extends AutoCloseable {

    /**
     * Allocates a zero-filled object of {@code size} bytes.
     *
     * @return the new object's id (always {@code > 0})
     * @throws IllegalArgumentException if {@code size < 0}
     * @throws StoreClosedException if the store is closed
     */
    long newObj(int size) throws IOException;

    /**
     * Deletes an object. Its id becomes invalid at once; its space is reused after the next sync.
     *
     * @throws ObjectNotFoundException if the id is not a live object (so a second delete throws)
     */
    void deleteObj(long id) throws IOException;

    /**
     * Returns the id of the application's root object, allocating a zero-filled one of
     * {@code size} bytes on the first call. Later calls, also after reopening, return the same id.
     *
     * @throws IllegalArgumentException if {@code size < 0}
     * @throws StoreException if the prime object exists and is smaller than {@code size}
     */
    long primeObject(int size) throws IOException;

    /**
     * Makes everything done before this call durable (data, allocations and deletes). Calls other
     * threads have under way while it runs may or may not be covered: a new object written in one
     * call ({@link #writeNewObjFromBytes}, {@link #newObj}) is covered whole or not at all, so after
     * a crash it reads back whole or is not found; an in-place overwrite under way may be covered
     * torn, which the object's checksum then reports (BOB-305), as may an object whose
     * {@link #lateWriteNewObj} writer is still open.
     */
    void sync() throws IOException;

    /**
     * Syncs, then releases the file and its lock. Idempotent: a second call does nothing.
     * Every other call after this one throws {@link StoreClosedException}.
     */
    @Override
    void close() throws IOException;

    /**
     * Allocates an object of {@code size} bytes and returns a writer positioned at its start.
     * Bytes the writer does not write read as zeros. Writing more than {@code size} bytes fails
     * and writes nothing of the failing call.
     */
    ObjectWriter lateWriteNewObj(int size) throws IOException;

    /** Returns a reader over the object's {@code size} bytes. */
    ObjectReader lateReadObj(long id) throws IOException;

    /**
     * Returns a writer that overwrites the object in place from its start. Bytes not written
     * keep their previous content. Not atomic across a crash (see the class comment).
     */
    ObjectWriter writeToObj(long id) throws IOException;

    /**
     * Writes several objects that lie back to back in the file (e.g. from
     * {@link RunAllocator#allocateRun}) with as few I/O calls as possible. {@code data} holds the
     * objects' new contents one after another; {@code sizes[i]} bytes go to the start of
     * {@code ids[i]}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, an id repeats, a size is
     *     negative or larger than its object, or the sizes do not sum to {@code data.length}
     * @throws ObjectNotFoundException if an id is not a live object
     * @throws StoreException if the objects are not adjacent in the file, in the order given
     */
    void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException;

    /** Writes {@code data} as a new object and returns its id. On failure nothing stays allocated. */
    default long writeNewObjFromBytes(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        ObjectWriter writer = lateWriteNewObj(data.length);
        try (writer) {
            ByteBuffers.writeFully(writer, ByteBuffer.wrap(data));
        } catch (IOException | RuntimeException e) {
            try {
                deleteObj(writer.id());
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return writer.id();
    }

    /** Reads a whole object. */
    default byte[] readBytesFromObj(long id) throws IOException {
        try (ObjectReader reader = lateReadObj(id)) {
            byte[] out = new byte[reader.size()];
            ByteBuffers.readFully(reader, ByteBuffer.wrap(out));
            return out;
        }
    }

    /**
     * Overwrites the start of an object with {@code data}.
     *
     * @throws StoreException if {@code data} is longer than the object (nothing is written)
     */
    default void writeBytesToObj(long id, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        try (ObjectWriter writer = writeToObj(id)) {
            ByteBuffers.writeFully(writer, ByteBuffer.wrap(data));
        }
    }

    /**
     * Returns this store as an optional capability ({@link RunAllocator},
     * {@link ObjectInfoProvider}, or the store's own class), JDBC {@code Wrapper} style.
     *
     * @throws UnsupportedCapabilityException if {@code isWrapperFor(capability)} is false
     */
    <T> T unwrap(Class<T> capability) throws StoreException;

    /** Whether {@link #unwrap} succeeds for {@code capability}. */
    boolean isWrapperFor(Class<?> capability);
}
