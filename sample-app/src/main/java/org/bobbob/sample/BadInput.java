package org.bobbob.sample;

/** A request the API refuses, with the HTTP status to refuse it with. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadInput(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static long parseId(String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadInput(400, "'" + raw + "' is not an object id (a positive whole number)");
    }
}
