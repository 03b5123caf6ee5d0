package org.bobbob.store.tool;

/** Bad arguments: the tool prints the message and the verb's usage, and exits with status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
