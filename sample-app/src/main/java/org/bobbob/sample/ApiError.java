package org.bobbob.sample;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one shape of every error the API returns: {@code {"status": 404, "error": "..."}}, with
 * {@code "id"} (a decimal string) when the error concerns one blob that the request wrote.
 */
final class ApiError {
    private ApiError() {}

    static Response of(Response.Status status, String message) {
        return of(status.getStatusCode(), message);
    }

    static Response of(int status, String message) {
        return builder(status, message).build();
    }

    static Response of(int status, String message, long id) {
        return of(
                status,
                Json.createObjectBuilder()
                        .add("status", status)
                        .add("error", message)
                        .add("id", Long.toString(id)));
    }

    /** The error's response, for a caller that adds headers. */
    static Response.ResponseBuilder builder(int status, String message) {
        return json(status, Json.createObjectBuilder().add("status", status).add("error", message));
    }

    private static Response of(int status, JsonObjectBuilder json) {
        return json(status, json).build();
    }

    private static Response.ResponseBuilder json(int status, JsonObjectBuilder json) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json.build().toString());
    }
}
