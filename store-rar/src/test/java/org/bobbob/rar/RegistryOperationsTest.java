package org.bobbob.rar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.bobbob.store.MultiStore;
import org.bobbob.store.Storer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry MBean's operations backup and verify, on the store its connections hold open. */
class RegistryOperationsTest {
    private static final String[] BACKUP = {String.class.getName(), String.class.getName()};
    private static final String[] VERIFY = {String.class.getName(), boolean.class.getName()};

    @TempDir
    Path dir;

    StoreResourceAdapter adapter;

    @BeforeEach
    void start() {
        adapter = Adapters.started();
    }

    @AfterEach
    void stop() {
        adapter.stop();
    }

    @Test
    void backupAndVerifyRunOnTheOpenStoreThroughTheMBean() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = adapter.mbeanName();
        StoreConnectionFactory factory =
                Adapters.pooled(Adapters.factory(adapter, dir.resolve("live.bob"), "multi"), new FakePool());
        String path = dir.toRealPath().resolve("live.bob").toString();
        Map<Long, byte[]> written = new HashMap<>();
        try (StoreConnection c = factory.getConnection()) {
            for (int i = 0; i < 50; i++) {
                byte[] data = new byte[i * 31];
                java.util.Arrays.fill(data, (byte) i);
                written.put(c.writeNewObjFromBytes(data), data); // not synced: the backup's sync point covers them
            }
            Path copy = dir.resolve("copy.bob");
            String summary = (String) server.invoke(name, "backup", new Object[] {path, copy.toString()}, BACKUP);
            assertTrue(summary.startsWith("backup of " + path + " to " + copy + ": 50 objects, "), summary);
            assertTrue(summary.contains("writers paused at most "), summary);
            String verified = (String) server.invoke(name, "verify", new Object[] {path, true}, VERIFY);
            assertTrue(verified.startsWith("ok: 50 objects, 50 read ("), verified);

            try (Storer s = MultiStore.open(copy, 0)) {
                for (Map.Entry<Long, byte[]> e : written.entrySet()) {
                    assertArrayEquals(e.getValue(), s.readBytesFromObj(e.getKey()));
                }
            }
            RuntimeMBeanException exists = assertThrows(
                    RuntimeMBeanException.class,
                    () -> server.invoke(name, "backup", new Object[] {path, copy.toString()}, BACKUP));
            assertEquals(IllegalStateException.class, exists.getCause().getClass());
            assertTrue(
                    exists.getCause().getMessage().startsWith("[BOB-204] "),
                    exists.getCause().getMessage());
            assertEquals(null, exists.getCause().getCause(), "a remote client reads it without bobbob's classes");
        }
        RuntimeMBeanException notOpen = assertThrows(
                RuntimeMBeanException.class,
                () -> server.invoke(name, "verify", new Object[] {dir + "/none.bob", false}, VERIFY));
        assertEquals(IllegalArgumentException.class, notOpen.getCause().getClass());
        assertTrue(
                notOpen.getCause().getMessage().contains(path),
                notOpen.getCause().getMessage());
        assertFalse(MBeanException.class.isInstance(notOpen));
    }

    @Test
    void aRelativeTargetLandsInTheServersDataDirectoryAndVerifyNamesProblemsByCode() throws Exception {
        StoreRegistry registry = adapter.registry();
        StoreConnectionFactory factory =
                Adapters.pooled(Adapters.factory(adapter, dir.resolve("s.bob"), "basic"), new FakePool());
        String path = dir.toRealPath().resolve("s.bob").toString();
        String before = System.getProperty(StorePaths.BASE_DIR_PROPERTY);
        System.setProperty(StorePaths.BASE_DIR_PROPERTY, dir.toString());
        try (StoreConnection c = factory.getConnection()) {
            c.writeNewObjFromBytes(new byte[] {1});
            String summary = registry.backup(path, "backups/one.bob");
            fail(summary);
        } catch (IllegalStateException missingDirectory) {
            assertTrue(missingDirectory.getMessage().startsWith("[BOB-203] "), missingDirectory.getMessage());
        } finally {
            restore(before);
        }
        Files.createDirectories(dir.resolve("backups"));
        System.setProperty(StorePaths.BASE_DIR_PROPERTY, dir.toString());
        try (StoreConnection c = factory.getConnection()) {
            c.writeNewObjFromBytes(new byte[] {2});
            String summary = registry.backup(path, "backups/one.bob");
            assertTrue(summary.contains(dir.resolve("backups/one.bob").toString()), summary);
            assertTrue(Files.exists(dir.resolve("backups/one.bob")));
            assertEquals("ok: 2 objects", registry.verify(path, false));
        } finally {
            restore(before);
        }
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    private static void restore(String before) {
        if (before == null) {
            System.clearProperty(StorePaths.BASE_DIR_PROPERTY);
        } else {
            System.setProperty(StorePaths.BASE_DIR_PROPERTY, before);
        }
    }
}
