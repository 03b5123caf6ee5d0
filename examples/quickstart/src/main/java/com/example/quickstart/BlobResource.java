package com.example.quickstart;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.URI;
import org.bobbob.cdi.Store;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.StatisticsProvider;
import org.bobbob.store.Storer;

/**
 * Blobs over HTTP, in two stores: {@code /api/blobs} is the default store, {@code /api/archive}
 * the store named {@code archive}. Ids are decimal strings; an unknown id is {@code 404}.
 *
 * <ul>
 *   <li>{@code POST /api/blobs}, {@code POST /api/archive}: the body becomes a new blob; {@code 201}
 *       with its id as the body and its address in {@code Location}
 *   <li>{@code GET /api/blobs/{id}}, {@code GET /api/archive/{id}}: the blob's bytes
 *   <li>{@code POST /api/blobs/pair?fail=false}: the body as two new blobs in one transaction;
 *       {@code 201} with both ids. With {@code fail=true} the transaction fails after both writes:
 *       {@code 409} with the two ids, neither of which exists
 *   <li>{@code GET /api/stores}: how many objects each store holds, {@code default=N archive=M}
 * </ul>
 */
@Path("/")
@RequestScoped
public class BlobResource {
    /** The default store: the connection factory at java:/bobbob/DefaultStore. */
    @Inject
    Storer blobs;

    /** The store named archive: bobbob.store.archive.jndi in microprofile-config.properties. */
    @Inject
    @Store("archive")
    Storer archive;

    @Inject
    PairWriter pairs;

    @POST
    @Path("blobs")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public Response writeBlob(byte[] body, @Context UriInfo uri) throws IOException {
        return created(uri, blobs.writeNewObjFromBytes(body));
    }

    @GET
    @Path("blobs/{id}")
    public Response readBlob(@PathParam("id") long id) throws IOException {
        return read(blobs, id);
    }

    @POST
    @Path("archive")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public Response archive(byte[] body, @Context UriInfo uri) throws IOException {
        return created(uri, archive.writeNewObjFromBytes(body));
    }

    @GET
    @Path("archive/{id}")
    public Response readArchived(@PathParam("id") long id) throws IOException {
        return read(archive, id);
    }

    @POST
    @Path("blobs/pair")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.TEXT_PLAIN)
    public Response writePair(byte[] body, @QueryParam("fail") boolean fail) throws IOException {
        try {
            long[] ids = pairs.writeTwice(body, fail);
            return Response.status(Response.Status.CREATED)
                    .entity(ids[0] + " " + ids[1])
                    .build();
        } catch (PairWriter.Refused refused) {
            // the transaction is rolled back: the two ids name nothing
            return Response.status(Response.Status.CONFLICT)
                    .entity(refused.first() + " " + refused.second())
                    .build();
        }
    }

    @GET
    @Path("stores")
    @Produces(MediaType.TEXT_PLAIN)
    public String stores() throws IOException {
        return "default=" + objects(blobs) + " archive=" + objects(archive);
    }

    private static long objects(Storer store) throws IOException {
        return store.unwrap(StatisticsProvider.class).stats().objects();
    }

    private static Response created(UriInfo uri, long id) {
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(id)).build();
        return Response.created(location).entity(Long.toString(id)).build();
    }

    private static Response read(Storer store, long id) throws IOException {
        try {
            return Response.ok(store.readBytesFromObj(id), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .build();
        } catch (ObjectNotFoundException e) {
            return Response.status(Response.Status.NOT_FOUND)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(e.getMessage())
                    .build();
        }
    }
}
