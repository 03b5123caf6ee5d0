package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.Storer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside WildFly: the built RAR, activated by a test {@code ironjacamar.xml} with three
 * connection definitions (two on one path), and a WAR beside it that imports the RAR's module.
 */
@ExtendWith(ArquillianExtension.class)
class StoreAdapterIT {
    private static final String SHARED = "/it/shared.bob";
    private static final String OTHER = "/it/other.bob";

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar("ironjacamar.xml");
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ItArchives.warBesideTheRar("store-it.war", StoreAdapterIT.class, Clients.class, AdapterChecks.class);
    }

    @Inject
    Clients clients;

    @Test
    @OperateOnDeployment("war")
    void jndiLookupGivesAWorkingFactory() throws Exception {
        Object bound = new InitialContext().lookup("java:/bobbob/DefaultStore");
        AdapterChecks.roundTrip(assertInstanceOf(StoreConnectionFactory.class, bound));
    }

    /**
     * The store's flight-recorder events reach a recording in the server: the RAR's manifest
     * gives it {@code jdk.jfr}, which WildFly does not give deployments by itself.
     */
    @Test
    @OperateOnDeployment("war")
    void aSyncIsRecordedByTheFlightRecorderInTheServer() throws Exception {
        BlockingQueue<RecordedEvent> commits = new LinkedBlockingQueue<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.enable("org.bobbob.StoreCommit");
            recording.onEvent("org.bobbob.StoreCommit", commits::add);
            recording.startAsync();
            try (StoreConnection store = clients.defaultStore.getConnection()) {
                store.writeNewObjFromBytes(new byte[] {4});
                store.sync();
            }
            RecordedEvent commit = commits.poll(30, TimeUnit.SECONDS);
            assertNotNull(commit, "no org.bobbob.StoreCommit event within 30 s");
            assertTrue(commit.getBoolean("succeeded"));
        }
    }

    @Test
    @OperateOnDeployment("war")
    void resourceInjectionGivesWorkingFactories() throws Exception {
        try (StoreConnection store = clients.defaultStore.getConnection()) {
            long id = store.writeNewObjFromBytes(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, store.readBytesFromObj(id));
        }
        assertNotNull(clients.sameStore);
        assertNotNull(clients.otherStore);
    }

    @Test
    @OperateOnDeployment("war")
    void twoDefinitionsOnOnePathShareOneOpenStore() throws Exception {
        AdapterChecks.twoDefinitionsOnOnePathShareOneOpenStore(clients, SHARED, OTHER);
    }

    @Test
    @OperateOnDeployment("war")
    void twoPathsAreTwoStores() throws Exception {
        try (StoreConnection shared = clients.defaultStore.getConnection();
                StoreConnection other = clients.otherStore.getConnection()) {
            long sharedBefore = objects(shared);
            long otherBefore = objects(other);
            for (int i = 0; i < 3; i++) {
                other.writeNewObjFromBytes(new byte[] {(byte) i});
            }
            assertEquals(otherBefore + 3, objects(other));
            assertEquals(sharedBefore, objects(shared));
        }
    }

    private static long objects(StoreConnection store) throws Exception {
        return store.unwrap(StatisticsProvider.class).stats().objects();
    }

    @Test
    @OperateOnDeployment("war")
    void twentyThreadsWriteFiftyObjectsEachThroughPooledConnections() throws Exception {
        AdapterChecks.twentyThreadsWriteFiftyObjectsEach(clients.defaultStore);
    }

    @Test
    @OperateOnDeployment("war")
    void aClosedHandleRefusesCallsButTheStoreStaysOpen() throws Exception {
        StoreConnection store = clients.defaultStore.getConnection();
        long id = store.writeNewObjFromBytes(new byte[] {9});
        store.close();
        assertFalse(store.isOpen());
        assertThrows(StoreClosedException.class, () -> store.readBytesFromObj(id));
        try (StoreConnection again = clients.defaultStore.getConnection()) {
            assertArrayEquals(new byte[] {9}, again.readBytesFromObj(id));
        }
    }

    @Test
    @OperateOnDeployment("war")
    void theApiClassesComeFromTheRarModule() {
        String rarModule = "deployment." + ItArchives.RAR;
        assertTrue(
                StoreConnectionFactory.class.getClassLoader().toString().contains(rarModule),
                StoreConnectionFactory.class.getClassLoader().toString());
        assertEquals(
                StoreConnectionFactory.class.getClassLoader(),
                Storer.class.getClassLoader(),
                "store-core is packed in the RAR: one module, one copy of the API");
        assertNotEquals(StoreAdapterIT.class.getClassLoader(), Storer.class.getClassLoader());
    }
}
