package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @Store("name")} picks a store by configuration; one store per name. */
class NamedStoresTest extends ContainerTest {
    @ApplicationScoped
    static class Stores {
        @Inject
        Storer plain;

        @Inject
        @Store
        Storer noValue;

        @Inject
        @Store(Store.DEFAULT)
        Storer namedDefault;

        @Inject
        @Store("orders")
        Storer orders;

        @Inject
        @Store("archive")
        Storer archive;

        @Inject
        @Any
        Instance<Storer> any;

        Storer plain() {
            return plain;
        }

        Storer noValue() {
            return noValue;
        }

        Storer namedDefault() {
            return namedDefault;
        }

        Storer orders() {
            return orders;
        }

        Storer archive() {
            return archive;
        }

        Instance<Storer> any() {
            return any;
        }
    }

    @BeforeEach
    void boot() {
        props.set("bobbob.store.default.url", "bobbob:multi:" + dir.resolve("default.bob"))
                .set("bobbob.store.orders.url", "bobbob:multi:" + dir.resolve("orders.bob"))
                .set("bobbob.store.archive.url", "bobbob:basic:" + dir.resolve("archive.bob") + "?diskTokens=2");
        container = WeldSe.boot(Stores.class);
    }

    @Test
    void theDefaultStoreIsPlainStoreWithNoValueAndStoreDefault() {
        Stores s = container.select(Stores.class).get();
        assertSame(s.plain(), s.noValue());
        assertSame(s.plain(), s.namedDefault());
    }

    @Test
    void eachNameIsItsOwnStoreInItsOwnFile() throws IOException {
        Stores s = container.select(Stores.class).get();
        for (int i = 0; i < 3; i++) {
            s.orders().writeNewObjFromBytes(("order " + i).getBytes());
        }
        s.archive().writeNewObjFromBytes("archived".getBytes());

        assertEquals(0, objects(s.plain()));
        assertEquals(3, objects(s.orders()));
        assertEquals(1, objects(s.archive()));
        assertTrue(s.archive().isWrapperFor(org.bobbob.store.RunAllocator.class), "the basic store's capability");
        assertTrue(Files.size(dir.resolve("orders.bob")) > 0);
        assertTrue(Files.exists(dir.resolve("archive.bob")));
    }

    @Test
    void programmaticLookupByNameGivesTheSameStoreAsInjection() throws IOException {
        Stores s = container.select(Stores.class).get();
        assertSame(s.orders(), s.any().select(Store.Literal.of("orders")).get());
        assertSame(
                s.archive(),
                CDI.current().select(Storer.class, Store.Literal.of("archive")).get());
        assertSame(s.plain(), container.select(Storer.class).get());

        long id = s.any().select(Store.Literal.of("orders")).get().writeNewObjFromBytes(new byte[] {5});
        assertArrayEquals(new byte[] {5}, s.orders().readBytesFromObj(id));
    }

    private static long objects(Storer storer) throws IOException {
        return storer.unwrap(StatisticsProvider.class).stats().objects();
    }
}
