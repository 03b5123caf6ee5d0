/**
 * Building blocks for layers that stand in front of a store — a wrapper that adds locks, a
 * resource adapter's connection handle, an injected facade that borrows a pooled connection per
 * call — so that each layer writes only what it adds.
 *
 * <table>
 *   <caption>What is here</caption>
 *   <tr><th>type</th><th>for</th></tr>
 *   <tr><td>{@link org.bobbob.store.support.ForwardingObjectReader},
 *       {@link org.bobbob.store.support.ForwardingObjectWriter}</td>
 *       <td>a Late handle in front of another: refuses calls once closed, closes its delegate once,
 *       and runs {@link org.bobbob.store.support.HandleHooks} (a gate before each call, a say over
 *       each failure, a release at close)</td></tr>
 *   <tr><td>{@link org.bobbob.store.support.ForwardingStorer}</td>
 *       <td>a {@code Storer} whose plain calls each run on a store chosen per call, with the
 *       {@code unwrap}/{@code isWrapperFor} rule of facades</td></tr>
 *   <tr><td>{@link org.bobbob.store.support.CapabilityProxy}</td>
 *       <td>a view of one capability interface that cannot be cast to the store behind it, with
 *       the rule for what such a facade may offer</td></tr>
 * </table>
 *
 * <p>Used by {@code ConcurrentStore} in this module, by the resource adapter (store-rar) and by
 * the CDI module (store-cdi).
 */
package org.bobbob.store.support;
