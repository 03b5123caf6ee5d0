package org.bobbob.rar.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The archives the ITs deploy: always the RAR the build made, never one assembled by hand. */
final class ItArchives {
    /** The deployment name; WARs name its module, {@code deployment.store-rar.rar}. */
    static final String RAR = "store-rar.rar";

    private ItArchives() {}

    /** {@code target/store-rar.rar} as built, with its own {@code ironjacamar.xml}. */
    static ResourceAdapterArchive builtRar() {
        String path = System.getProperty("store.rar");
        if (path == null) {
            throw new IllegalStateException(
                    "system property store.rar (the built .rar) is not set; run through failsafe");
        }
        return ShrinkWrap.createFromZipFile(ResourceAdapterArchive.class, new File(path));
    }

    /** The built RAR with its {@code ironjacamar.xml} replaced by test resource {@code it/<descriptor>}. */
    static ResourceAdapterArchive builtRar(String descriptor) {
        ResourceAdapterArchive rar = builtRar();
        rar.delete("META-INF/ironjacamar.xml");
        rar.addAsManifestResource("it/" + descriptor, "ironjacamar.xml");
        return rar;
    }

    /**
     * A WAR deployed next to the RAR: no bobbob jar inside, the API comes from the RAR's module
     * through {@code WEB-INF/jboss-deployment-structure.xml}.
     */
    static WebArchive warBesideTheRar(String name, Class<?>... classes) {
        return ShrinkWrap.create(WebArchive.class, name)
                .addClasses(classes)
                .addAsWebInfResource("it/jboss-deployment-structure.xml", "jboss-deployment-structure.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }
}
