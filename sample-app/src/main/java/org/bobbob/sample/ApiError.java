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
        return of(status, Json.createObjectBuilder().add("status", status).add("error", message));
    }

    static Response of(int status, String message, long id) {
        return of(
                status,
                Json.createObjectBuilder()
                        .add("status", status)
                        .add("error", message)
                        .add("id", Long.toString(id)));
    }

    private static Response of(int status, JsonObjectBuilder json) {
        String body = json.build().toString();
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }
}
