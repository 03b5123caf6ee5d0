package org.bobbob.store.support;

import java.io.IOException;
import java.util.Objects;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.UnsupportedCapabilityException;

/**
 * A {@link Storer} that runs each plain call against a store it chooses per call: the base of
 * handles and facades that stand in front of a shared store (a resource adapter's connection
 * handle, an injected facade that borrows a pooled connection per call).
 *
 * <p>Subclasses implement {@link #call}, which decides which store a call runs on and what
 * happens around it (borrowing and returning a connection, reporting a failure). The plain calls
 * ({@code newObj}, {@code deleteObj}, {@code primeObject}, {@code sync}, {@code writeBatchedObjs}
 * and the three byte-array conveniences) all go through it, each as one {@code call}. Late
 * handles and {@code close} stay with the subclass: what a handle holds and what closing means
 * differ between them ({@link ForwardingObjectReader} and {@link ForwardingObjectWriter} help).
 *
 * <p>{@link #unwrap} and {@link #isWrapperFor} follow the rule for facades in front of a shared
 * store: this object for its own types; for another capability, only an interface that is not a
 * {@code Storer} ({@link CapabilityProxy#offerable}), as a view that {@link #view} makes; never
 * the store itself. A subclass that offers no views needs none of the hooks.
 *
 * <p>Thread-safety and what is thrown are the subclass's: this class keeps no state.
 */
public abstract class ForwardingStorer implements Storer {

    /** One call on the store that {@link #call} chose. */
    @FunctionalInterface
    protected interface StoreCall<T> {
        T apply(Storer store) throws IOException;
    }

    /** Runs {@code call} on the store this object stands for. */
    protected abstract <T> T call(StoreCall<T> call) throws IOException;

    @Override
    public long newObj(int size) throws IOException {
        return call(s -> s.newObj(size));
    }

    @Override
    public void deleteObj(long id) throws IOException {
        call(s -> {
            s.deleteObj(id);
            return null;
        });
    }

    @Override
    public long primeObject(int size) throws IOException {
        return call(s -> s.primeObject(size));
    }

    @Override
    public void sync() throws IOException {
        call(s -> {
            s.sync();
            return null;
        });
    }

    @Override
    public void writeBatchedObjs(long[] ids, byte[] data, int[] sizes) throws IOException {
        call(s -> {
            s.writeBatchedObjs(ids, data, sizes);
            return null;
        });
    }

    /** One call: the store's own method, so a failed write leaves nothing allocated. */
    @Override
    public long writeNewObjFromBytes(byte[] data) throws IOException {
        return call(s -> s.writeNewObjFromBytes(data));
    }

    @Override
    public byte[] readBytesFromObj(long id) throws IOException {
        return call(s -> s.readBytesFromObj(id));
    }

    @Override
    public void writeBytesToObj(long id, byte[] data) throws IOException {
        call(s -> {
            s.writeBytesToObj(id, data);
            return null;
        });
    }

    // ---------------------------------------------------------------- capabilities

    /**
     * This object for a type it is; else, after {@link #checkOpen()}, for an
     * {@linkplain CapabilityProxy#offerable offerable} interface what {@link #view} makes.
     *
     * @throws UnsupportedCapabilityException for classes, {@code Storer}s, and interfaces
     *     {@link #view} does not offer
     * @throws StoreClosedException if this object is closed
     */
    @Override
    public <T> T unwrap(Class<T> capability) throws StoreException {
        Objects.requireNonNull(capability, "capability");
        if (capability.isInstance(this)) {
            return capability.cast(this);
        }
        checkOpen();
        if (!CapabilityProxy.offerable(capability)) {
            throw Errors.unsupported(this, capability);
        }
        return view(capability);
    }

    /** True for a type this object is, and for an offerable interface that {@link #storeOffers}; false for null. */
    @Override
    public boolean isWrapperFor(Class<?> capability) {
        if (capability == null) {
            return false;
        }
        return capability.isInstance(this) || CapabilityProxy.offerable(capability) && storeOffers(capability);
    }

    /**
     * Throws if this object is closed; {@link #unwrap} calls it for every type this object is
     * not. By default nothing: the object is never closed.
     */
    protected void checkOpen() throws StoreException {}

    /**
     * The view {@link #unwrap} returns for {@code capability}, an offerable interface, typically a
     * {@link CapabilityProxy}. By default none: {@link UnsupportedCapabilityException}.
     *
     * @throws UnsupportedCapabilityException if the store does not offer {@code capability}
     */
    protected <T> T view(Class<T> capability) throws StoreException {
        throw Errors.unsupported(this, capability);
    }

    /**
     * Whether the store offers {@code capability}, an offerable interface; false when it cannot be
     * asked (closed, no connection). By default false.
     */
    protected boolean storeOffers(Class<?> capability) {
        return false;
    }
}
