package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.naming.InitialContext;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RAR packaged in an EAR beside a WAR: with WildFly's default (subdeployments not isolated)
 * the WAR sees the RAR subdeployment's classes without any descriptor.
 */
@ExtendWith(ArquillianExtension.class)
class EarPackagingIT {

    @Deployment
    static EnterpriseArchive ear() {
        WebArchive web = ShrinkWrap.create(WebArchive.class, "web.war").addClass(EarPackagingIT.class);
        return ShrinkWrap.create(EnterpriseArchive.class, "bobbob-it.ear")
                .addAsModule(ItArchives.builtRar("ear-ironjacamar.xml"))
                .addAsModule(web);
    }

    @Test
    void theWarUsesTheAdapterOfItsEar() throws Exception {
        StoreConnectionFactory factory = (StoreConnectionFactory) new InitialContext().lookup("java:/bobbob/EarStore");
        try (StoreConnection store = factory.getConnection()) {
            long id = store.writeNewObjFromBytes(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, store.readBytesFromObj(id));
        }
        String loader = StoreConnectionFactory.class.getClassLoader().toString();
        assertTrue(loader.contains("deployment.bobbob-it.ear." + ItArchives.RAR), loader);
    }
}
