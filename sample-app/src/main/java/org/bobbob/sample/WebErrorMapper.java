package org.bobbob.sample;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The errors the REST runtime itself raises (no resource at a path, a method a resource does
 * not have, a media type it does not take) in the API's one JSON shape, so a client never gets
 * an empty or HTML body from {@code /api}. The status and an {@code Allow} header are kept.
 */
@Provider
public class WebErrorMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String message = e instanceof NotFoundException
                ? "no resource at /api/" + uri.getPath().replaceFirst("^/", "")
                        + " (the API is /api/blobs, /api/blobs/{id}, /api/store and /api/health)"
                : original.getStatusInfo().getReasonPhrase() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Response json = ApiError.of(status, message);
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        return allow == null
                ? json
                : Response.fromResponse(json).header(HttpHeaders.ALLOW, allow).build();
    }
}
