package org.bobbob.store;

import java.io.IOException;

/**
 * A {@link Storer} that runs each plain call against a store it chooses per call: the base of
 * handles and facades that stand in front of a shared store (a resource adapter's connection
 * handle, an injected facade that borrows a pooled connection per call).
 *
 * <p>Subclasses implement {@link #call}, which decides which store a call runs on and what
 * happens around it (borrowing and returning a connection, reporting a failure). The plain calls
 * ({@code newObj}, {@code deleteObj}, {@code primeObject}, {@code sync}, {@code writeBatchedObjs}
 * and the three byte-array conveniences) all go through it, each as one {@code call}. Late
 * handles, {@code unwrap}/{@code isWrapperFor} and {@code close} stay with the subclass: what a
 * handle holds and what closing means differ between them.
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
}
