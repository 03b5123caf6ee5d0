package org.bobbob.cdi.it;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * Before the deployments: a second activation of store-rar.rar in the resource-adapters subsystem,
 * {@value PoolStats#JNDI} with pool statistics on (an activation from the archive's own
 * {@code ironjacamar.xml} has none), the operations docs/RAR.md's CLI batch sends. Removed after.
 */
public class PooledStoreSetup implements ServerSetupTask {

    private static ModelNode adapter() {
        return Operations.createAddress("subsystem", "resource-adapters", "resource-adapter", PoolStats.ADAPTER);
    }

    @Override
    public void setup(ManagementClient client, String containerId) throws Exception {
        ModelNode ra = adapter();
        ModelNode addRa = Operations.createAddOperation(ra);
        addRa.get("archive").set("store-rar.rar");
        addRa.get("transaction-support").set("XATransaction");
        addRa.get("statistics-enabled").set(true);
        ModelNode cd = ra.clone().add("connection-definitions", PoolStats.JNDI);
        ModelNode addCd = Operations.createAddOperation(cd);
        addCd.get("class-name").set("org.bobbob.rar.StoreManagedConnectionFactory");
        addCd.get("jndi-name").set(PoolStats.JNDI);
        addCd.get("max-pool-size").set(20);
        addCd.get("recovery-username").set("bobbob");
        addCd.get("recovery-password").set("bobbob");
        ModelNode addPath = Operations.createAddOperation(cd.clone().add("config-properties", "path"));
        addPath.get("value").set("bobbob/cdi-it.bob");
        execute(
                client,
                Operations.CompositeOperationBuilder.create()
                        .addStep(addRa)
                        .addStep(addCd)
                        .addStep(addPath)
                        .build()
                        .getOperation());
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) throws Exception {
        execute(client, Operations.createRemoveOperation(adapter()));
    }

    private static void execute(ManagementClient client, ModelNode op) throws Exception {
        ModelNode result = client.getControllerClient().execute(op);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException(op + " failed: " + Operations.getFailureDescription(result));
        }
    }
}
