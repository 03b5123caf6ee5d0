package org.bobbob.sample;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StoreClosedException;
import org.bobbob.store.StoreException;
import org.bobbob.store.WriteLimitExceededException;

/**
 * Store errors as HTTP answers with a JSON body: a missing object is 404, a body larger than
 * its object 413, a store being shut down 503; anything else from the store is a 500 whose body
 * carries the store's error code, so a report can quote it.
 */
@Provider
public class StoreErrorMapper implements ExceptionMapper<StoreException> {
    @Override
    public Response toResponse(StoreException e) {
        if (e instanceof ObjectNotFoundException) {
            return ApiError.of(Response.Status.NOT_FOUND, e.getMessage());
        }
        if (e instanceof WriteLimitExceededException) {
            return ApiError.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        }
        if (e instanceof StoreClosedException) {
            return ApiError.of(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return ApiError.of(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
    }
}
