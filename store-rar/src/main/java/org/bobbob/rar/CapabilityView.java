package org.bobbob.rar;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.bobbob.store.StoreClosedException;

/**
 * A view of one capability interface of the shared store (e.g. {@code StatisticsProvider}) that
 * exposes that interface only, so a caller cannot reach the store itself (and close it) through
 * a cast, and that works only while its connection handle is open: afterwards its methods throw
 * {@link StoreClosedException} where they declare it, else {@link IllegalStateException}.
 */
final class CapabilityView implements InvocationHandler {
    private final StoreConnectionHandle connection;
    private final Object target;

    private CapabilityView(StoreConnectionHandle connection, Object target) {
        this.connection = connection;
        this.target = target;
    }

    /** {@code target} seen as {@code capability} only (an interface), tied to {@code connection}. */
    static <T> T of(Class<T> capability, T target, StoreConnectionHandle connection) {
        assert capability.isInterface() : capability;
        Object proxy = Proxy.newProxyInstance(capability.getClassLoader(), new Class<?>[] {capability},
                new CapabilityView(connection, target));
        return capability.cast(proxy);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "View[" + target + "]";
            };
        }
        if (!connection.isOpen()) {
            StoreClosedException closed = RarErrors.handleClosed();
            for (Class<?> declared : method.getExceptionTypes()) {
                if (declared.isInstance(closed)) {
                    throw closed;
                }
            }
            throw new IllegalStateException(closed.getMessage(), closed);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
