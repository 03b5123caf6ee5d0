package org.bobbob.store.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.function.Supplier;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;

/**
 * A view of one capability interface of a store (e.g. {@code StatisticsProvider}) for a facade
 * that stands in front of a shared store: a {@link Proxy} that implements that interface only, so
 * a cast cannot reach the store behind it (and close it), and that reaches the capability through
 * an {@link Access} on each call — after checking a connection handle is open, or on a pooled
 * connection borrowed for that one call.
 *
 * <pre>{@code
 * StatisticsProvider view = CapabilityProxy.of(StatisticsProvider.class, call -> {
 *     if (!handle.isOpen()) {
 *         throw Errors.closed("connection handle");
 *     }
 *     return call.on(stats);
 * }, () -> "View[" + stats + "]");
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code equals} is identity, {@code hashCode} the identity hash code, {@code toString} the
 *       description; they never reach the {@link Access}.
 *   <li>Every other method runs through the {@link Access}. A {@link StoreException} it throws
 *       itself (no capability can be had) is thrown as is where the method declares it (e.g.
 *       {@code IOException}), else as an {@link IllegalStateException} whose cause it is.
 *   <li>What the capability's method throws is thrown as is.
 *   <li>The view owns nothing: the {@link Access} decides what a call holds and releases.
 *   <li>Thread-safe if the {@link Access} and the capability are.
 * </ul>
 */
public final class CapabilityProxy {
    private CapabilityProxy() {}

    /** How a view reaches the capability for one call. */
    @FunctionalInterface
    public interface Access<T> {
        /**
         * Runs {@code call} on the capability and returns what it returns.
         *
         * @throws StoreException if the capability cannot be reached for this call (see the class comment)
         * @throws InvocationTargetException as {@code call} throws it: what the capability threw
         */
        Object call(Call<T> call) throws StoreException, InvocationTargetException;
    }

    /** One call of a capability method, to be run on the capability object. */
    @FunctionalInterface
    public interface Call<T> {
        /**
         * Calls the method on {@code capability}; what the method throws comes wrapped in the
         * {@code InvocationTargetException}.
         */
        Object on(T capability) throws InvocationTargetException;
    }

    /**
     * Whether a facade in front of a shared store may offer {@code capability} as a view: an
     * interface that is not a {@link Storer} (through a {@code Storer}, or a class, the caller
     * could reach and close the shared store), and not one of the engine's own
     * ({@code org.bobbob.store.internal}): those let a caller skip the layer in front (the locking
     * wrapper writes a new object straight through the engine's, bypassing a facade that counts or
     * checks calls). The one rule of {@code unwrap}/{@code isWrapperFor} for such facades; see
     * {@link ForwardingStorer#unwrap}.
     */
    public static boolean offerable(Class<?> capability) {
        return capability.isInterface()
                && !Storer.class.isAssignableFrom(capability)
                && !capability.getPackageName().startsWith(INTERNAL);
    }

    private static final String INTERNAL = "org.bobbob.store.internal";

    /**
     * A view of {@code capability} (an interface) whose calls run through {@code access}.
     *
     * @param description what {@code toString()} returns, asked on each call of it
     * @throws IllegalArgumentException if {@code capability} is not an interface
     */
    public static <T> T of(Class<T> capability, Access<T> access, Supplier<String> description) {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(description, "description");
        if (!capability.isInterface()) {
            throw new IllegalArgumentException(capability + " is not an interface");
        }
        Object proxy = Proxy.newProxyInstance(
                capability.getClassLoader(), new Class<?>[] {capability}, new Handler<>(access, description));
        return capability.cast(proxy);
    }

    private static final class Handler<T> implements InvocationHandler {
        private final Access<T> access;
        private final Supplier<String> description;

        Handler(Access<T> access, Supplier<String> description) {
            this.access = access;
            this.description = description;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> description.get();
                };
            }
            try {
                return access.call(capability -> invoke(method, capability, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } catch (StoreException e) {
                for (Class<?> declared : method.getExceptionTypes()) {
                    if (declared.isInstance(e)) {
                        throw e;
                    }
                }
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private static Object invoke(Method method, Object target, Object[] args) throws InvocationTargetException {
            try {
                return method.invoke(target, args);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(method + " cannot be called on " + target.getClass(), e);
            }
        }
    }
}
