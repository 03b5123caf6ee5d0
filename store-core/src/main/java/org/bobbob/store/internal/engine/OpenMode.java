package org.bobbob.store.internal.engine;

/** How a store factory treats the file it is given. Public for the factories in {@code org.bobbob.store}. */
public enum OpenMode {
    /** The file must be missing or empty; a new store is written. */
    CREATE,
    /** The file must exist and be a store. */
    OPEN,
    /** A new store if the file is missing or empty, otherwise open it. */
    CREATE_OR_OPEN;

    /** Whether the file may be created (every mode but {@link #OPEN}). */
    public boolean mayCreateFile() {
        return this != OPEN;
    }
}
