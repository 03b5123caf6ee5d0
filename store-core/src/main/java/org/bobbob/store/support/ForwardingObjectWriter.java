package org.bobbob.store.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.bobbob.store.ObjectWriter;

/**
 * An {@link ObjectWriter} that forwards to another one and runs {@link HandleHooks} around it:
 * see {@link ForwardingHandle} for the contract. Writes keep the delegate's all-or-nothing rule
 * ({@code WriteLimitExceededException}).
 */
public final class ForwardingObjectWriter extends ForwardingHandle<ObjectWriter> implements ObjectWriter {

    /** Stands in front of {@code delegate}, which it owns from now on. */
    public ForwardingObjectWriter(ObjectWriter delegate, HandleHooks hooks) {
        super(delegate, delegate.id(), delegate.size(), hooks);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return transfer(src, ObjectWriter::write);
    }
}
