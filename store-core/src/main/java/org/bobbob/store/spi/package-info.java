/**
 * The provider SPI: a {@link org.bobbob.store.spi.StoreProvider} listed in
 * {@code META-INF/services/org.bobbob.store.spi.StoreProvider} (or {@code provides} in a module)
 * adds a kind of store that {@link org.bobbob.store.StoreManager}, the resource adapter and the
 * CDI module open by URL; {@link org.bobbob.store.spi.StoreUrl} is a parsed URL. The built-in
 * kinds {@code basic} and {@code multi} are providers too.
 */
package org.bobbob.store.spi;
