package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bobbob.store.StoreException;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missing or wrong configuration fails at deployment, or at first use for what can only be known
 * then (JNDI, the file), and every error names the key to fix. Configuration here is read from
 * system properties (the MicroProfile Config API is on the class path, but no implementation).
 */
class ConfigurationErrorsTest {
    @RegisterExtension
    final SystemProps props = new SystemProps();

    @TempDir
    Path dir;

    @ApplicationScoped
    static class OrdersClient {
        @Inject
        @Store("orders")
        Storer orders;

        Storer orders() {
            return orders;
        }
    }

    @ApplicationScoped
    static class BadNameClient {
        @Inject
        @Store("bad name")
        Storer storer;
    }

    @ApplicationScoped
    static class DefaultClient {
        @Inject
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    @ApplicationScoped
    static class DynamicClient {
        @Inject
        @Any
        Instance<Storer> stores;

        Storer named(String name) {
            return stores.select(Store.Literal.of(name)).get();
        }
    }

    @ApplicationScoped
    static class CustomClient {
        @Inject
        @Store("custom")
        Storer storer;

        Storer storer() {
            return storer;
        }
    }

    /** An application's own Storer for every @Store name, e.g. a test double. */
    @Alternative
    @Priority(1)
    static class OwnStorers {
        static final Storer MINE = (Storer) java.lang.reflect.Proxy.newProxyInstance(
                Storer.class.getClassLoader(),
                new Class<?>[] {Storer.class},
                (p, m, a) -> m.getName().equals("toString") ? "mine" : null);

        @Produces
        @Store
        static Storer mine() {
            return MINE;
        }
    }

    private static StoreConfigurationException deploymentProblem(Class<?>... beans) {
        Weld weld = WeldSe.weld(beans);
        DeploymentException e = assertThrows(DeploymentException.class, weld::initialize);
        return WeldSe.find(e, StoreConfigurationException.class)
                .orElseThrow(() -> new AssertionError("no StoreConfigurationException in", e));
    }

    @Test
    void anUnconfiguredNamedStoreFailsDeploymentNamingBothKeys() {
        StoreConfigurationException e = deploymentProblem(OrdersClient.class);
        assertEquals("bobbob.store.orders.jndi", e.key());
        assertTrue(
                e.getMessage().startsWith("[BOB-702] bobbob.store.orders.jndi / bobbob.store.orders.url:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Read from system properties"), e.getMessage());
    }

    @Test
    void aBlankValueFailsDeploymentNamingTheKey() {
        props.set("bobbob.store.orders.url", "  ");
        StoreConfigurationException e = deploymentProblem(OrdersClient.class);
        assertEquals("bobbob.store.orders.url", e.key());
        assertTrue(e.getMessage().startsWith("[BOB-704] bobbob.store.orders.url is set but blank"), e.getMessage());
    }

    @Test
    void bothAUrlAndAJndiNameFailDeploymentNamingBoth() {
        props.set("bobbob.store.orders.url", "bobbob:multi:" + dir.resolve("o.bob"))
                .set("bobbob.store.orders.jndi", "java:/bobbob/Orders");
        StoreConfigurationException e = deploymentProblem(OrdersClient.class);
        assertEquals("bobbob.store.orders.url", e.key());
        assertTrue(
                e.getMessage().startsWith("[BOB-703] bobbob.store.orders.url / bobbob.store.orders.jndi:"),
                e.getMessage());
    }

    @Test
    void somethingThatIsNotAStoreUrlFailsDeploymentNamingTheKey() {
        props.set("bobbob.store.orders.url", dir.resolve("orders.bob").toString());
        StoreConfigurationException e = deploymentProblem(OrdersClient.class);
        assertEquals("bobbob.store.orders.url", e.key());
        assertTrue(e.getMessage().startsWith("[BOB-705] bobbob.store.orders.url='"), e.getMessage());
    }

    @Test
    void anInvalidStoreNameFailsDeployment() {
        StoreConfigurationException e = deploymentProblem(BadNameClient.class);
        assertNull(e.key(), "the fault is in the code, not in a key");
        assertTrue(e.getMessage().startsWith("[BOB-701] @Store(\"bad name\")"), e.getMessage());
    }

    @Test
    void everyBadStoreIsReportedInOneDeploymentFailure() {
        DeploymentException e = assertThrows(
                DeploymentException.class, WeldSe.weld(OrdersClient.class, BadNameClient.class)::initialize);
        Set<String> codes = new TreeSet<>();
        collectCodes(e, codes);
        assertEquals(Set.of("[BOB-701]", "[BOB-702]"), codes, e.toString());
    }

    private static void collectCodes(Throwable t, Set<String> codes) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StoreConfigurationException s) {
                codes.add(s.getMessage().substring(0, 9));
            }
            for (Throwable s : c.getSuppressed()) {
                collectCodes(s, codes);
            }
        }
    }

    @Test
    void anUnknownStoreKindFailsOnFirstUseNamingTheKeyAndTheUrlProblem() throws IOException {
        props.set("bobbob.store.orders.url", "bobbob:nosuch:" + dir.resolve("o.bob"));
        try (WeldContainer c = WeldSe.boot(OrdersClient.class)) {
            Storer orders = c.select(OrdersClient.class).get().orders();
            StoreException e = assertThrows(StoreException.class, () -> orders.newObj(1));
            assertTrue(
                    e.getMessage().startsWith("[BOB-710] bobbob.store.orders.url: cannot open embedded store"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("[BOB-501]"), e.getMessage());
        }
    }

    @Test
    void aStoreThatIsNotThreadSafeIsRefusedOnFirstUseAndLeftUnlocked() throws IOException {
        String url = "bobbob:multi:" + dir.resolve("o.bob");
        props.set("bobbob.store.orders.url", url + "?concurrent=false");
        try (WeldContainer c = WeldSe.boot(OrdersClient.class)) {
            Storer orders = c.select(OrdersClient.class).get().orders();
            StoreException e = assertThrows(StoreException.class, () -> orders.newObj(1));
            assertTrue(e.getMessage().startsWith("[BOB-711] bobbob.store.orders.url:"), e.getMessage());
            StoreManager.open(url).close(); // the refused store was closed again
        }
    }

    @Test
    void aLockedFileFailsOnFirstUseNamingTheKeyAndWorksOnceItIsFree() throws IOException {
        String url = "bobbob:multi:" + dir.resolve("o.bob");
        props.set("bobbob.store.orders.url", url);
        try (WeldContainer c = WeldSe.boot(OrdersClient.class)) {
            Storer orders = c.select(OrdersClient.class).get().orders();
            try (Storer other = StoreManager.open(url)) {
                StoreException e = assertThrows(StoreException.class, () -> orders.newObj(1));
                assertTrue(e.getMessage().startsWith("[BOB-710] bobbob.store.orders.url:"), e.getMessage());
                assertTrue(e.getMessage().contains("[BOB-202]"), e.getMessage());
                other.newObj(1);
            }
            assertTrue(orders.newObj(1) > 0, "a failed open is not remembered");
        }
    }

    @Test
    void anUnconfiguredDefaultStoreOutsideAServerFailsOnFirstUseNamingTheJndiKeyAndTheUrlKey() {
        try (WeldContainer c = WeldSe.boot(DefaultClient.class)) {
            Storer storer = c.select(DefaultClient.class).get().storer();
            StoreException e = assertThrows(StoreException.class, () -> storer.newObj(1));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "[BOB-707] bobbob.store.default.jndi: no connection factory for"
                                            + " store 'default' (bobbob.store.default.jndi unset, so java:/bobbob/DefaultStore)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("set bobbob.store.default.url instead"), e.getMessage());
            assertInstanceOf(javax.naming.NamingException.class, e.getCause());
        }
    }

    @Test
    void somethingElseBoundAtTheJndiNameFailsOnFirstUseNamingTheKey() {
        MapContextFactory.bind("java:/test/NotAFactory", "a string");
        props.set("bobbob.store.orders.jndi", "java:/test/NotAFactory");
        try (WeldContainer c = WeldSe.boot(OrdersClient.class)) {
            Storer orders = c.select(OrdersClient.class).get().orders();
            StoreException e = assertThrows(StoreException.class, () -> orders.newObj(1));
            assertTrue(
                    e.getMessage()
                            .startsWith("[BOB-708] bobbob.store.orders.jndi: store 'orders'"
                                    + " (bobbob.store.orders.jndi=java:/test/NotAFactory) names a java.lang.String"),
                    e.getMessage());
        } finally {
            MapContextFactory.unbind("java:/test/NotAFactory");
        }
    }

    @Test
    void aProgrammaticLookupOfAnUnconfiguredStoreFailsNamingTheKey() {
        try (WeldContainer c = WeldSe.boot(DynamicClient.class)) {
            DynamicClient client = c.select(DynamicClient.class).get();
            RuntimeException e = assertThrows(RuntimeException.class, () -> client.named("nowhere"));
            StoreConfigurationException cause =
                    WeldSe.find(e, StoreConfigurationException.class).orElseThrow();
            assertEquals("bobbob.store.nowhere.jndi", cause.key());
        }
    }

    @Test
    void anApplicationsOwnStorerBeanIsNotCheckedAgainstTheConfiguration() {
        try (WeldContainer c = WeldSe.boot(CustomClient.class, OwnStorers.class)) {
            assertEquals("mine", c.select(CustomClient.class).get().storer().toString());
        }
    }

    @Test
    void configurationIsReadFromSystemPropertiesWhenMicroProfileConfigHasNoImplementation() {
        assertEquals(
                List.of(ConfigLookup.SYSTEM_PROPERTIES),
                List.of(ConfigLookup.detect(Thread.currentThread().getContextClassLoader())));
    }
}
