package org.bobbob.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.StoreStats;
import org.bobbob.store.Storer;

/**
 * {@code /api/store} (counts and sizes) and {@code /api/health} (is the store reachable). A store
 * that keeps no statistics (an {@code s3} store: counting would list the bucket) answers
 * {@code "statistics": false} and no figures; its health is that a connection to it can be had.
 */
@Path("")
@RequestScoped
public class StoreResource {
    @Inject
    Storer storer;

    @GET
    @Path("store")
    @Produces(MediaType.APPLICATION_JSON)
    public String stats() throws Exception {
        return statsJson().build().toString();
    }

    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        try {
            return Response.ok(statsJson().add("status", "UP").build().toString())
                    .build();
        } catch (Exception e) {
            String body = Json.createObjectBuilder()
                    .add("status", "DOWN")
                    .add("error", String.valueOf(e.getMessage()))
                    .build()
                    .toString();
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(body)
                    .build();
        }
    }

    private JsonObjectBuilder statsJson() throws Exception {
        if (!storer.isWrapperFor(StatisticsProvider.class)) {
            return Json.createObjectBuilder().add("statistics", false);
        }
        StoreStats s = storer.unwrap(StatisticsProvider.class).stats();
        return Json.createObjectBuilder()
                .add("statistics", true)
                .add("objects", s.objects())
                .add("liveBytes", s.liveBytes())
                .add("fileBytes", s.fileBytes())
                .add("freeBytes", s.freeBytes())
                .add("syncs", s.syncs());
    }
}
