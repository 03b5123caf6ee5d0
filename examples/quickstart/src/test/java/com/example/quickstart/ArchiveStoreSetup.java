package com.example.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Before the deployments, runs src/main/cli/archive-store.cli with the server's own
 * {@code jboss-cli.sh}, exactly as the README does: the test checks the script a reader runs.
 */
public class ArchiveStoreSetup implements ServerSetupTask {

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        Path cli = Path.of(property("jboss.home"), "bin", "jboss-cli.sh");
        Process process = new ProcessBuilder(
                        cli.toString(),
                        "--connect",
                        "--controller=" + client.getMgmtAddress() + ":" + client.getMgmtPort(),
                        "--file=" + property("archive.cli"))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(cli + " --file=" + property("archive.cli") + " failed:\n" + output);
        }
    }

    /** Nothing to undo: every run starts from a fresh copy of the server's configuration. */
    @Override
    public void tearDown(ManagementClient client, String containerId) {}

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run through failsafe");
        }
        return value;
    }
}
