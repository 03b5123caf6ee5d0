package org.bobbob.rar.it;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.ObjectWriter;

/**
 * For {@link TransactionIT}: a blob in bobbob and a row naming it in an XA datasource, in one
 * container-managed transaction per call. A singleton with no container locking, so that calls
 * from many threads run at once.
 */
@Singleton
@jakarta.ejb.ConcurrencyManagement(jakarta.ejb.ConcurrencyManagementType.BEAN)
public class BlobAndRowBean {
    @Resource(lookup = "java:/bobbob/DefaultStore")
    StoreConnectionFactory factory;

    @Resource(lookup = "java:jboss/datasources/BlobsXaDS")
    DataSource db;

    @PostConstruct
    void table() {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS blobs (name VARCHAR(100) PRIMARY KEY, blob_id BIGINT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code data} as a blob and a row naming it; a name already taken fails the insert and
     * the whole transaction. Returns the blob's id.
     */
    public long blobAndRow(String name, byte[] data) throws Exception {
        long id;
        try (StoreConnection store = factory.getConnection()) {
            id = store.writeNewObjFromBytes(data);
        }
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (name, blob_id) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setLong(2, id);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("the row for " + name + " failed after blob " + id, e);
        }
        return id;
    }

    /** Inserts a row, then fails in bobbob (an id that names nothing): neither stays. */
    public void rowThenStoreFailure(String name) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO blobs (name, blob_id) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setLong(2, -1);
            insert.executeUpdate();
        }
        try (StoreConnection store = factory.getConnection()) {
            store.writeBytesToObj(Long.MAX_VALUE >>> 2, new byte[] {1});
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the store refused the write", e);
        }
    }

    /**
     * Adds one to the 8-byte counter blob and records {@code name}, in one transaction. The writer
     * is opened before the read: it takes the object, so the read sees the last committed value and
     * no increment is lost.
     */
    public void increment(long counter, String name) throws Exception {
        try (StoreConnection store = factory.getConnection()) {
            ObjectWriter hold = store.writeToObj(counter); // taken: its copy is the latest committed value
            hold.close();
            long value = ByteBuffer.wrap(store.readBytesFromObj(counter)).getLong();
            store.writeBytesToObj(
                    counter, ByteBuffer.allocate(8).putLong(value + 1).array());
        }
        blobAndRow(name, new byte[] {2});
    }

    /** The blob id the row for {@code name} names, or -1 if there is no row. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public long rowOf(String name) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT blob_id FROM blobs WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }
}
