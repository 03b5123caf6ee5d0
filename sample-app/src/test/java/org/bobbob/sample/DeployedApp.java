package org.bobbob.sample;

import java.net.URI;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.ResourceAdapterArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The adapter and the app as the build makes them, deployed in that order into the Arquillian
 * server, for tests that drive the app from outside as a client.
 */
@ExtendWith(ArquillianExtension.class)
abstract class DeployedApp {

    @Deployment(name = "rar", order = 1, testable = false)
    static ResourceAdapterArchive rar() {
        return Http.rar();
    }

    @Deployment(name = "war", order = 2, testable = false)
    static WebArchive war() {
        return Http.war();
    }

    @ArquillianResource
    @OperateOnDeployment("war")
    URL url;

    /** The app's root, {@code http://host:port/sample-app/}. */
    URI base() throws Exception {
        return url.toURI();
    }
}
