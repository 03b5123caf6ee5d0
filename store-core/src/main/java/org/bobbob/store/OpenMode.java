package org.bobbob.store;

/** How a store factory treats the file it is given. */
enum OpenMode {
    /** The file must be missing or empty; a new store is written. */
    CREATE,
    /** The file must exist and be a store. */
    OPEN,
    /** A new store if the file is missing or empty, otherwise open it. */
    CREATE_OR_OPEN;

    boolean mayCreateFile() {
        return this != OPEN;
    }
}
