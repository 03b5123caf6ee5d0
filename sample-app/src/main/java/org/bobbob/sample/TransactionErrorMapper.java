package org.bobbob.sample;

import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A transaction of {@link Blobs} that did not commit (it timed out, a resource refused to
 * prepare: the cause is a {@link RollbackException}, and neither the blob nor its row changed; or
 * a heuristic outcome the transaction manager reports as such). A 500 with the reason.
 */
@Provider
public class TransactionErrorMapper implements ExceptionMapper<TransactionalException> {
    @Override
    public Response toResponse(TransactionalException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String what = cause instanceof RollbackException
                ? "the transaction was rolled back; nothing changed: "
                : "the transaction failed: ";
        return ApiError.of(
                Response.Status.INTERNAL_SERVER_ERROR,
                what + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
