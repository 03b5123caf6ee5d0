package org.bobbob.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link StoreVerifier#verify} found.
 *
 * @param problems  every problem, each with its error code; empty when the store is healthy
 * @param notes     what is worth knowing but harmless (a torn older header slot, in-doubt
 *                  transaction branches)
 * @param objects   live objects the checked state holds
 * @param objectsRead objects read and compared with their checksums ({@code readAll}; else 0)
 * @param bytesRead bytes of those objects
 */
public record VerifyReport(List<Problem> problems, List<String> notes, long objects, long objectsRead, long bytesRead) {

    /** Copies the lists: the report is immutable. */
    public VerifyReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** Whether no problem was found. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * One problem.
     *
     * @param code    what kind of problem ({@link ErrorCode#CORRUPTED} for damaged metadata,
     *                {@link ErrorCode#CHECKSUM_MISMATCH} for an object whose bytes differ from its
     *                checksum, and so on; docs/ERRORS.md says what to do)
     * @param id      the object it concerns, or 0
     * @param message what is wrong, and where
     */
    public record Problem(ErrorCode code, long id, String message) {
        public Problem {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return code.message(message);
        }
    }
}
