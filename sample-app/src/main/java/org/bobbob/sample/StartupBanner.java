package org.bobbob.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;

/** Logs where the app answers once it is deployed, so the one-command run says what to open. */
@ApplicationScoped
public class StartupBanner {
    private static final System.Logger LOG = System.getLogger(StartupBanner.class.getName());

    void deployed(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        String port = System.getProperty("jboss.http.port", "8080");
        LOG.log(System.Logger.Level.INFO, "bobbob sample app is up: http://localhost:" + port + context.getContextPath() + "/");
    }
}
