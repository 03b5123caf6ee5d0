/**
 * bobbob's store: the API ({@code org.bobbob.store}) and the provider SPI
 * ({@code org.bobbob.store.spi}) for everyone; the support package (the error factory, forwarding
 * handles, the capability proxy) only for bobbob's adapter and CDI modules; the engine
 * ({@code org.bobbob.store.internal.*}) for no one. See docs/DESIGN.md.
 */
// The adapter, CDI and S3 modules are automatic modules (WildFly loads them from the class path), so
// javac cannot see them when it compiles this one; the qualified export is right all the same.
@SuppressWarnings("module")
module org.bobbob.store {
    requires transitive java.transaction.xa;
    requires static jdk.jfr; // flight-recorder events when the runtime has them (internal.events.Events)

    exports org.bobbob.store;
    exports org.bobbob.store.spi;
    exports org.bobbob.store.support to
            org.bobbob.rar,
            org.bobbob.cdi,
            org.bobbob.store.s3;

    uses org.bobbob.store.spi.StoreProvider;

    provides org.bobbob.store.spi.StoreProvider with
            org.bobbob.store.spi.BasicStoreProvider,
            org.bobbob.store.spi.MultiStoreProvider;
}
