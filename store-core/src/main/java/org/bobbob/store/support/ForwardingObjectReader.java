package org.bobbob.store.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bobbob.store.ObjectReader;

/**
 * An {@link ObjectReader} that forwards to another one and runs {@link HandleHooks} around it:
 * see {@link ForwardingHandle} for the contract.
 *
 * <pre>{@code
 * ObjectReader r = new ForwardingObjectReader(store.lateReadObj(id), new HandleHooks() {
 *     public void closed(ForwardingHandle<?> handle) {
 *         lease.close();                      // give the connection back once the finisher ran
 *     }
 * });
 * }</pre>
 */
public final class ForwardingObjectReader extends ForwardingHandle<ObjectReader> implements ObjectReader {

    /** Stands in front of {@code delegate}, which it owns from now on. */
    public ForwardingObjectReader(ObjectReader delegate, HandleHooks hooks) {
        super(delegate, delegate.id(), delegate.size(), hooks);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return transfer(dst, ObjectReader::read);
    }
}
