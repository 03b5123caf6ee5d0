package org.bobbob.cdi;

import java.util.Optional;
import java.util.UUID;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/** Boots Weld SE the way an application would, and digs a cause out of a container's exceptions. */
final class WeldSe {
    private WeldSe() {}

    /**
     * A container with discovery on (so {@link StoreExtension} comes from
     * {@code META-INF/services}, as in an application) plus {@code beans}. No test archive has a
     * {@code beans.xml}, so each test's container holds exactly the beans it names.
     */
    static Weld weld(Class<?>... beans) {
        return new Weld(UUID.randomUUID().toString()).addBeanClasses(beans);
    }

    static WeldContainer boot(Class<?>... beans) {
        return weld(beans).initialize();
    }

    /** The first {@code type} in {@code t}'s cause chain or among its suppressed exceptions. */
    static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
            for (Throwable s : c.getSuppressed()) {
                Optional<T> found = find(s, type);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
