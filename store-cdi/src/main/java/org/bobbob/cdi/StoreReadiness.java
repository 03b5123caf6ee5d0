package org.bobbob.cdi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bobbob.store.Storer;
import org.bobbob.store.TransactionCounts;
import org.bobbob.store.TransactionalStore;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The readiness check ({@code @Readiness}, MicroProfile Health) of the stores an application
 * injects: named {@value #NAME}, UP when every store is usable, DOWN when one is not, with one
 * data entry per store name ({@code "UP"} or why not).
 *
 * <p>A store is DOWN when
 * <ul>
 *   <li>no connection can be had: the store cannot be opened (a missing, locked or damaged file, a
 *       bad URL), the resource adapter refuses it because it failed after an I/O error or its file
 *       went away ({@code [BOB-611]}: read-only to everyone until it reopens), nothing is bound at
 *       its JNDI name, or the pool gives none;
 *   <li>an XA branch has been in doubt (prepared, not yet decided by its transaction manager) for
 *       {@value #IN_DOUBT_KEY} milliseconds or more (default {@value #DEFAULT_IN_DOUBT_MILLIS}): the
 *       objects it holds block every writer, and recovery is not finishing it.
 * </ul>
 *
 * <p>Each call takes one connection per store, as an injected {@code Storer}'s call does, and
 * gives it back; an embedded store that was never used is opened by the first check. Made only
 * where the MicroProfile Health API is visible ({@link StoreExtension}); this is the only class,
 * with {@link HealthBeans}, that links against it. Thread-safe.
 */
final class StoreReadiness implements HealthCheck {
    /** The check's name in the health report. */
    static final String NAME = "bobbob";
    /** The configuration key of the in-doubt threshold, in milliseconds. */
    static final String IN_DOUBT_KEY = "bobbob.health.inDoubtMillis";

    static final long DEFAULT_IN_DOUBT_MILLIS = 60_000;

    private final StoreSources sources;
    private final Supplier<Collection<String>> names;

    /**
     * @param sources the container's stores
     * @param names the store names to check, asked on every call (the injected ones)
     */
    StoreReadiness(StoreSources sources, Supplier<Collection<String>> names) {
        this.sources = sources;
        this.names = names;
    }

    @Override
    public HealthCheckResponse call() {
        long threshold = inDoubtThreshold();
        Map<String, Object> data = new LinkedHashMap<>();
        HealthCheckResponse.Status status = HealthCheckResponse.Status.UP;
        for (String name : List.copyOf(names.get())) {
            Optional<String> problem = check(name, threshold);
            data.put(name, problem.orElse("UP"));
            if (problem.isPresent()) {
                status = HealthCheckResponse.Status.DOWN;
            }
        }
        // the constructor, not HealthCheckResponse.named(): that needs the implementation's
        // provider, which a container with only the API (a test, Weld SE) does not have
        return new HealthCheckResponse(NAME, status, data.isEmpty() ? Optional.empty() : Optional.of(data));
    }

    /** Why store {@code name} is not ready, or empty. */
    private Optional<String> check(String name, long inDoubtThreshold) {
        try (ConnectionSource.Lease lease = sources.facade(name).source().acquire()) {
            Storer store = lease.storer();
            if (!store.isWrapperFor(TransactionalStore.class)) {
                return Optional.empty();
            }
            TransactionCounts tx = store.unwrap(TransactionalStore.class).transactionCounts();
            if (tx.inDoubt() > 0 && tx.oldestInDoubtMillis() >= inDoubtThreshold) {
                return Optional.of(tx.inDoubt() + " XA branch(es) in doubt, the oldest for "
                        + tx.oldestInDoubtMillis() + " ms (" + IN_DOUBT_KEY + "=" + inDoubtThreshold
                        + "): its transaction manager has not decided it");
            }
            return Optional.empty();
        } catch (Exception e) { // whatever keeps the store from being used is the answer
            return Optional.of(reason(e));
        }
    }

    /** {@code e}'s message, and its root cause's when that is another (the adapter's reason, say). */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(e.getMessage());
        return root == e || root.getMessage() == null || message.contains(root.getMessage())
                ? message
                : message + "; caused by: " + root.getMessage();
    }

    /** {@value #IN_DOUBT_KEY}, read on every call; the default when unset or not a number ≥ 0. */
    private long inDoubtThreshold() {
        Optional<String> value = sources.config().get(IN_DOUBT_KEY);
        if (value.isEmpty()) {
            return DEFAULT_IN_DOUBT_MILLIS;
        }
        try {
            long millis = Long.parseLong(value.get().trim());
            return millis >= 0 ? millis : DEFAULT_IN_DOUBT_MILLIS;
        } catch (NumberFormatException e) {
            return DEFAULT_IN_DOUBT_MILLIS;
        }
    }

    @Override
    public String toString() {
        return "StoreReadiness" + names.get();
    }
}
