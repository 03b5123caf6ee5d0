package org.bobbob.sample;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.bobbob.store.ObjectReader;

/**
 * Readers handed to a streamed response. The response closes its reader when it has written the
 * body; if it never runs (the client went away first, a filter failed), the end of the request
 * closes it here, so a Late handle, and the pooled connection behind it, never outlives the
 * request.
 */
@RequestScoped
public class OpenHandles {
    private final List<ObjectReader> readers = new ArrayList<>();

    ObjectReader track(ObjectReader reader) {
        readers.add(reader);
        return reader;
    }

    @PreDestroy
    void closeAll() {
        for (ObjectReader r : readers) {
            try {
                r.close(); // idempotent: a no-op for readers the response already closed
            } catch (Exception ignored) {
                // the request is over; nothing to report to
            }
        }
    }
}
