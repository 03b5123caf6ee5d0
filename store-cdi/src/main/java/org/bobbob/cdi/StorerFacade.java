package org.bobbob.cdi;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.support.CapabilityProxy;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.ForwardingStorer;

/**
 * The {@link Storer} that {@code @Inject Storer} and {@code @Inject @Store("name") Storer} give:
 * a stateless, thread-safe facade that takes a connection from its {@link ConnectionSource} for
 * each call and gives it back before returning.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>No connection is held between calls</b>, so the facade is safe in a bean of any scope
 *       ({@code @ApplicationScoped}, {@code @RequestScoped}, {@code @Dependent}, session beans, EJBs)
 *       and from any number of threads: it cannot leak a pooled connection across requests.
 *   <li>A Late handle ({@link #lateWriteNewObj}, {@link #writeToObj}, {@link #lateReadObj}) holds
 *       the connection it was opened on until the handle is closed; then the store's finisher runs
 *       and the connection goes back.
 *   <li>The convenience calls ({@link #writeNewObjFromBytes}, {@link #readBytesFromObj},
 *       {@link #writeBytesToObj}) run on one connection each.
 *   <li>{@link #sync()} syncs the shared store: everything done on it so far, by anyone.
 *   <li>{@link #close()} throws {@link UnsupportedOperationException}: the container owns this
 *       object and the store behind it (as with a container-managed {@code EntityManager}). It
 *       closes nothing and the facade stays usable.
 *   <li>{@link #unwrap} gives capability views whose calls take a connection each; never a
 *       {@code Storer}, so nothing reached through it can close the shared store.
 *   <li>Errors: the store's own ({@code ObjectNotFoundException}, ...), plus {@code StoreException}s
 *       {@code [BOB-707]}..{@code [BOB-711]} naming the configuration key when no connection can be
 *       had, and {@code StoreClosedException} once the container has shut down.
 *   <li>Serializable (for passivating scopes): it is written as its store's name and read back as
 *       the facade of that name in the running container.
 * </ul>
 */
final class StorerFacade extends ForwardingStorer implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final transient ConnectionSource source;
    private final transient String description;

    StorerFacade(StoreSettings settings, ConnectionSource source) {
        this.name = settings.name();
        this.source = source;
        this.description = "injected Storer for " + settings.describe();
    }

    /** Runs {@code call} on a connection of its own. */
    @Override
    protected <T> T call(StoreCall<T> call) throws IOException {
        try (ConnectionSource.Lease lease = source.acquire()) {
            return call.apply(lease.storer());
        }
    }

    @FunctionalInterface
    private interface HandleOpen<H> {
        H open(Storer connection, ConnectionSource.Lease lease) throws IOException;
    }

    /** Opens a Late handle on a connection that the handle then holds until it is closed. */
    private <H> H late(HandleOpen<H> open) throws IOException {
        ConnectionSource.Lease lease = source.acquire();
        try {
            return open.open(lease.storer(), lease);
        } catch (Throwable t) {
            lease.close();
            throw t;
        }
    }

    // ---------------------------------------------------------------- Storer

    @Override
    public ObjectWriter lateWriteNewObj(int size) throws IOException {
        return late((s, lease) -> LeasedHandle.writer(s.lateWriteNewObj(size), lease));
    }

    @Override
    public ObjectReader lateReadObj(long id) throws IOException {
        return late((s, lease) -> LeasedHandle.reader(s.lateReadObj(id), lease));
    }

    @Override
    public ObjectWriter writeToObj(long id) throws IOException {
        return late((s, lease) -> LeasedHandle.writer(s.writeToObj(id), lease));
    }

    // ---------------------------------------------------------------- capabilities: ForwardingStorer's rule

    /**
     * A view whose every call takes its own connection, unwraps {@code capability} on it, calls
     * it and gives the connection back; so it can be kept in any bean, like this facade, and
     * never holds a connection between calls. A capability whose results stay tied to the
     * connection that made them cannot be used this way; the built-in ones return values
     * ({@code StoreStats}, {@code ObjectInfo}, {@code AllocatedRun}). A failure to get a
     * connection is thrown as is where the method declares it (e.g. {@code IOException}), else as
     * an {@link IllegalStateException}.
     *
     * @throws org.bobbob.store.UnsupportedCapabilityException if the store does not offer it
     * @throws StoreException if no connection can be had to ask the store
     */
    @Override
    protected <T> T view(Class<T> capability) throws StoreException {
        if (!askStore(capability)) {
            throw Errors.unsupported(this, capability);
        }
        return CapabilityProxy.of(
                capability,
                call -> {
                    try (ConnectionSource.Lease lease = source.acquire()) {
                        return call.on(lease.storer().unwrap(capability));
                    }
                },
                () -> capability.getSimpleName() + " of " + description);
    }

    /** False also when no connection can be had to ask the store. */
    @Override
    protected boolean storeOffers(Class<?> capability) {
        try {
            return askStore(capability);
        } catch (StoreException e) {
            return false;
        }
    }

    private boolean askStore(Class<?> capability) throws StoreException {
        try (ConnectionSource.Lease lease = source.acquire()) {
            return lease.storer().isWrapperFor(capability);
        }
    }

    /**
     * Always throws: the container owns this object (see the class comment). Closing it would
     * either close a store other beans share or break this bean for every later request.
     *
     * @throws UnsupportedOperationException always ({@code [BOB-712]})
     */
    @Override
    public void close() {
        throw CdiErrors.closeUnsupported(this);
    }

    /** Where connections come from. */
    ConnectionSource source() {
        return source;
    }

    @Override
    public String toString() {
        return description;
    }

    // ---------------------------------------------------------------- serialization

    @Serial
    private Object writeReplace() {
        return new SerialForm(name);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a StorerFacade is serialized as its store name only");
    }

    /** The serialized form: the store's name, resolved against the running container when read. */
    private static final class SerialForm implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String name;

        SerialForm(String name) {
            this.name = name;
        }

        @Serial
        private Object readResolve() throws InvalidObjectException {
            try {
                return StoreExtension.current(name);
            } catch (IllegalStateException e) {
                throw CdiErrors.noContainer(name, e);
            }
        }
    }
}
