package org.bobbob.sample;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Bad input found by the resources themselves ({@link BadInput}): a 4xx with a JSON body. */
@Provider
public class BadRequestMapper implements ExceptionMapper<BadInput> {
    @Override
    public Response toResponse(BadInput e) {
        return ApiError.of(e.status(), e.getMessage());
    }
}
