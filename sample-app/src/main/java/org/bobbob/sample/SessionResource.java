package org.bobbob.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /api/session}: who the request's credentials name and what they may do, for the page's
 * login: {@code {"user","writer","reader","readsPublic"}} ({@code user} absent when anonymous).
 * Wrong credentials are a 401 ({@link Access}).
 */
@Path("session")
@RequestScoped
public class SessionResource {
    @Context
    HttpServletRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String session() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        if (request.getUserPrincipal() != null) {
            json.add("user", request.getUserPrincipal().getName());
        }
        boolean writer = request.isUserInRole(Access.WRITER);
        return json.add("writer", writer)
                .add("reader", writer || request.isUserInRole(Access.READER) || Access.readsPublic())
                .add("readsPublic", Access.readsPublic())
                .build()
                .toString();
    }
}
