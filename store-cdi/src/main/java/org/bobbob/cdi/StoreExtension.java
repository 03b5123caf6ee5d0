package org.bobbob.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.bobbob.store.Storer;

/**
 * The portable extension that makes {@code @Inject Storer} work. Registered in
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}; with Weld SE discovery off,
 * add it yourself: {@code new Weld().disableDiscovery().addExtension(new StoreExtension())}.
 *
 * <ol>
 *   <li>Adds the {@code Storer} beans ({@link StorerBeans}) to the deployment. The jar itself is not
 *       a bean archive ({@code bean-discovery-mode="none"}), so the beans exist exactly once
 *       whether the jar is in {@code WEB-INF/lib}, an EAR's {@code lib/} or a module the
 *       application depends on.
 *   <li>Collects every {@code Storer} injection point the container sees while it boots, and after
 *       validation reads the configuration of each store they name that resolves to these
 *       beans: a missing or bad key is a deployment problem naming the key
 *       ({@link StoreConfigurationException}). Nothing is looked up or opened at deployment.
 *   <li>Where the MicroProfile Health API is present, adds a readiness check of the stores the
 *       injection points name ({@link StoreReadiness}).
 *   <li>When the container shuts down (after every context is destroyed, so beans' own
 *       {@code @PreDestroy} methods can still use their stores), syncs and closes the embedded
 *       stores it opened. A failure there is logged: there is no caller left to throw to.
 * </ol>
 *
 * <p>One instance per container (per deployment in a server). Thread-safe.
 */
public class StoreExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(StoreExtension.class.getName());
    /** The API class whose presence turns the readiness check on. */
    private static final String HEALTH_CHECK = "org.eclipse.microprofile.health.HealthCheck";

    private final StoreSources sources = new StoreSources(() -> ConfigLookup.detect(contextClassLoader()));
    /** Storer injection points seen during boot. */
    private final Set<InjectionPoint> injectionPoints = ConcurrentHashMap.newKeySet();
    /** The store names the validated injection points use: what the readiness check checks. */
    private final Set<String> injectedNames = new ConcurrentSkipListSet<>();

    /** The constructor {@code ServiceLoader} uses. */
    public StoreExtension() {
        // state is initialised in the field declarations
    }

    /**
     * Step 1: the beans join the deployment whatever is scanned; with the MicroProfile Health API
     * present and a {@code Storer} injected somewhere, the readiness check too, in the bean
     * archive of a class that injects one ({@link HealthBeans} says why).
     */
    void addBeans(@Observes AfterBeanDiscovery event) {
        StorerBeans.addTo(event, sources);
        if (healthApiAvailable()) {
            injectionPoints.stream()
                    .map(ip -> ip.getMember().getDeclaringClass())
                    .min(Comparator.comparing(Class::getName))
                    .ifPresent(home -> HealthBeans.addTo(event, sources, () -> injectedNames, home));
        }
    }

    /**
     * Whether the MicroProfile Health API is visible to this module. Here, not in
     * {@link HealthBeans}: loading that class needs the API.
     */
    private static boolean healthApiAvailable() {
        try {
            Class.forName(HEALTH_CHECK, false, StoreExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Step 2a: fired for every injection point whose type is exactly {@code Storer}. */
    void collect(@Observes ProcessInjectionPoint<?, Storer> event) {
        injectionPoints.add(event.getInjectionPoint());
    }

    /** Step 2b: one configuration check per store name; every bad one is reported, not just the first. */
    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        Map<String, InjectionPoint> names = new TreeMap<>();
        for (InjectionPoint ip : injectionPoints) {
            if (resolvesToUs(ip, beanManager)) {
                names.putIfAbsent(StorerBeans.nameOf(ip), ip);
            }
        }
        injectionPoints.clear();
        for (Map.Entry<String, InjectionPoint> e : names.entrySet()) {
            try {
                sources.settings(e.getKey());
                injectedNames.add(e.getKey());
            } catch (StoreConfigurationException problem) {
                LOG.log(System.Logger.Level.ERROR, problem.getMessage() + " (injection point: " + e.getValue() + ")");
                event.addDeploymentProblem(problem);
            }
        }
    }

    /** Whether {@code ip} is satisfied by one of our beans (not an application's own Storer bean). */
    private static boolean resolvesToUs(InjectionPoint ip, BeanManager beanManager) {
        Annotation[] qualifiers = ip.getQualifiers().stream()
                .filter(q -> q.annotationType() != Default.class)
                .toArray(Annotation[]::new);
        try {
            return StorerBeans.isOurs(beanManager.resolve(beanManager.getBeans(ip.getType(), qualifiers)));
        } catch (RuntimeException ambiguous) {
            return false; // the container reports ambiguity itself
        }
    }

    /** Step 3: the container's last event, after every context is destroyed. */
    void close(@Observes BeforeShutdown event) {
        try {
            sources.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "closing the embedded stores failed; each reopens at its last" + " completed sync",
                    e);
        }
    }

    /**
     * The injected {@code Storer} of store {@code name} in the current container (for
     * deserialization).
     *
     * @throws IllegalStateException if there is no running CDI container
     * @throws StoreConfigurationException naming the key at fault
     */
    static Storer current(String name) {
        return CDI.current().select(Storer.class, Store.Literal.of(name)).get();
    }

    private static ClassLoader contextClassLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : StoreExtension.class.getClassLoader();
    }

    @Override
    public String toString() {
        return "StoreExtension[" + sources + "]";
    }
}
