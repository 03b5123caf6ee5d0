/**
 * CDI integration: {@code @Inject Storer} and {@code @Inject @Store("name") Storer} in any bean,
 * in an application server (connections from the resource adapter's pool, through JNDI) and in
 * plain Java (Weld SE: an embedded store opened from a URL and closed with the container).
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class Images {
 *     @Inject Storer storer;                        // bobbob.store.default.* (java:/bobbob/DefaultStore)
 *     @Inject @Store("thumbs") Storer thumbs;       // bobbob.store.thumbs.*
 *
 *     public long save(byte[] png) throws IOException {
 *         return storer.writeNewObjFromBytes(png);  // one pooled connection, taken and given back
 *     }
 * }
 * }</pre>
 *
 * <h2>How it fits together</h2>
 * <table>
 *   <caption>Classes</caption>
 *   <tr><th>class</th><th>job</th></tr>
 *   <tr><td>{@link org.bobbob.cdi.Store}</td><td>the qualifier that names a store</td></tr>
 *   <tr><td>{@link org.bobbob.cdi.StoreExtension}</td><td>adds the {@code Storer} beans, validates configuration at
 *       deployment, closes embedded stores at shutdown</td></tr>
 *   <tr><td>{@code StorerBeans}</td><td>the two {@code @Dependent} synthetic beans</td></tr>
 *   <tr><td>{@code StoreSources}</td><td>one facade per store name per container</td></tr>
 *   <tr><td>{@code StoreSettings}, {@code ConfigLookup}</td><td>what a name means: JNDI or URL, read from
 *       MicroProfile Config or system properties</td></tr>
 *   <tr><td>{@code StorerFacade}</td><td>the injected {@code Storer}: one connection per call</td></tr>
 *   <tr><td>{@code JndiSource}, {@code EmbeddedSource}</td><td>where connections come from</td></tr>
 *   <tr><td>{@code LeasedHandle}</td><td>the hooks of Late handles that hold their connection until
 *       closed (capability views, one connection per call, are made in {@code StorerFacade}); both are
 *       built from {@code org.bobbob.store.support}</td></tr>
 *   <tr><td>{@code CdiErrors}, {@link org.bobbob.cdi.StoreConfigurationException}</td><td>every error,
 *       {@code [BOB-7xx]}, naming the key to fix</td></tr>
 * </table>
 * The user guide, configuration keys and error codes are in {@code docs/CDI.md}.
 */
package org.bobbob.cdi;
