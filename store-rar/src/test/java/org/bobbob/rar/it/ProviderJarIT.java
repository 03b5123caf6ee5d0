package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.naming.InitialContext;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.rar.testprovider.CountingTestProvider;
import org.bobbob.store.spi.StoreProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store provider from a jar of its own, added to the built RAR beside store-core, serves the
 * connection definitions that name its kind by {@code url}: StoreManager finds it through the
 * RAR module's class loader, whatever the calling WAR's context class loader sees. The WAR holds
 * no provider class; it sees the RAR's copy through its module dependency, so it can read the
 * provider's counters.
 */
@ExtendWith(ArquillianExtension.class)
class ProviderJarIT {
    static final String JAR = "counting-provider.jar";
    private static final String KEY = "bobbob:" + CountingTestProvider.KIND + ":it-scratch";

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        JavaArchive provider = ShrinkWrap.create(JavaArchive.class, JAR)
                .addPackage(CountingTestProvider.class.getPackage())
                .addAsServiceProvider(StoreProvider.class, CountingTestProvider.class);
        return ItArchives.builtRar("provider-ironjacamar.xml").addAsLibrary(provider);
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ItArchives.warBesideTheRar("provider-it.war", ProviderJarIT.class);
    }

    private static StoreConnectionFactory factory(String jndi) throws Exception {
        return (StoreConnectionFactory) new InitialContext().lookup(jndi);
    }

    @Test
    @OperateOnDeployment("war")
    void writesAndReadsGoThroughTheProviderFromItsOwnJar() throws Exception {
        String source = String.valueOf(CountingTestProvider.class.getResource("CountingTestProvider.class"));
        assertTrue(source.contains(JAR), "the provider class comes from its jar in the RAR: " + source);
        assertTrue(
                CountingTestProvider.class.getClassLoader().toString().contains("deployment." + ItArchives.RAR),
                CountingTestProvider.class.getClassLoader().toString());

        int opens = CountingTestProvider.OPENS.get();
        long calls = CountingTestProvider.CALLS.get();
        long id;
        try (StoreConnection store = factory("java:/bobbob/Counting").getConnection()) {
            id = store.writeNewObjFromBytes(new byte[] {4, 2});
        }
        try (StoreConnection store = factory("java:/bobbob/CountingToo").getConnection()) {
            assertArrayEquals(new byte[] {4, 2}, store.readBytesFromObj(id), "the same store, not synced");
        }
        assertEquals(opens + 1, CountingTestProvider.OPENS.get(), "one store for both definitions");
        assertEquals(calls + 2, CountingTestProvider.CALLS.get(), "the write and the read ran in the provider");
        assertEquals("it-scratch", CountingTestProvider.lastUrl.location());
        assertEquals(
                List.of(KEY),
                openKeys().stream().filter(k -> k.startsWith("bobbob:")).toList());
    }

    @Test
    @OperateOnDeployment("war")
    void aUrlAndAPathOnOneFileShareOneStore() throws Exception {
        long id;
        try (StoreConnection store = factory("java:/bobbob/ByUrl").getConnection()) {
            id = store.writeNewObjFromBytes(new byte[] {7});
        }
        try (StoreConnection store = factory("java:/bobbob/ByPath").getConnection()) {
            assertArrayEquals(new byte[] {7}, store.readBytesFromObj(id));
        }
        List<String> keys =
                openKeys().stream().filter(k -> k.endsWith("/it/by-url.bob")).toList();
        assertEquals(1, keys.size(), "one store: " + keys);
        Path dataDir = Path.of(System.getProperty("jboss.server.data.dir")).toRealPath();
        assertTrue(keys.get(0).startsWith(dataDir.toString()), "the url's relative location is under " + dataDir);
    }

    /** The store keys open in this RAR's activation (the one with a test-counting or by-url store open). */
    private static List<String> openKeys() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName(org.bobbob.rar.StoreRegistryMXBean.QUERY), null)) {
            List<String> keys = Arrays.asList((String[]) server.getAttribute(name, "Paths"));
            if (keys.stream().anyMatch(k -> k.startsWith(KEY) || k.endsWith("/it/by-url.bob"))) {
                return keys;
            }
        }
        throw new AssertionError("no StoreRegistry MBean has a store of this test open");
    }
}
