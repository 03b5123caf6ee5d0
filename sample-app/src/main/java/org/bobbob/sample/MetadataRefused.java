package org.bobbob.sample;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;

/**
 * The database refused a blob's row (a value too long for its column, a duplicate key, ...). Thrown
 * inside the blob's transaction, which it rolls back; {@link DatabaseErrorMapper} answers with
 * {@link #status()}: 400 for a value the column does not take (SQLState class 22), 409 for a
 * violated constraint (class 23), 500 otherwise.
 */
final class MetadataRefused extends PersistenceException {
    private static final long serialVersionUID = 1L;
    private final long id;
    private final int status;

    MetadataRefused(long id, String consequence, PersistenceException cause) {
        super("the database refused the blob's metadata (" + reason(cause) + "); " + consequence, cause);
        this.id = id;
        String state = sqlState(cause);
        this.status = state.startsWith("22") ? 400 : state.startsWith("23") ? 409 : 500;
    }

    /** The blob the row was for. */
    long id() {
        return id;
    }

    int status() {
        return status;
    }

    /**
     * The database's own words, from the innermost {@link SQLException} in {@code e}'s causes
     * (without the SQL statement H2 appends), or {@code e}'s message if there is none.
     */
    static String reason(Throwable e) {
        SQLException sql = sqlException(e);
        if (sql == null) {
            return String.valueOf(e.getMessage());
        }
        String message = String.valueOf(sql.getMessage());
        int statement = message.indexOf("; SQL statement:");
        return "SQLState " + sql.getSQLState() + ": " + (statement < 0 ? message : message.substring(0, statement));
    }

    private static String sqlState(Throwable e) {
        SQLException sql = sqlException(e);
        return sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    }

    private static SQLException sqlException(Throwable e) {
        SQLException found = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException s) {
                found = s;
            }
        }
        return found;
    }
}
