package org.bobbob.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.Storer;

/**
 * {@code /api/blobs}: create, read, overwrite, delete blobs, and the listing of their metadata.
 * Bodies stream through the store's Late handles in 64 KiB chunks, so a 200 MiB upload or
 * download never needs 200 MiB of heap. Changes go through {@link Blobs}, which writes each blob
 * and its row ({@link BlobInfo}) in one transaction. Ids travel as decimal strings (they can
 * exceed JavaScript's exact integers).
 */
@Path("blobs")
@RequestScoped
public class BlobResource {
    static final int CHUNK = Blobs.CHUNK;
    /** The form field a multipart upload carries its file in. */
    static final String FORM_FIELD = "file";
    /** Rows per page of the listing when the request names no {@code limit}, and the most it may. */
    static final int DEFAULT_LIMIT = 20;

    static final int MAX_LIMIT = 100;

    @Inject
    Storer storer;

    @Inject
    Blobs blobs;

    @Inject
    OpenHandles handles;

    /**
     * The stored blobs' metadata, newest first, {@code limit} rows (1 to {@value #MAX_LIMIT},
     * default {@value #DEFAULT_LIMIT}) from row {@code offset} (default 0):
     * {@code {"offset","limit","total","items":[{"id","name","contentType","size","sha256","created"}]}}.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list(@QueryParam("offset") String rawOffset, @QueryParam("limit") String rawLimit) {
        int offset = BadInput.parseInt("offset", rawOffset, 0, 0, Integer.MAX_VALUE);
        int limit = BadInput.parseInt("limit", rawLimit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        Blobs.Page page = blobs.page(offset, limit);
        JsonArrayBuilder items = Json.createArrayBuilder();
        for (BlobInfo info : page.items()) {
            items.add(info.toJson());
        }
        return Json.createObjectBuilder()
                .add("offset", offset)
                .add("limit", limit)
                .add("total", page.total())
                .add("items", items)
                .build()
                .toString();
    }

    /**
     * A new blob from the body, under the name in {@code X-Filename} and the body's
     * {@code Content-Type}; 201 with {@code Location} and its metadata
     * ({@code {"id","name","contentType","size","sha256","created"}}).
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @HeaderParam("X-Filename") String name,
            @Context HttpHeaders headers,
            @Context UriInfo uri)
            throws IOException {
        long length = contentLength(contentLength);
        String type = typeOrDefault(headers.getMediaType());
        String filename = name == null ? "" : name;
        BlobInfo info;
        if (length >= 0) {
            info = blobs.create(body, length, filename, type);
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                info = blobs.create(in, spool.size(), filename, type);
            }
        }
        return created(info, uri);
    }

    /**
     * A new blob from the part named {@code file} of an HTML form or {@code curl -F file=@x}
     * upload: the part's bytes are stored, not the MIME envelope, under the part's file name and
     * media type. Its size is unknown until it ends, so it is spooled to a temporary file first.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createFromForm(List<EntityPart> parts, @Context UriInfo uri) throws IOException {
        EntityPart file = parts.stream()
                .filter(p -> p.getName().equals(FORM_FIELD))
                .findFirst()
                .orElseThrow(() -> new BadInput(
                        400,
                        "a multipart/form-data upload needs a part named '" + FORM_FIELD
                                + "' (curl -F " + FORM_FIELD + "=@photo.jpg); or send the bytes as the body: "
                                + "curl --data-binary @photo.jpg -H 'X-Filename: photo.jpg'"));
        try (InputStream content = file.getContent();
                Spool spool = Spool.of(content);
                InputStream in = spool.open()) {
            BlobInfo info = blobs.create(in, spool.size(), file.getFileName().orElse(""), partType(file));
            return created(info, uri);
        }
    }

    private static Response created(BlobInfo info, UriInfo uri) {
        URI location =
                uri.getAbsolutePathBuilder().path(Long.toString(info.id())).build();
        return Response.created(location).entity(info.toJson().toString()).build();
    }

    /**
     * The blob's bytes, streamed, with {@code Content-Length} and the {@code Content-Type} it was
     * uploaded with ({@code application/octet-stream} for a blob without a row).
     */
    @GET
    @Path("{id}")
    public Response read(@PathParam("id") String rawId) throws IOException {
        long id = BadInput.parseId(rawId);
        ObjectReader reader = handles.track(storer.lateReadObj(id));
        StreamingOutput body = out -> {
            try (reader) {
                byte[] buf = new byte[CHUNK];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                int n;
                while ((n = reader.read(bb.clear())) >= 0) {
                    out.write(buf, 0, n);
                }
            }
        };
        return Response.ok(body)
                .type(storedType(id))
                .header(HttpHeaders.CONTENT_LENGTH, reader.size())
                .build();
    }

    /** The blob's size as {@code Content-Length} and its {@code Content-Type}, no body. */
    @HEAD
    @Path("{id}")
    public Response head(@PathParam("id") String rawId) throws IOException {
        long id = BadInput.parseId(rawId);
        try (ObjectReader reader = storer.lateReadObj(id)) {
            return Response.ok()
                    .type(storedType(id))
                    .header(HttpHeaders.CONTENT_LENGTH, reader.size())
                    .build();
        }
    }

    /**
     * Overwrites the blob in place, and its row's size and SHA-256 (and content type, if the
     * request has one), in one transaction. The body must have exactly the blob's size: a shorter
     * one is 409, a longer one 413, and in both cases nothing is written.
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Response overwrite(
            @PathParam("id") String rawId,
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @Context HttpHeaders headers)
            throws IOException {
        long id = BadInput.parseId(rawId);
        long length = contentLength(contentLength);
        MediaType given = headers.getMediaType();
        String type = given == null ? null : given.toString();
        if (length >= 0) {
            blobs.overwrite(id, body, length, type);
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                blobs.overwrite(id, in, spool.size(), type);
            }
        }
        return Response.noContent().build();
    }

    /** Deletes the blob and its row, in one transaction. */
    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String rawId) throws IOException {
        blobs.delete(BadInput.parseId(rawId));
        return Response.noContent().build();
    }

    private String storedType(long id) {
        BlobInfo info = blobs.find(id);
        return info == null ? MediaType.APPLICATION_OCTET_STREAM : info.contentType();
    }

    /**
     * The part's {@code Content-Type} as the client sent it: the parser's {@link
     * EntityPart#getMediaType()} adds MIME's default {@code charset=us-ascii} to a {@code text/*}
     * type without one, which would mislabel the UTF-8 files browsers send as {@code text/csv}.
     */
    private static String partType(EntityPart part) {
        String sent = part.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        return sent == null || sent.isBlank()
                ? typeOrDefault(part.getMediaType())
                : MediaType.valueOf(sent.trim()).toString();
    }

    private static String typeOrDefault(MediaType type) {
        return type == null ? MediaType.APPLICATION_OCTET_STREAM : type.toString();
    }

    private static long contentLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            long n = Long.parseLong(header.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadInput(400, "bad Content-Length '" + header + "'");
    }
}
