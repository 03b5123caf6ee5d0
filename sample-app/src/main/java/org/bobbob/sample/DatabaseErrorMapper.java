package org.bobbob.sample;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Database errors as JSON answers: a refused row ({@link MetadataRefused}) with its status and the
 * blob's id ({@code {"status","error","id"}}); any other failure of the database as a 500 with the
 * database's message.
 */
@Provider
public class DatabaseErrorMapper implements ExceptionMapper<PersistenceException> {
    @Override
    public Response toResponse(PersistenceException e) {
        if (e instanceof MetadataRefused refused) {
            return ApiError.of(refused.status(), refused.getMessage(), refused.id());
        }
        return ApiError.of(
                Response.Status.INTERNAL_SERVER_ERROR, "the blob database failed: " + MetadataRefused.reason(e));
    }
}
