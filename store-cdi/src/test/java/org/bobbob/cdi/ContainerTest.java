package org.bobbob.cdi;

import java.nio.file.Path;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the tests that run each test in a Weld SE container of its own: system
 * properties set for the test ({@link #props}), a directory for its store files ({@link #dir}),
 * and the {@link #container}, which the subclass boots before each test ({@link WeldSe#boot}) and
 * which is shut down after it, once the subclass's own {@code @AfterEach} methods have run.
 */
abstract class ContainerTest {
    @RegisterExtension
    final SystemProps props = new SystemProps();

    @TempDir
    Path dir;

    WeldContainer container;

    @AfterEach
    void shutdownContainer() {
        container.shutdown();
    }
}
