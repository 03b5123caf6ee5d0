package org.bobbob.rar.it;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.resource.ResourceException;
import java.io.IOException;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;

/**
 * {@link AdapterCostServlet}'s operation (a 4 KiB write and its read) in a stateless EJB, once in
 * a container-managed transaction and once outside any.
 */
@Stateless
public class CostBean {
    @Resource(lookup = "java:/bobbob/CostStore")
    StoreConnectionFactory factory;

    /** In the transaction the container begins for the call and commits when it returns. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long inTransaction(byte[] data) throws IOException, ResourceException {
        return writeAndRead(data);
    }

    /** Outside any transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long outside(byte[] data) throws IOException, ResourceException {
        return writeAndRead(data);
    }

    private long writeAndRead(byte[] data) throws IOException, ResourceException {
        try (StoreConnection c = factory.getConnection()) {
            long id = c.writeNewObjFromBytes(data);
            c.readBytesFromObj(id);
            return id;
        }
    }
}
