package org.bobbob.rar;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import java.io.Serializable;

/**
 * What applications look up or inject: the connection factory of one connection definition, e.g.
 * {@code @Resource(lookup = "java:/bobbob/DefaultStore") StoreConnectionFactory stores;}.
 * Thread-safe; Serializable and Referenceable so that it can be bound in JNDI.
 */
public interface StoreConnectionFactory extends Serializable, Referenceable {

    /**
     * A connection handle from the pool. Close it (try-with-resources) when done.
     *
     * @throws ResourceException if no connection can be had: the pool is exhausted until its
     *     blocking timeout, or the store cannot be opened (the message names the config property)
     */
    StoreConnection getConnection() throws ResourceException;
}
