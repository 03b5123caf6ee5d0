package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The stores a test body runs on, each made through the public factories: the two bare stores and
 * each wrapped in a {@link ConcurrentStore}.
 */
public enum TestStores {
    BASIC {
        @Override
        public Storer create(Path p) throws IOException {
            return BasicStore.create(p);
        }

        @Override
        public Storer open(Path p) throws IOException {
            return BasicStore.open(p);
        }
    },
    MULTI {
        @Override
        public Storer create(Path p) throws IOException {
            return MultiStore.create(p, 0);
        }

        @Override
        public Storer open(Path p) throws IOException {
            return MultiStore.open(p, 0);
        }
    },
    CONCURRENT_BASIC {
        @Override
        public Storer create(Path p) throws IOException {
            return ConcurrentStore.wrap(BasicStore.create(p), 0);
        }

        @Override
        public Storer open(Path p) throws IOException {
            return ConcurrentStore.wrap(BasicStore.open(p), 0);
        }
    },
    CONCURRENT_MULTI {
        @Override
        public Storer create(Path p) throws IOException {
            return MultiStore.createConcurrent(p, 0);
        }

        @Override
        public Storer open(Path p) throws IOException {
            return MultiStore.openConcurrent(p, 0);
        }
    };

    /** Creates a new store at {@code p}. */
    public abstract Storer create(Path p) throws IOException;

    /** Opens the store at {@code p}. */
    public abstract Storer open(Path p) throws IOException;
}
