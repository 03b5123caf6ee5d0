package org.bobbob.store.support;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.Objects;
import org.bobbob.store.StoreClosedException;

/**
 * The common part of {@link ForwardingObjectReader} and {@link ForwardingObjectWriter}: a Late
 * handle that stands in front of another one (its <em>delegate</em>) and adds what the layer
 * that made it needs through its {@link HandleHooks} — a lock or a pooled connection released at
 * close, failures reported to a connection, faults injected by a test.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Ownership</b>: the handle owns its delegate; closing the handle closes the delegate.
 *       Nobody else should use or close the delegate.
 *   <li><b>Calls</b> ({@code read}/{@code write}): refused with {@link StoreClosedException}
 *       ({@code BOB-201}) once the handle is closed; then {@link HandleHooks#beforeCall} runs, then
 *       the delegate's method, then, if it moved bytes, {@link HandleHooks#transferred}. An
 *       {@link IOException} of the delegate is thrown as {@link HandleHooks#failed} returns it. {@link #id()} and {@link #size()} are the
 *       delegate's, read once.
 *   <li><b>{@link #close()}</b>: the first call closes the delegate, then runs
 *       {@link HandleHooks#closed} (also when the delegate's close failed), then throws the
 *       delegate's failure as {@link HandleHooks#failed} returns it. Later calls do nothing.
 *   <li><b>Thread-safety</b>: as store-core's handles, one thread at a time, except that
 *       {@code close()} and {@link #isOpen()} may be called from any thread, concurrently with a
 *       call; exactly one close wins.
 * </ul>
 *
 * @param <H> the delegate's type
 */
public abstract sealed class ForwardingHandle<H extends Channel> implements Channel
        permits ForwardingObjectReader, ForwardingObjectWriter {
    /** {@link #closed}: false until the first {@link #close()} wins its compare-and-set (volatile access). */
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(ForwardingHandle.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final H delegate;
    private final HandleHooks hooks;
    private final long id;
    private final int size;
    /** Set once, through {@link #CLOSED}; read (volatile) by calls, {@link #isOpen()} and {@link #toString()}. */
    private volatile boolean closed;

    ForwardingHandle(H delegate, long id, int size, HandleHooks hooks) {
        this.delegate = delegate;
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.id = id;
        this.size = size;
    }

    /** The object's id (the delegate's). */
    public final long id() {
        return id;
    }

    /** The object's size in bytes (the delegate's). */
    public final int size() {
        return size;
    }

    /** False once {@link #close()} was called, or once the delegate says it is closed. */
    @Override
    public final boolean isOpen() {
        return !closed && delegate.isOpen();
    }

    /** One read or write of the delegate, as the subclasses pass it ({@code ObjectReader::read}, ...). */
    @FunctionalInterface
    interface Transfer<H> {
        int apply(H delegate, ByteBuffer buffer) throws IOException;
    }

    /** Runs {@code transfer} on the delegate as the class comment says (open check, hook, failure). */
    final int transfer(ByteBuffer buffer, Transfer<H> transfer) throws IOException {
        if (closed) {
            throw Errors.closed("handle of object " + id);
        }
        hooks.beforeCall(this);
        int moved;
        try {
            moved = transfer.apply(delegate, buffer);
        } catch (IOException e) {
            throw hooks.failed(this, e);
        }
        if (moved > 0) {
            hooks.transferred(this, moved);
        }
        return moved;
    }

    /**
     * Closes the delegate, then runs {@link HandleHooks#closed}; idempotent.
     *
     * @throws IOException the delegate's failure to close, as {@link HandleHooks#failed} returns it
     */
    @Override
    public final void close() throws IOException {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        IOException failure = null;
        try {
            delegate.close();
        } catch (IOException e) {
            failure = e;
        } finally {
            hooks.closed(this);
        }
        if (failure != null) {
            throw hooks.failed(this, failure);
        }
    }

    /** The delegate's, with {@code " (closed)"} once this handle is closed. */
    @Override
    public String toString() {
        return delegate + (closed ? " (closed)" : "");
    }
}
