package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside GlassFish: the RAR as store-rar built it (its {@code ironjacamar.xml} is ignored here),
 * and a WAR beside it whose factories are {@code @ConnectionFactoryDefinition}s
 * ({@link GlassFishStores}). The checks are store-rar's {@link AdapterChecks}, the ones its WildFly
 * ITs run.
 */
@ExtendWith(ArquillianExtension.class)
class GlassFishAdapterIT {
    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar();
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        return ShrinkWrap.create(WebArchive.class, "store-gf-it.war")
                .addClasses(
                        GlassFishAdapterIT.class,
                        GlassFishStores.class,
                        Clients.class,
                        AdapterChecks.class,
                        TransactionalWriterBean.class,
                        TransactionalWriterBean.KeepIt.class)
                .setWebXML("glassfish/web.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Inject
    Clients clients;

    @EJB
    TransactionalWriterBean bean;

    @Test
    @OperateOnDeployment("war")
    void jndiLookupGivesAWorkingFactory() throws Exception {
        Object bound = new InitialContext().lookup(GlassFishStores.DEFAULT);
        AdapterChecks.roundTrip(assertInstanceOf(StoreConnectionFactory.class, bound));
    }

    @Test
    @OperateOnDeployment("war")
    void twoDefinitionsOnOnePathShareOneOpenStore() throws Exception {
        AdapterChecks.twoDefinitionsOnOnePathShareOneOpenStore(clients, GlassFishStores.SHARED, GlassFishStores.OTHER);
    }

    @Test
    @OperateOnDeployment("war")
    void twentyThreadsWriteFiftyObjectsEachThroughPooledConnections() throws Exception {
        AdapterChecks.twentyThreadsWriteFiftyObjectsEach(clients.defaultStore);
    }

    /**
     * 1 000 getConnection/close cycles on one thread reuse the pool's connections: every pooled
     * connection holds one reference to the store, and the count does not grow (a handle that
     * close() did not give back would make the pool create another, up to its maximum of 20, and
     * then time out).
     */
    @Test
    @OperateOnDeployment("war")
    void aThousandGetCloseCyclesReuseThePooledConnections() throws Exception {
        try (StoreConnection warmUp = clients.defaultStore.getConnection()) {
            warmUp.sync();
        }
        int before = AdapterChecks.referenceCount(GlassFishStores.SHARED);
        long began = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            try (StoreConnection store = clients.defaultStore.getConnection()) {
                assertTrue(store.isOpen());
            }
        }
        System.out.printf("BOBBOB-TIMING 1000 get/close cycles: %d ms%n", (System.nanoTime() - began) / 1_000_000);
        assertEquals(before, AdapterChecks.referenceCount(GlassFishStores.SHARED));
    }

    @Test
    @OperateOnDeployment("war")
    void aContainerManagedTransactionThatRollsBackLeavesNoBlob() throws Exception {
        List<Long> thrown = new ArrayList<>();
        assertThrows(EJBException.class, () -> bean.writeThenThrow(3, thrown));
        assertEquals(3, thrown.size());
        AdapterChecks.assertGone(clients.defaultStore, thrown);

        List<Long> markedForRollback = new ArrayList<>();
        bean.writeThenRollbackOnly(2, markedForRollback);
        AdapterChecks.assertGone(clients.defaultStore, markedForRollback);

        List<Long> committed = new ArrayList<>();
        bean.writeAndCommit(1, committed);
        try (StoreConnection store = clients.defaultStore.getConnection()) {
            assertEquals("blob 0", new String(store.readBytesFromObj(committed.get(0)), "UTF-8"));
        }
    }
}
