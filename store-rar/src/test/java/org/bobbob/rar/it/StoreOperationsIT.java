package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreRegistryMXBean;
import org.bobbob.store.MultiStore;
import org.bobbob.store.StoreVerifier;
import org.bobbob.store.Storer;
import org.bobbob.store.VerifyReport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The registry MBean's operations backup and verify on a store the server holds open: in the
 * server through the platform MBean server, then from outside over JMX remoting on the management
 * port, the way docs/RAR.md shows an operator.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreOperationsIT {
    private static final String SHARED = "/it/shared.bob";
    private static final String[] BACKUP = {String.class.getName(), String.class.getName()};
    private static final String[] VERIFY = {String.class.getName(), boolean.class.getName()};

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar("ironjacamar.xml");
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ItArchives.warBesideTheRar(
                "store-operations-it.war", StoreOperationsIT.class, AdapterChecks.class, Clients.class);
    }

    @jakarta.inject.Inject
    Clients clients;

    @Test
    @Order(1)
    @OperateOnDeployment("war")
    void backupAndVerifyRunOnTheOpenStoreWhileItsConnectionsWrite() throws Exception {
        Map<Long, byte[]> written = new HashMap<>();
        try (StoreConnection store = clients.defaultStore.getConnection()) {
            for (int i = 0; i < 200; i++) {
                byte[] data = new byte[(i * 97) % 4000];
                Arrays.fill(data, (byte) i);
                written.put(store.writeNewObjFromBytes(data), data); // not synced: the backup's sync point is
            }
            ObjectName registry = AdapterChecks.registryServing(SHARED);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            String path = AdapterChecks.openPath(SHARED);
            String target = "it/backup-" + System.nanoTime() + ".bob";
            String summary = (String) server.invoke(registry, "backup", new Object[] {path, target}, BACKUP);
            assertTrue(summary.contains("writers paused at most "), summary);
            String verified = (String) server.invoke(registry, "verify", new Object[] {path, true}, VERIFY);
            assertTrue(verified.startsWith("ok: "), verified);
            store.writeNewObjFromBytes(new byte[] {1}); // the store goes on

            Path copy = Path.of(System.getProperty("jboss.server.data.dir")).resolve(target);
            assertTrue(summary.startsWith("backup of " + path + " to " + copy + ": "), summary);
            try (Storer s = MultiStore.open(copy, 0)) {
                for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()), "object " + e.getKey());
                }
                VerifyReport report = s.unwrap(StoreVerifier.class).verify(true);
                assertTrue(report.ok(), report.toString());
            }
            Files.delete(copy);
        }
    }

    /** What an operator runs: a JMX client over {@code service:jmx:remote+http://127.0.0.1:9990}. */
    @Test
    @Order(2)
    @RunAsClient
    void anOperatorCallsThemOverJmxRemotingOnTheManagementPort() throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:remote+http://127.0.0.1:9990");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> names = server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null);
            String path = null;
            ObjectName registry = null;
            for (ObjectName name : names) {
                for (String p : (String[]) server.getAttribute(name, "Paths")) {
                    if (p.endsWith(SHARED)) {
                        path = p;
                        registry = name;
                    }
                }
            }
            assertTrue(path != null, "the first test opened " + SHARED + "; registries: " + names);
            String verified = (String) server.invoke(registry, "verify", new Object[] {path, false}, VERIFY);
            assertTrue(verified.startsWith("ok: "), verified);
            String summary =
                    (String) server.invoke(registry, "backup", new Object[] {path, "it/remote-backup.bob"}, BACKUP);
            assertTrue(summary.contains("writers paused at most "), summary);

            Path copy = Path.of(System.getProperty("it.server.dir"), "data", "it", "remote-backup.bob");
            try (Storer s = MultiStore.open(copy, 0)) {
                assertTrue(s.unwrap(StoreVerifier.class).verify(true).ok());
            }
            Files.delete(copy);

            try {
                server.invoke(registry, "verify", new Object[] {"/no/such/store.bob", false}, VERIFY);
                throw new AssertionError("verify of a store that is not open");
            } catch (javax.management.RuntimeMBeanException e) {
                assertEquals(IllegalArgumentException.class, e.getCause().getClass());
                assertTrue(
                        e.getCause().getMessage().contains(path), e.getCause().getMessage());
            }
        }
    }
}
