package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.bobbob.store.Storer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** How the producers get into a container: through the extension, exactly once. */
class DiscoveryTest {
    @RegisterExtension
    final SystemProps props = new SystemProps();

    @TempDir
    Path dir;

    @Dependent
    static class Client {
        @Inject
        Storer storer;
    }

    @Test
    void theExtensionComesFromServiceLoaderAndDefinesEachProducerOnce() {
        props.set("bobbob.store.default.url", "bobbob:multi:" + dir.resolve("d.bob"));
        try (WeldContainer c = WeldSe.boot(Client.class)) {
            Set<Bean<?>> beans = c.getBeanManager().getBeans(Storer.class);
            assertEquals(1, beans.size(), beans.toString());
            assertTrue(StorerBeans.isOurs(beans.iterator().next()));
            assertEquals(
                    1,
                    c.getBeanManager()
                            .getBeans(Storer.class, Store.Literal.of("x"))
                            .size());
        }
    }

    @Test
    void withDiscoveryOffTheExtensionIsAddedByHand() throws IOException {
        props.set("bobbob.store.default.url", "bobbob:multi:" + dir.resolve("d.bob"));
        Weld weld = new Weld(UUID.randomUUID().toString())
                .disableDiscovery()
                .addExtension(new StoreExtension())
                .addBeanClasses(Client.class);
        try (WeldContainer c = weld.initialize()) {
            Storer storer = c.select(Client.class).get().storer;
            long id = storer.writeNewObjFromBytes(new byte[] {4, 2});
            assertArrayEquals(new byte[] {4, 2}, storer.readBytesFromObj(id));
        }
    }
}
