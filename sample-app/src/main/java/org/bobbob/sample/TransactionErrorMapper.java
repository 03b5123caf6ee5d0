package org.bobbob.sample;

import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A transaction of {@link Blobs} that could not commit (it timed out, a resource refused to
 * prepare): it is rolled back, so neither the blob nor its row changed. A 500 with the reason.
 */
@Provider
public class TransactionErrorMapper implements ExceptionMapper<TransactionalException> {
    @Override
    public Response toResponse(TransactionalException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return ApiError.of(
                Response.Status.INTERNAL_SERVER_ERROR,
                "the transaction did not commit; nothing changed: "
                        + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
