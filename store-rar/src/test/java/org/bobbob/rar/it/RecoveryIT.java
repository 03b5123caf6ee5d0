package org.bobbob.rar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery for real: a WildFly this test starts itself (not the Arquillian-managed one),
 * with the built RAR and its shipped {@code ironjacamar.xml}, an H2 XA datasource and
 * {@link RecoveryServlet}. One JTA transaction writes a blob and the database row naming it; the
 * server halts after both prepared, before either committed ({@link HaltOnCommit}). While it is
 * down the store file holds one branch in doubt; the test restarts the server, asks
 * Narayana for recovery scans through the transactions subsystem's recovery listener, and finds
 * the blob and its row committed and no branch left in doubt.
 */
class RecoveryIT {
    /** Beside the Arquillian-managed server (offset 0): HTTP 8380, recovery listener 5012. */
    private static final int OFFSET = 300;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private OwnServer server;
    private Path storeFile;

    @Test
    void aServerHaltedBetweenPrepareAndCommitCommitsTheBlobAndItsRowWhenItComesBack() throws Exception {
        prepareServer();
        String storePath = "-Dbobbob.store.path=" + storeFile;
        OwnServer.Running running = server.start(storePath);
        try {
            assertEquals("ok", get("setup"));
            assertThrows(IOException.class, () -> get("halt?name=first"), "the server halts in the commit");
            assertEquals(HaltOnCommit.STATUS, running.exit(), "the server's exit status: halted by HaltOnCommit");
        } finally {
            running.stop();
        }

        try (Storer store = StoreManager.open("bobbob:multi:" + storeFile)) {
            TransactionCounts counts = store.unwrap(TransactionalStore.class).transactionCounts();
            assertEquals(1, counts.inDoubt(), "the store keeps the prepared branch while the server is down");
            assertEquals(0, counts.active(), "and no other transaction");
        }

        running = server.start(storePath);
        try {
            // Narayana acts on a transaction its log names in the second pass that sees it: a few scans
            String done = "row=\\d+ blob=ok inDoubt=0 active=0";
            String state = get("check?name=first");
            for (int scan = 0; scan < 5 && !state.matches(done); scan++) {
                recoveryScan();
                state = get("check?name=first");
            }
            assertTrue(
                    state.matches(done),
                    "after recovery the blob and its row are committed, nothing in doubt: " + state);
        } finally {
            running.stop();
        }
    }

    /** A fresh copy of the unpacked server's standalone/, the recovery listener on, both deployments in. */
    private void prepareServer() throws IOException {
        server = new OwnServer("recovery-server", OFFSET);
        Path base = server.base();
        storeFile = base.resolve("data/recovery.bob");
        String listener = "<recovery-environment socket-binding=\"txn-recovery-environment\"";
        server.editConfig(listener, listener + " recovery-listener=\"true\"");

        Path deployments = server.deployments();
        Files.copy(Path.of(OwnServer.required("store.rar")), deployments.resolve(ItArchives.RAR));
        String datasource = "<datasources xmlns=\"http://www.jboss.org/ironjacamar/schema\">"
                + "<xa-datasource jndi-name=\"java:jboss/datasources/RecoveryXaDS\" pool-name=\"RecoveryXaDS\">"
                + "<xa-datasource-property name=\"URL\">jdbc:h2:" + base.resolve("data/recovery-db")
                + ";WRITE_DELAY=0</xa-datasource-property><driver>h2</driver>" // a prepare is on disk when it returns
                + "<security><user-name>sa</user-name><password>sa</password></security>"
                + "</xa-datasource></datasources>";
        ItArchives.warBesideTheRar("recovery-it.war", RecoveryServlet.class, HaltOnCommit.class)
                .addAsWebInfResource(new StringAsset(datasource), "recovery-xa-ds.xml")
                .as(ZipExporter.class)
                .exportTo(deployments.resolve("recovery-it.war").toFile());
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.http("recovery-it/recovery/" + path))
                        .timeout(Duration.ofMinutes(1))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** One full pass of Narayana's recovery modules, run now: the listener answers DONE when it ends. */
    private void recoveryScan() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.recoveryListenerPort()), 10_000);
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write("SCAN\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("DONE", answer, "the recovery listener's answer to SCAN");
        }
    }
}
