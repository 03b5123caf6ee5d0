package org.bobbob.store;

import java.io.IOException;

/**
 * Optional capability: the ids of every live object, for tools that walk a whole store (export,
 * verify, copy to another kind). Obtain it with {@code store.unwrap(ObjectLister.class)}; the s3
 * kind (store-s3: a listing of its prefix) and the file
 * kinds ({@code basic}, {@code multi}) and {@link ConcurrentStore} over them offer it.
 *
 * <p>Thread-safe. The answer is a snapshot of one moment: objects created afterwards are missing
 * from it, and an object deleted afterwards is listed but no longer found
 * ({@link ObjectNotFoundException} when read). Objects a transaction created and has not committed
 * are not listed.
 */
public interface ObjectLister {

    /**
     * The ids of the live objects at one moment, in ascending order, without duplicates. The array
     * is the caller's.
     *
     * @throws StoreClosedException if the store is closed
     * @throws IOException if the store must read its metadata and cannot
     */
    long[] objectIds() throws IOException;

    /**
     * The id of the store's prime object ({@link Storer#primeObject}), or 0 when it has none.
     * Unlike {@code primeObject}, never creates one.
     *
     * @throws StoreClosedException if the store is closed
     */
    long primeObjectId() throws IOException;
}
