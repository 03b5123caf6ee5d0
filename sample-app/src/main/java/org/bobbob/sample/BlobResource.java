package org.bobbob.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import org.bobbob.store.ObjectWriter;
import org.bobbob.store.Storer;

/**
 * {@code /api/blobs}: create, read, overwrite, delete blobs. Bodies stream through the store's
 * Late handles in 64 KiB chunks, so a 200 MiB upload or download never needs 200 MiB of heap.
 * Ids travel as decimal strings (they can exceed JavaScript's exact integers).
 */
@Path("blobs")
@RequestScoped
public class BlobResource {
    static final int CHUNK = 64 * 1024;
    /** The form field a multipart upload carries its file in. */
    static final String FORM_FIELD = "file";

    @Inject
    Storer storer;

    @Inject
    RecentUploads recent;

    @Inject
    OpenHandles handles;

    /** The recent uploads, newest first: {@code [{"id","name","size","at"}]}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        return recent.toJson();
    }

    /** A new blob from the body; 201 with {@code Location} and {@code {"id","size"}}. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @HeaderParam("X-Filename") String name,
            @Context UriInfo uri)
            throws IOException {
        long length = contentLength(contentLength);
        long id;
        long size;
        if (length >= 0) {
            id = writeNew(body, length);
            size = length;
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                id = writeNew(in, spool.size());
                size = spool.size();
            }
        }
        return created(id, name == null ? "" : name, size, uri);
    }

    private Response created(long id, String name, long size, UriInfo uri) {
        recent.add(id, name, size);
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(id)).build();
        String json = Json.createObjectBuilder()
                .add("id", Long.toString(id))
                .add("size", size)
                .build()
                .toString();
        return Response.created(location).entity(json).build();
    }

    /**
     * A new blob from the part named {@code file} of an HTML form or {@code curl -F file=@x}
     * upload: the part's bytes are stored, not the MIME envelope, under the part's file name.
     * Its size is unknown until it ends, so it is spooled to a temporary file first.
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
            long id = writeNew(in, spool.size());
            return created(id, file.getFileName().orElse(""), spool.size(), uri);
        }
    }

    /** The blob's bytes, streamed, with {@code Content-Length}. */
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response read(@PathParam("id") String rawId) throws IOException {
        ObjectReader reader = handles.track(storer.lateReadObj(BadInput.parseId(rawId)));
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
                .header(HttpHeaders.CONTENT_LENGTH, reader.size())
                .build();
    }

    /** The blob's size as {@code Content-Length}, no body. */
    @HEAD
    @Path("{id}")
    public Response head(@PathParam("id") String rawId) throws IOException {
        try (ObjectReader reader = storer.lateReadObj(BadInput.parseId(rawId))) {
            return Response.ok()
                    .type(MediaType.APPLICATION_OCTET_STREAM)
                    .header(HttpHeaders.CONTENT_LENGTH, reader.size())
                    .build();
        }
    }

    /**
     * Overwrites the blob in place. The body must have exactly the blob's size: a shorter one is
     * 409, a longer one 413, and in both cases nothing is written.
     */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Response overwrite(
            @PathParam("id") String rawId,
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength)
            throws IOException {
        long id = BadInput.parseId(rawId);
        long length = contentLength(contentLength);
        if (length >= 0) {
            overwrite(id, body, length);
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                overwrite(id, in, spool.size());
            }
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String rawId) throws IOException {
        long id = BadInput.parseId(rawId);
        storer.deleteObj(id);
        recent.remove(id);
        return Response.noContent().build();
    }

    private void overwrite(long id, InputStream in, long length) throws IOException {
        try (ObjectWriter writer = storer.writeToObj(id)) {
            if (length != writer.size()) {
                throw new BadInput(
                        length < writer.size() ? 409 : 413,
                        "object " + id + " has " + writer.size() + " bytes; the body has " + length
                                + " (an overwrite must have the same size)");
            }
            copy(in, writer, length);
        }
    }

    private long writeNew(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new BadInput(413, "a blob holds at most " + Integer.MAX_VALUE + " bytes; the body has " + length);
        }
        ObjectWriter writer = storer.lateWriteNewObj((int) length);
        boolean written = false;
        try (writer) {
            copy(in, writer, length);
            written = true;
        } finally {
            if (!written) {
                try {
                    storer.deleteObj(writer.id()); // never keep half an upload
                } catch (IOException | RuntimeException ignored) {
                    // the first failure is the one to report
                }
            }
        }
        return writer.id();
    }

    private static void copy(InputStream in, ObjectWriter writer, long length) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new BadInput(400, "the body ended after " + (length - left) + " of " + length + " bytes");
            }
            writer.write(ByteBuffer.wrap(buf, 0, n));
            left -= n;
        }
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
