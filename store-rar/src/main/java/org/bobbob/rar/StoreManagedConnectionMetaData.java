package org.bobbob.rar;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Product name and version for the server's tools. Immutable. */
final class StoreManagedConnectionMetaData implements ManagedConnectionMetaData {
    /** The product name reported to the server. */
    static final String PRODUCT = "bobbob";

    @Override
    public String getEISProductName() {
        return PRODUCT;
    }

    /** The {@code Implementation-Version} of the adapter's jar, or {@code "development"} outside one. */
    @Override
    public String getEISProductVersion() {
        String version = StoreManagedConnectionMetaData.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** No limit of the store's own; the pool's size is the limit. */
    @Override
    public int getMaxConnections() {
        return 0;
    }

    /** Stores have no users. */
    @Override
    public String getUserName() {
        return null;
    }
}
