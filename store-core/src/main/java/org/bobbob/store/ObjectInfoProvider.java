package org.bobbob.store;

import java.util.Optional;

/**
 * Optional capability: where an object lives. Obtain it with
 * {@code store.unwrap(ObjectInfoProvider.class)}.
 */
public interface ObjectInfoProvider {

    /** The object's placement, or empty if {@code id} is not a live object. Never throws for a bad id. */
    Optional<ObjectInfo> objectInfo(long id);
}
