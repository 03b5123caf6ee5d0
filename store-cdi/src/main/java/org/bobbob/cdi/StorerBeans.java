package org.bobbob.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.InjectionPoint;
import java.lang.annotation.Annotation;
import org.bobbob.store.Storer;

/**
 * The two beans behind {@code @Inject Storer} and {@code @Inject @Store("name") Storer}, added by
 * {@link StoreExtension} as synthetic beans (this jar is not a bean archive), so they exist exactly
 * once wherever the extension is loaded, whatever the discovery mode of the archive holding the
 * jar. They call the extension's {@link StoreSources} directly: no bean of this module is ever
 * proxied or injected, so nothing depends on which class loader defines a proxy.
 *
 * <ul>
 *   <li>Both are {@code @Dependent} and produce the container-wide {@link StorerFacade} of the
 *       store: one object per store name, which holds no connection, so it is right for any scope.
 *   <li>Nothing is disposed: the facade owns nothing; embedded stores close when the container
 *       shuts down.
 *   <li>The bean types are {@code Storer} and {@code Object} only, so an {@code AutoCloseable}
 *       injection point is not satisfied by accident.
 *   <li>Both have an id, so they are passivation capable (the facade is serializable).
 * </ul>
 */
final class StorerBeans {
    private StorerBeans() {}

    /**
     * Adds the beans to the deployment.
     *
     * <p>Making a {@code Storer} throws {@link StoreConfigurationException} naming the key at fault.
     */
    static void addTo(AfterBeanDiscovery event, StoreSources sources) {
        event.addBean()
                .id(StorerBeans.class.getName() + ".default")
                .beanClass(StorerBeans.class)
                .types(Storer.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .produceWith(lookup -> sources.facade(Store.DEFAULT));
        event.addBean()
                .id(StorerBeans.class.getName() + ".named")
                .beanClass(StorerBeans.class)
                .types(Storer.class, Object.class)
                .qualifiers(Store.Literal.of(Store.DEFAULT), Any.Literal.INSTANCE) // value is @Nonbinding
                .scope(Dependent.class)
                .produceWith(lookup -> sources.facade(
                        nameOf(lookup.select(InjectionPoint.class).get())));
    }

    /** Whether {@code bean} is one of these. */
    static boolean isOurs(Bean<?> bean) {
        return bean != null && bean.getBeanClass() == StorerBeans.class;
    }

    /** The {@link Store} value among the injection point's qualifiers; {@value Store#DEFAULT} if none. */
    static String nameOf(InjectionPoint injectionPoint) {
        for (Annotation qualifier : injectionPoint.getQualifiers()) {
            if (qualifier instanceof Store store) {
                return store.value();
            }
        }
        return Store.DEFAULT;
    }
}
