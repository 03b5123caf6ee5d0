package org.bobbob.rar.it;

import jakarta.annotation.Resource;
import jakarta.ejb.ApplicationException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.util.List;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;

/**
 * A container-managed-transaction bean for {@link TransactionIT}: each method writes blobs through
 * the adapter inside the caller's (or its own) JTA transaction, then ends as its name says. The ids
 * go into the caller's list as they are written (a local call passes the list itself).
 */
@Stateless
public class TransactionalWriterBean {
    /** An application exception that does not roll back. */
    @ApplicationException(rollback = false)
    public static class KeepIt extends Exception {
        private static final long serialVersionUID = 1L;
    }

    @Resource(lookup = "java:/bobbob/DefaultStore")
    StoreConnectionFactory factory;

    @Resource
    SessionContext context;

    private void write(int n, List<Long> ids) throws IOException, ResourceException {
        try (StoreConnection store = factory.getConnection()) {
            for (int i = 0; i < n; i++) {
                ids.add(store.writeNewObjFromBytes(("blob " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
    }

    /** Writes, then fails with a system exception: the transaction rolls back. */
    public void writeThenThrow(int n, List<Long> ids) throws IOException, ResourceException {
        write(n, ids);
        throw new IllegalStateException("after " + n + " writes");
    }

    /** Writes, then marks the transaction for rollback. */
    public void writeThenRollbackOnly(int n, List<Long> ids) throws IOException, ResourceException {
        write(n, ids);
        context.setRollbackOnly();
    }

    /** Writes, then throws an application exception that keeps the transaction. */
    public void writeThenKeep(int n, List<Long> ids) throws IOException, ResourceException, KeepIt {
        write(n, ids);
        throw new KeepIt();
    }

    /** Writes and returns: committed. */
    public void writeAndCommit(int n, List<Long> ids) throws IOException, ResourceException {
        write(n, ids);
    }

    /** Overwrites a blob with {@code data} and deletes another, in one transaction. */
    public void overwriteAndDelete(long overwrite, byte[] data, long delete) throws IOException, ResourceException {
        try (StoreConnection store = factory.getConnection()) {
            store.writeBytesToObj(overwrite, data);
            store.deleteObj(delete);
        }
    }
}
