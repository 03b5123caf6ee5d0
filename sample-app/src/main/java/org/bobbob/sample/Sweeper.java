package org.bobbob.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At deployment, deletes the objects of {@link DoomedObject} rows that a crash (or a failed
 * delete) left behind, then their rows.
 */
@ApplicationScoped
public class Sweeper {
    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());

    @Inject
    Blobs blobs;

    void atStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        try {
            int n = 0;
            for (long id : blobs.doomed()) {
                blobs.discard(id);
                n++;
            }
            if (n > 0) {
                LOG.info("deleted " + n + " replaced or deleted objects left from before the last stop");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "could not delete the objects left from before the last stop; next start retries",
                    e);
        }
    }
}
