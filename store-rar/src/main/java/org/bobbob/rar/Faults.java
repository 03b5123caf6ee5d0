package org.bobbob.rar;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreCorruptedException;
import org.bobbob.store.StoreException;

/**
 * Which errors break a connection, and with it its shared store, and which are the caller's own.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>error</th><th>fatal</th><th>why</th></tr>
 *   <tr><td>{@link StoreCorruptedException}</td><td>yes</td><td>the file fails its checks</td></tr>
 *   <tr><td>{@link StoreClosedException} from the store</td><td>yes</td><td>the store closed under
 *       the connection (adapter stop, or the engine gave up its file)</td></tr>
 *   <tr><td>other {@link StoreException}s</td><td>no</td><td>the request was wrong: unknown id,
 *       write past the end, unsupported capability, store full</td></tr>
 *   <tr><td>{@link InterruptedIOException}</td><td>no</td><td>the caller was interrupted while
 *       waiting; nothing touched the file</td></tr>
 *   <tr><td>any other {@link IOException}</td><td>yes</td><td>the file system failed</td></tr>
 * </table>
 * A closed <em>handle</em> is checked by the adapter before the store is called, so its
 * {@code StoreClosedException} never reaches this table.
 */
final class Faults {
    private Faults() {}

    static boolean isFatal(IOException e) {
        if (e instanceof StoreCorruptedException || e instanceof StoreClosedException) {
            return true;
        }
        return !(e instanceof StoreException) && !(e instanceof InterruptedIOException);
    }
}
