package org.bobbob.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.bobbob.store.StoreManager;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionalStore;
import org.bobbob.store.XAStoreConnection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness check in Weld SE over embedded stores (the MicroProfile Health API is on this
 * execution's class path): UP for usable stores, DOWN for one that cannot be opened and for an XA
 * branch in doubt past the threshold, which is read on every check.
 */
class StoreReadinessTest {
    @RegisterExtension
    final SystemProps props = new SystemProps();

    @TempDir
    Path dir;

    @Dependent
    static class TwoStores {
        @Inject
        Storer main;

        @Inject
        @Store("orders")
        Storer orders;
    }

    private record TestXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }
    }

    private String url(String file) {
        return "bobbob:multi:" + dir.resolve(file);
    }

    private static HealthCheckResponse check(WeldContainer container) {
        return container
                .select(HealthCheck.class, Readiness.Literal.INSTANCE)
                .get()
                .call();
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    @Test
    void usableStoresAreUpWithOneEntryPerInjectedName() {
        props.set("bobbob.store.default.url", url("main.bob")).set("bobbob.store.orders.url", url("orders.bob"));
        try (WeldContainer container = WeldSe.boot(TwoStores.class)) {
            HealthCheckResponse r = check(container);
            assertEquals(StoreReadiness.NAME, r.getName());
            assertEquals(HealthCheckResponse.Status.UP, r.getStatus(), r::toString);
            assertEquals(Map.of("default", "UP", "orders", "UP"), data(r));
        }
    }

    @Test
    void aStoreThatCannotBeOpenedIsDownWithTheReason() throws IOException {
        Files.write(dir.resolve("orders.bob"), "not a store at all, but long enough".getBytes(StandardCharsets.UTF_8));
        props.set("bobbob.store.default.url", url("main.bob")).set("bobbob.store.orders.url", url("orders.bob"));
        try (WeldContainer container = WeldSe.boot(TwoStores.class)) {
            HealthCheckResponse r = check(container);
            assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus(), r::toString);
            assertEquals("UP", data(r).get("default"));
            assertTrue(String.valueOf(data(r).get("orders")).contains("[BOB-710]"), r::toString);
        }
    }

    @Test
    void aBranchInDoubtIsDownFromTheThresholdOn() throws Exception {
        try (Storer store = StoreManager.open(url("orders.bob"));
                XAStoreConnection c = store.unwrap(TransactionalStore.class).openXAConnection()) {
            Xid xid = new TestXid(7, new byte[] {1}, new byte[] {2});
            XAResource xa = c.getXAResource();
            xa.start(xid, XAResource.TMNOFLAGS);
            c.getStorer().writeNewObjFromBytes(new byte[] {4, 2});
            xa.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa.prepare(xid));
        } // closed with the branch prepared: in doubt when the store opens again
        props.set("bobbob.store.default.url", url("main.bob")).set("bobbob.store.orders.url", url("orders.bob"));
        props.set(StoreReadiness.IN_DOUBT_KEY, "3600000");
        try (WeldContainer container = WeldSe.boot(TwoStores.class)) {
            assertEquals(HealthCheckResponse.Status.UP, check(container).getStatus(), "younger than an hour");
            props.set(StoreReadiness.IN_DOUBT_KEY, "0");
            HealthCheckResponse r = check(container);
            assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus(), r::toString);
            assertTrue(String.valueOf(data(r).get("orders")).startsWith("1 XA branch(es) in doubt"), r::toString);
            assertEquals("UP", data(r).get("default"));
        }
    }
}
