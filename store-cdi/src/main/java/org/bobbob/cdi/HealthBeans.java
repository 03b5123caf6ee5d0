package org.bobbob.cdi;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.PassivationCapable;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * Adds the {@link StoreReadiness} bean ({@code @Readiness HealthCheck}, {@code @Dependent}) when
 * the MicroProfile Health API is there: {@link StoreExtension} looks for it without touching this
 * class (whose verification needs the API) and calls {@link #addTo} only then, so a container
 * without the API never loads this class.
 *
 * <p><b>Why a {@link Bean} of its own and not {@code addBean()}'s configurator.</b> A container
 * puts a synthetic bean into a bean archive: a configurator's bean goes to the archive of the
 * extension's class, a {@code Bean} object's to the archive of its {@link Bean#getBeanClass()}.
 * WildFly's MicroProfile Health extension looks up {@code @Readiness} checks from an archive of
 * its own that sees the application's archives but not the one the container makes for this
 * jar's extension class (this jar is no bean archive), so the check must live in an application
 * archive: its bean class is {@code home}, a class of the application that injects a store.
 */
final class HealthBeans {
    private HealthBeans() {}

    /**
     * Adds the readiness check of the stores {@code names} gives (asked on every check), in the
     * bean archive of {@code home} (see the class comment).
     */
    static void addTo(
            AfterBeanDiscovery event, StoreSources sources, Supplier<Collection<String>> names, Class<?> home) {
        event.addBean(new ReadinessBean(home, () -> new StoreReadiness(sources, names)));
    }

    /** The bean: {@code @Readiness @Any HealthCheck}, dependent, no injection points. */
    private record ReadinessBean(Class<?> home, Supplier<HealthCheck> factory)
            implements Bean<HealthCheck>, PassivationCapable {
        @Override
        public Class<?> getBeanClass() {
            return home;
        }

        @Override
        public Set<InjectionPoint> getInjectionPoints() {
            return Set.of();
        }

        @Override
        public HealthCheck create(CreationalContext<HealthCheck> context) {
            return factory.get();
        }

        @Override
        public void destroy(HealthCheck instance, CreationalContext<HealthCheck> context) {
            context.release();
        }

        @Override
        public Set<Type> getTypes() {
            return Set.of(HealthCheck.class, Object.class);
        }

        @Override
        public Set<Annotation> getQualifiers() {
            return Set.of(Readiness.Literal.INSTANCE, Any.Literal.INSTANCE);
        }

        @Override
        public Class<? extends Annotation> getScope() {
            return Dependent.class;
        }

        @Override
        public String getName() {
            return null;
        }

        @Override
        public Set<Class<? extends Annotation>> getStereotypes() {
            return Set.of();
        }

        @Override
        public boolean isAlternative() {
            return false;
        }

        @Override
        public String getId() {
            return HealthBeans.class.getName() + ".readiness";
        }
    }
}
