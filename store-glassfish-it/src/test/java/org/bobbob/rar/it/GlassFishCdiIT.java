package org.bobbob.rar.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.io.File;
import org.bobbob.cdi.Store;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * store-cdi in GlassFish: a WAR with {@code store-cdi.jar} in {@code WEB-INF/lib} injects
 * {@code Storer}s whose connections come from the adapter's pools, found through JNDI by the names
 * its {@code microprofile-config.properties} maps ({@link GlassFishStores}' definitions).
 */
@ExtendWith(ArquillianExtension.class)
class GlassFishCdiIT {
    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return ItArchives.builtRar();
    }

    @Deployment(name = "war", order = 2)
    static WebArchive war() {
        String cdiJar = System.getProperty("store.cdi.jar");
        if (cdiJar == null) {
            throw new IllegalStateException("system property store.cdi.jar is not set; run through failsafe");
        }
        return ShrinkWrap.create(WebArchive.class, "cdi-gf-it.war")
                .addClasses(GlassFishCdiIT.class, GlassFishStores.class, AdapterChecks.class)
                .addAsLibrary(ShrinkWrap.createFromZipFile(JavaArchive.class, new File(cdiJar)))
                .addAsResource("glassfish/microprofile-config.properties", "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    @Inject
    Storer storer;

    @Inject
    @Store("other")
    Storer other;

    @Test
    @OperateOnDeployment("war")
    void anInjectedStorerWritesThroughTheAdaptersSharedStore() throws Exception {
        byte[] data = "through @Inject Storer".getBytes(UTF_8);
        long id = storer.writeNewObjFromBytes(data);
        assertArrayEquals(data, storer.readBytesFromObj(id));
        storer.sync();
        assertTrue(
                AdapterChecks.referenceCount(GlassFishStores.SHARED) >= 1,
                "a pooled connection of java:app/bobbob/DefaultStore holds the store");
    }

    @Test
    @OperateOnDeployment("war")
    void aNamedStoreIsTheOneItsJndiNameDefines() throws Exception {
        long before = objects(storer);
        long otherBefore = objects(other);
        other.writeNewObjFromBytes(new byte[] {1, 2});
        other.writeNewObjFromBytes(new byte[] {3});
        assertEquals(otherBefore + 2, objects(other));
        assertEquals(before, objects(storer));
        assertTrue(AdapterChecks.referenceCount(GlassFishStores.OTHER) >= 1);
    }

    private static long objects(Storer store) throws Exception {
        return store.unwrap(StatisticsProvider.class).stats().objects();
    }
}
