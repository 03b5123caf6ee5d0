package org.bobbob.rar.it;

import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.ConnectionFactoryDefinitions;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

/**
 * The connection factories of the GlassFish ITs, defined the portable way: the standalone RAR
 * deployed as {@code store-rar.rar} is resource adapter {@code store-rar}. Relative paths resolve
 * against the server's working directory (GlassFish: {@code domains/domain1/config}).
 */
@ConnectionFactoryDefinitions({
    @ConnectionFactoryDefinition(
            name = GlassFishStores.DEFAULT,
            interfaceName = "org.bobbob.rar.StoreConnectionFactory",
            resourceAdapter = GlassFishStores.ADAPTER,
            transactionSupport = TransactionSupportLevel.XATransaction,
            minPoolSize = 0,
            maxPoolSize = 20,
            properties = {"path=bobbob-it/shared.bob"}),
    @ConnectionFactoryDefinition(
            name = "java:app/bobbob/SameStore",
            interfaceName = "org.bobbob.rar.StoreConnectionFactory",
            resourceAdapter = GlassFishStores.ADAPTER,
            transactionSupport = TransactionSupportLevel.XATransaction,
            properties = {"path=bobbob-it/shared.bob"}),
    @ConnectionFactoryDefinition(
            name = "java:app/bobbob/OtherStore",
            interfaceName = "org.bobbob.rar.StoreConnectionFactory",
            resourceAdapter = GlassFishStores.ADAPTER,
            transactionSupport = TransactionSupportLevel.XATransaction,
            properties = {"path=bobbob-it/other.bob"})
})
public final class GlassFishStores {
    /** The resource adapter's name in GlassFish: the RAR's deployment name without {@code .rar}. */
    static final String ADAPTER = "store-rar";

    static final String DEFAULT = "java:app/bobbob/DefaultStore";

    /** The ends of the two store files' canonical paths. */
    static final String SHARED = "/bobbob-it/shared.bob";

    static final String OTHER = "/bobbob-it/other.bob";

    private GlassFishStores() {}
}
