package org.bobbob.store.internal.tx;

import java.io.IOException;
import javax.transaction.xa.XAResource;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.StoreException;
import org.bobbob.store.Storer;
import org.bobbob.store.XAStoreConnection;
import org.bobbob.store.support.Errors;
import org.bobbob.store.support.ForwardingStorer;

/**
 * An {@link XAStoreConnection}: its {@link XaResource}, and a Storer that forwards each call to the
 * branch associated with the connection ({@link Txn}) or, with none, to the store's front.
 */
final class XaConnection implements XAStoreConnection {
    private final TxManager manager;
    private final XaResource resource;
    private final Storer storer = new Calls();
    /** The branch's calls while one is associated with this connection; null otherwise. */
    private volatile Txn associated;

    private volatile boolean closed;

    XaConnection(TxManager manager) {
        this.manager = manager;
        this.resource = new XaResource(manager, this);
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    @Override
    public Storer getStorer() {
        return storer;
    }

    @Override
    public boolean isAssociated() {
        return associated != null;
    }

    /** Associates {@code b} with this connection (start); null ends the association (end). */
    void associate(Branch b) {
        associated = b == null ? null : new Txn(manager, b, false);
    }

    /** The association's Txn, to close its handles at end; null if none. */
    Txn associated() {
        return associated;
    }

    @Override
    public void close() {
        closed = true;
        associated = null;
    }

    /** Where a call goes now. */
    private Storer target() throws StoreException {
        if (closed) {
            throw Errors.closed("XA connection of " + manager.name());
        }
        Txn t = associated;
        return t != null ? t : manager.engine().front();
    }

    /** The connection's Storer: each call to the associated branch or the front; closing it does nothing. */
    private final class Calls extends ForwardingStorer {
        @Override
        protected <T> T call(StoreCall<T> call) throws IOException {
            return call.apply(target());
        }

        @Override
        public ObjectWriter lateWriteNewObj(int size) throws IOException {
            return target().lateWriteNewObj(size);
        }

        @Override
        public ObjectReader lateReadObj(long id) throws IOException {
            return target().lateReadObj(id);
        }

        @Override
        public ObjectWriter writeToObj(long id) throws IOException {
            return target().writeToObj(id);
        }

        @Override
        public void close() {
            // the connection's to close
        }

        @Override
        public String toString() {
            return "Storer of an XA connection to " + manager.name();
        }
    }
}
