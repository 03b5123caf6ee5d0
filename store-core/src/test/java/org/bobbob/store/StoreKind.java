package org.bobbob.store;

import java.io.IOException;
import java.nio.file.Path;

/** The ways a test can make a store, so one test body runs on each. */
enum StoreKind {
    BASIC {
        @Override
        Storer create(Path p) throws IOException {
            return BasicStore.create(p);
        }

        @Override
        Storer open(Path p) throws IOException {
            return BasicStore.open(p);
        }
    },
    MULTI {
        @Override
        Storer create(Path p) throws IOException {
            return MultiStore.create(p, 0);
        }

        @Override
        Storer open(Path p) throws IOException {
            return MultiStore.open(p, 0);
        }
    },
    CONCURRENT_BASIC {
        @Override
        Storer create(Path p) throws IOException {
            return ConcurrentStore.wrap(BasicStore.create(p), 0);
        }

        @Override
        Storer open(Path p) throws IOException {
            return ConcurrentStore.wrap(BasicStore.open(p), 0);
        }
    },
    CONCURRENT_MULTI {
        @Override
        Storer create(Path p) throws IOException {
            return MultiStore.createConcurrent(p, 0);
        }

        @Override
        Storer open(Path p) throws IOException {
            return MultiStore.openConcurrent(p, 0);
        }
    };

    abstract Storer create(Path p) throws IOException;

    abstract Storer open(Path p) throws IOException;
}
