package org.bobbob.cdi;

import jakarta.resource.ResourceException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Reference;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.Storer;
import org.bobbob.store.support.Errors;

/**
 * A stand-in for the adapter's connection factory that counts connections: each
 * {@link #getConnection()} hands out a new handle over one shared store; closing a handle the first
 * time gives it back. {@link #inUse()} is what the server's pool calls its in-use count.
 */
final class CountingConnectionFactory implements StoreConnectionFactory {
    private static final long serialVersionUID = 1L;

    private final transient Storer store;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger maxInUse = new AtomicInteger();
    private final AtomicInteger handedOut = new AtomicInteger();
    private volatile ResourceException failure;
    private Reference reference;

    CountingConnectionFactory(Storer store) {
        this.store = store;
    }

    /** Handles handed out and not closed. */
    int inUse() {
        return inUse.get();
    }

    /** The most handles out at once. */
    int maxInUse() {
        return maxInUse.get();
    }

    /** Handles handed out so far. */
    int handedOut() {
        return handedOut.get();
    }

    /** Makes every later getConnection fail with {@code e} (null: work again). */
    void failWith(ResourceException e) {
        failure = e;
    }

    @Override
    public StoreConnection getConnection() throws ResourceException {
        ResourceException f = failure;
        if (f != null) {
            throw f;
        }
        handedOut.incrementAndGet();
        maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
        AtomicBoolean closed = new AtomicBoolean();
        return (StoreConnection) Proxy.newProxyInstance(
                StoreConnection.class.getClassLoader(),
                new Class<?>[] {StoreConnection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close":
                            if (closed.compareAndSet(false, true)) {
                                inUse.decrementAndGet();
                            }
                            return null;
                        case "isOpen":
                            return !closed.get();
                        case "toString":
                            return "CountingConnection" + (closed.get() ? "[closed]" : "");
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            if (closed.get()) {
                                throw Errors.closed("connection handle");
                            }
                            try {
                                return method.invoke(store, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }
}
