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

    /**
     * Query parameter {@code name}: {@code fallback} when absent, else a whole number from
     * {@code min} to {@code max}.
     */
    static int parseInt(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(raw.trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadInput(
                400, "'" + raw + "' is not a valid " + name + " (a whole number from " + min + " to " + max + ")");
    }
}
