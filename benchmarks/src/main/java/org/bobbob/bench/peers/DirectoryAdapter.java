package org.bobbob.bench.peers;

import java.nio.file.Path;
import org.bobbob.bench.StoreAdapter;

/**
 * A peer store kept in {@link #dir}: the subclass's {@link #open()} opens it, from the
 * subclass's constructor and again on {@link #reopen()}.
 */
abstract class DirectoryAdapter implements StoreAdapter {
    final Path dir;

    DirectoryAdapter(Path dir) {
        this.dir = dir;
    }

    /** Opens the store in {@link #dir}: a new one, or the one a {@link #close()} left. */
    abstract void open();

    @Override
    public final void reopen() {
        open();
    }

    @Override
    public final Path dir() {
        return dir;
    }
}
