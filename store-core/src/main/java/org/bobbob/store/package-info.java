/**
 * The API of bobbob: what applications program against.
 *
 * <ul>
 *   <li>{@link org.bobbob.store.Storer}, {@link org.bobbob.store.ObjectReader},
 *       {@link org.bobbob.store.ObjectWriter}: the contract of every store;
 *   <li>optional capabilities, reached through {@code unwrap}/{@code isWrapperFor}:
 *       {@link org.bobbob.store.RunAllocator}, {@link org.bobbob.store.ObjectInfoProvider},
 *       {@link org.bobbob.store.StatisticsProvider};
 *   <li>{@link org.bobbob.store.StoreManager}: any store from a {@code bobbob:<kind>:...} URL;
 *   <li>{@link org.bobbob.store.BasicStore}, {@link org.bobbob.store.MultiStore},
 *       {@link org.bobbob.store.ConcurrentStore}: the public factories of the built-in stores;
 *   <li>{@link org.bobbob.store.StoreException} and its subclasses, each with an
 *       {@link org.bobbob.store.ErrorCode}.
 * </ul>
 * The engine behind the factories lives in {@code org.bobbob.store.internal}, which is not part
 * of the API.
 */
package org.bobbob.store;
