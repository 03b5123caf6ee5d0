package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without an application server: JCA non-managed mode, one managed connection per handle. */
class NonManagedModeTest {
    @TempDir
    Path dir;

    @Test
    void eachHandleHasItsOwnManagedConnectionAndTheLastCloseClosesTheStore() throws Exception {
        StoreResourceAdapter adapter = Adapters.started();
        StoreManagedConnectionFactory mcf = Adapters.factory(adapter, dir.resolve("s.bob"), "multi");
        StoreConnectionFactory factory = (StoreConnectionFactory) mcf.createConnectionFactory();
        StoreRegistry registry = adapter.registry();

        long id;
        try (StoreConnection a = factory.getConnection();
                StoreConnection b = factory.getConnection()) {
            id = a.writeNewObjFromBytes(new byte[] {5, 6});
            assertArrayEquals(new byte[] {5, 6}, b.readBytesFromObj(id));
            String path = registry.getPaths()[0];
            assertEquals(2, registry.referenceCount(path));
        }
        assertEquals(0, registry.getOpenStores());
        try (StoreConnection c = factory.getConnection()) {
            assertArrayEquals(new byte[] {5, 6}, c.readBytesFromObj(id));
        }
        adapter.stop();
    }
}
