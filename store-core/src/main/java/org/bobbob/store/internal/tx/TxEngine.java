package org.bobbob.store.internal.tx;

import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;

/**
 * What transactions need of the engine below them. Implemented by the engine; every call is
 * thread-safe.
 */
public interface TxEngine {

    /** The branches the store's records name. Touch only inside {@link #change}. */
    TxTable table();

    /** The store calls outside transactions go to (with its object locks and {@link TxLocks} checks). */
    Storer front();

    /**
     * A new object of {@code data}, owned by a branch: {@code owner} receives its id under the
     * metadata lock, before any record can name the object.
     */
    long writeNew(byte[] data, LongConsumer owner) throws IOException;

    /** A new object of {@code size} bytes (zeros where not written), as {@link #writeNew}. */
    ObjectWriter lateWriteNew(int size, LongConsumer owner) throws IOException;

    /** A branch's own object (new, or a shadow): nobody else knows it, so no object lock. */
    ObjectReader readOwn(long id) throws IOException;

    /** As {@link #readOwn}, the whole object. */
    byte[] readOwnBytes(long id) throws IOException;

    /** A writer over a branch's own object, from its start. */
    ObjectWriter writeOwn(long id) throws IOException;

    /** Where a live object lies and its size, empty when there is none (see {@code ObjectInfoProvider}). */
    java.util.Optional<org.bobbob.store.ObjectInfo> objectInfo(long id);

    /** The size of a live object; throws ObjectNotFoundException when there is none. */
    int sizeOf(long id) throws IOException;

    /**
     * Copies {@code shadow} over {@code target} (same size) under the target's exclusive object
     * lock, without waiting for {@link TxLocks} (the committing branch holds it).
     */
    void copyOver(long shadow, long target) throws IOException;

    /** The table's branches as of now (a copy, taken under the metadata lock); changes nothing. */
    List<Branch> branches() throws IOException;

    /**
     * Under the metadata lock: frees {@code frees} (live objects), then runs {@code change} (of the
     * table or its branches); returns the ticket a record must cover to include it.
     */
    long change(long[] frees, Runnable change) throws IOException;

    /**
     * As {@link #change}, for a commit's deletes: an object a call outside the transaction is still
     * reading (an open Late reader) is deleted keeping its space until that reader closes, so that
     * nothing new is written under it. By default, {@link #change}.
     */
    default long changeDeleting(long[] deletes, Runnable change) throws IOException {
        return change(deletes, change);
    }

    /**
     * Returns once a record that covers {@code ticket} is durable: syncs unless a sync that started
     * after the change already did (group commit).
     */
    void durable(long ticket) throws IOException;

    /** The lock timeout in milliseconds (URL key {@code lockTimeoutMillis}). */
    long lockTimeoutMillis();

    /** What messages call the store. */
    String name();
}
