package org.bobbob.cdi;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.bobbob.store.StoreException;

/**
 * What the injected {@code Storer}'s {@code unwrap} returns for an optional capability (e.g.
 * {@code StatisticsProvider}, {@code ObjectInfoProvider}, {@code RunAllocator}): a view of that
 * interface only, each of whose calls takes a connection, unwraps the capability on it, calls it
 * and gives the connection back. So a capability obtained once can be kept in any bean, like the
 * injected {@code Storer} itself, and never holds a connection between calls.
 *
 * <p>Consequence: a capability whose results stay tied to the connection that made them cannot be
 * used this way; the built-in ones return values ({@code StoreStats}, {@code ObjectInfo},
 * {@code AllocatedRun}).
 *
 * <p>Thread-safe if the capability is. A failure to get a connection is thrown as is when the
 * method declares it (e.g. {@code IOException}), else as an {@link IllegalStateException}.
 */
final class CapabilityCall implements InvocationHandler {
    private final Class<?> capability;
    private final ConnectionSource source;
    private final String owner;

    private CapabilityCall(Class<?> capability, ConnectionSource source, String owner) {
        this.capability = capability;
        this.source = source;
        this.owner = owner;
    }

    /** {@code capability} (an interface) of the stores {@code source} connects to. */
    static <T> T view(Class<T> capability, ConnectionSource source, String owner) {
        assert capability.isInterface() : capability;
        Object proxy = Proxy.newProxyInstance(capability.getClassLoader(), new Class<?>[] {capability},
                new CapabilityCall(capability, source, owner));
        return capability.cast(proxy);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> capability.getSimpleName() + " of " + owner;
            };
        }
        ConnectionSource.Lease lease;
        try {
            lease = source.acquire();
        } catch (StoreException e) {
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(e)) {
                    throw e;
                }
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
        try (lease) {
            return method.invoke(lease.storer().unwrap(capability), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
