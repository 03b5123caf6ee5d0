package org.bobbob.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
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
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.ObjectReader;
import org.bobbob.store.Storer;

/**
 * {@code /api/blobs}: blobs by key. {@code PUT /api/blobs/{key}} creates or replaces (at any
 * size), {@code POST /api/blobs} stores under a server-made key, {@code GET} and {@code HEAD} read
 * with ranges and conditional requests, {@code DELETE} removes; {@code GET /api/blobs} lists by
 * key. Bodies stream through the store's Late handles in 64 KiB chunks, so a 200 MiB upload or
 * download never needs 200 MiB of heap. Changes go through {@link Blobs}, which writes each object
 * and its row ({@link BlobInfo}) in one transaction and returns once it is committed: every 2xx of
 * a change is sent after the change is durable. Who may do what: {@link Access}.
 */
@Path("blobs")
@RequestScoped
public class BlobResource {
    static final int CHUNK = Blobs.CHUNK;
    /** The form field a multipart upload carries its file in. */
    static final String FORM_FIELD = "file";
    /** Rows per page of the listing when the request names no {@code limit}, and the most it may. */
    static final int DEFAULT_LIMIT = 20;

    static final int MAX_LIMIT = 1000;
    /**
     * How long a read keeps looking for the object a row names. A row and its object commit
     * together, but not at the same instant (the transaction manager commits the database and
     * the store one after the other): for that moment a row can name an object not yet or no
     * longer visible, and the row moves on right after.
     */
    private static final long RESOLVE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final String ACCEPT_RANGES = "Accept-Ranges";
    private static final Pattern FILENAME = Pattern.compile("filename=\"?([^\";]*)\"?");

    @Inject
    Storer storer;

    @Inject
    Blobs blobs;

    @Inject
    OpenHandles handles;

    /**
     * Up to {@code limit} blobs (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) whose
     * keys start with {@code prefix}, in key order, after key {@code after}:
     * {@code {"prefix","after","limit","total","next","items":[...]}}; {@code next} (the
     * {@code after} of the next page) only when there are more, {@code total} the number of keys
     * with the prefix.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list(
            @QueryParam("prefix") String rawPrefix,
            @QueryParam("after") String rawAfter,
            @QueryParam("limit") String rawLimit) {
        String prefix = rawPrefix == null ? "" : rawPrefix;
        String after = rawAfter == null ? "" : rawAfter;
        int limit = BadInput.parseInt("limit", rawLimit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        Blobs.Page page = blobs.page(prefix, after, limit);
        JsonArrayBuilder items = Json.createArrayBuilder();
        for (BlobInfo info : page.items()) {
            items.add(info.toJson());
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("prefix", prefix)
                .add("after", after)
                .add("limit", limit)
                .add("total", page.total())
                .add("items", items);
        if (page.next() != null) {
            json.add("next", page.next());
        }
        return json.build().toString();
    }

    /**
     * A new blob from the body under a server-made key (the decimal id of its object), named by
     * {@code X-Filename} (or {@code Content-Disposition}'s filename), typed by the body's
     * {@code Content-Type}; 201 with {@code Location}, {@code ETag} and its metadata.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) throws IOException {
        Checksums sums = checksums(headers);
        String name = filename(headers);
        String type = typeOrNull(headers.getMediaType());
        long length = contentLength(headers);
        BlobInfo info;
        if (length >= 0) {
            info = blobs.create(body, length, name, type, sums);
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                info = blobs.create(in, spool.size(), name, type, sums);
            }
        }
        return stored(info, true, uri, false);
    }

    /**
     * A new blob from the part named {@code file} of an HTML form or {@code curl -F file=@x}
     * upload: the part's bytes are stored, not the MIME envelope, under the part's file name and
     * media type, checked against the part's own {@code Content-MD5}/{@code x-checksum-sha256}.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createFromForm(List<EntityPart> parts, @Context UriInfo uri) throws IOException {
        EntityPart file = filePart(parts);
        try (InputStream content = file.getContent();
                Spool spool = Spool.of(content);
                InputStream in = spool.open()) {
            BlobInfo info =
                    blobs.create(in, spool.size(), file.getFileName().orElse(""), partType(file), partChecksums(file));
            return stored(info, true, uri, false);
        }
    }

    /**
     * Stores the body under {@code key}: 201 for a new key, 200 for a replacement (at any size),
     * both with {@code ETag} and the metadata; 412 if {@code If-Match} or {@code If-None-Match}
     * does not hold. A {@code Content-Type} or file name the request lacks is kept from the
     * replaced blob.
     */
    @PUT
    @Path("{key: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(
            @PathParam("key") String rawKey, InputStream body, @Context HttpHeaders headers, @Context UriInfo uri)
            throws IOException {
        String key = Keys.valid(rawKey);
        Checksums sums = checksums(headers);
        Preconditions pre = preconditions(headers);
        String name = filename(headers);
        String type = typeOrNull(headers.getMediaType());
        long length = contentLength(headers);
        Blobs.Put put;
        if (length >= 0) {
            put = blobs.put(key, body, length, name, type, sums, pre);
        } else {
            try (Spool spool = Spool.of(body);
                    InputStream in = spool.open()) {
                put = blobs.put(key, in, spool.size(), name, type, sums, pre);
            }
        }
        return stored(put.info(), put.created(), uri, true);
    }

    /** {@code PUT} of a form's part named {@code file}: the part's bytes, name and type. */
    @PUT
    @Path("{key: .+}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putFromForm(
            @PathParam("key") String rawKey, List<EntityPart> parts, @Context HttpHeaders headers, @Context UriInfo uri)
            throws IOException {
        String key = Keys.valid(rawKey);
        Preconditions pre = preconditions(headers);
        EntityPart file = filePart(parts);
        try (InputStream content = file.getContent();
                Spool spool = Spool.of(content);
                InputStream in = spool.open()) {
            Blobs.Put put = blobs.put(
                    key, in, spool.size(), file.getFileName().orElse(""), partType(file), partChecksums(file), pre);
            return stored(put.info(), put.created(), uri, true);
        }
    }

    /**
     * The blob's bytes, streamed, or the one range {@code Range} asks for (206; 416 past the end;
     * ignored unless {@code If-Range} names the current ETag, when it is given); 304 when
     * {@code If-None-Match} names the current ETag. With {@code ETag}, {@code Last-Modified},
     * {@code Accept-Ranges}, and the {@code Content-Type} and file name it was uploaded with.
     */
    @GET
    @Path("{key: .+}")
    public Response read(@PathParam("key") String rawKey, @Context HttpHeaders headers) throws IOException {
        String key = Keys.valid(rawKey);
        Preconditions pre = preconditions(headers);
        BlobInfo seen = blobs.find(key);
        if (seen != null && pre.notModified(seen)) {
            return notModified(seen);
        }
        Opened opened = open(key);
        BlobInfo info = opened.info();
        ObjectReader reader = handles.track(opened.reader());
        long size = reader.size();
        ByteRange range;
        try {
            range = rangeOf(headers, info, size);
        } catch (ByteRange.Unsatisfiable e) {
            reader.close();
            return ApiError.builder(416, e.getMessage() + "; Range: " + headers.getHeaderString("Range"))
                    .header("Content-Range", "bytes */" + size)
                    .header(ACCEPT_RANGES, "bytes")
                    .build();
        }
        long skip = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        StreamingOutput body = out -> {
            try (reader) {
                byte[] buf = new byte[CHUNK];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                long toSkip = skip; // the reader is sequential: a range starts after reading up to it
                long left = length;
                int n;
                while (left > 0 && (n = reader.read(bb.clear())) >= 0) {
                    int from = (int) Math.min(n, toSkip);
                    toSkip -= from;
                    int send = (int) Math.min(n - from, left);
                    out.write(buf, from, send);
                    left -= send;
                }
            }
        };
        Response.ResponseBuilder ok = described(Response.status(range == null ? 200 : 206), info)
                .entity(body)
                .header(HttpHeaders.CONTENT_LENGTH, length);
        return range == null
                ? ok.build()
                : ok.header("Content-Range", range.contentRange(size)).build();
    }

    /** What {@code GET} would answer, without the body. */
    @HEAD
    @Path("{key: .+}")
    public Response head(@PathParam("key") String rawKey, @Context HttpHeaders headers) {
        String key = Keys.valid(rawKey);
        BlobInfo info = blobs.find(key);
        if (info == null) {
            throw new BadInput(404, "no blob '" + key + "'");
        }
        if (preconditions(headers).notModified(info)) {
            return notModified(info);
        }
        return described(Response.ok(), info)
                .header(HttpHeaders.CONTENT_LENGTH, info.size())
                .build();
    }

    /** Deletes the blob and its row, in one transaction; 412 if {@code If-Match} does not hold. */
    @DELETE
    @Path("{key: .+}")
    public Response delete(@PathParam("key") String rawKey, @Context HttpHeaders headers) throws IOException {
        blobs.delete(Keys.valid(rawKey), preconditions(headers));
        return Response.noContent().build();
    }

    /** A committed row and a reader on the object it names. */
    private record Opened(BlobInfo info, ObjectReader reader) {}

    /**
     * The row of {@code key} and its object, opened. The open reader holds the object's bytes
     * to its end even if a replacement deletes it meanwhile, so a read is of one version.
     */
    private Opened open(String key) throws IOException {
        long deadline = System.nanoTime() + RESOLVE_NANOS;
        long lastObject = 0;
        while (true) {
            BlobInfo info = blobs.find(key);
            if (info == null) {
                throw new BadInput(404, "no blob '" + key + "'");
            }
            try {
                return new Opened(info, storer.lateReadObj(info.objectId()));
            } catch (ObjectNotFoundException inFlight) {
                if (System.nanoTime() > deadline) {
                    throw inFlight;
                }
                if (info.objectId() == lastObject) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the commit is between its two resources
                }
                lastObject = info.objectId();
            }
        }
    }

    private static ByteRange rangeOf(HttpHeaders headers, BlobInfo info, long size) {
        String ifRange = headers.getHeaderString("If-Range");
        if (ifRange != null && !ifRange.trim().equals(info.etag())) {
            return null; // the client's copy is another version: send the whole blob
        }
        return ByteRange.parse(headers.getHeaderString("Range"), size);
    }

    private static Response notModified(BlobInfo info) {
        return Response.notModified()
                .header(HttpHeaders.ETAG, info.etag())
                .header(HttpHeaders.LAST_MODIFIED, Date.from(info.modified()))
                .build();
    }

    /** The headers that describe a blob's current version. */
    private static Response.ResponseBuilder described(Response.ResponseBuilder r, BlobInfo info) {
        return r.type(info.contentType())
                .header(HttpHeaders.ETAG, info.etag())
                .header(HttpHeaders.LAST_MODIFIED, Date.from(info.modified()))
                .header(ACCEPT_RANGES, "bytes")
                .header("Content-Disposition", disposition(info.name()))
                // served as a download, never rendered: an uploaded page must not run on this origin
                .header("X-Content-Type-Options", "nosniff");
    }

    /** {@code attachment; filename="..."; filename*=UTF-8''...} (RFC 6266), or {@code attachment}. */
    static String disposition(String name) {
        if (name.isEmpty()) {
            return "attachment";
        }
        String ascii =
                name.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "\\\\").replace("\"", "\\\"");
        String utf8 = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }

    private static Response stored(BlobInfo info, boolean created, UriInfo uri, boolean put) {
        Response.ResponseBuilder r;
        if (created) {
            URI location = put
                    ? uri.getAbsolutePath()
                    : uri.getAbsolutePathBuilder().path(info.key()).build();
            r = Response.created(location);
        } else {
            r = Response.ok();
        }
        return r.header(HttpHeaders.ETAG, info.etag())
                .header(HttpHeaders.LAST_MODIFIED, Date.from(info.modified()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(info.toJson().toString())
                .build();
    }

    private static EntityPart filePart(List<EntityPart> parts) {
        return parts.stream()
                .filter(p -> p.getName().equals(FORM_FIELD))
                .findFirst()
                .orElseThrow(() -> new BadInput(
                        400,
                        "a multipart/form-data upload needs a part named '" + FORM_FIELD
                                + "' (curl -F " + FORM_FIELD + "=@photo.jpg); or send the bytes as the body: "
                                + "curl --data-binary @photo.jpg -H 'X-Filename: photo.jpg'"));
    }

    private static Checksums checksums(HttpHeaders headers) {
        return Checksums.expecting(
                headers.getHeaderString(Checksums.MD5_HEADER), headers.getHeaderString(Checksums.SHA256_HEADER));
    }

    private static Checksums partChecksums(EntityPart part) {
        return Checksums.expecting(
                part.getHeaders().getFirst(Checksums.MD5_HEADER),
                part.getHeaders().getFirst(Checksums.SHA256_HEADER));
    }

    private static Preconditions preconditions(HttpHeaders headers) {
        return Preconditions.of(
                headers.getHeaderString(HttpHeaders.IF_MATCH), headers.getHeaderString(HttpHeaders.IF_NONE_MATCH));
    }

    /** {@code X-Filename}, else the {@code filename} of a {@code Content-Disposition} header, else "". */
    private static String filename(HttpHeaders headers) {
        String name = headers.getHeaderString("X-Filename");
        if (name != null) {
            return name;
        }
        String disposition = headers.getHeaderString("Content-Disposition");
        if (disposition != null) {
            Matcher m = FILENAME.matcher(disposition);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "";
    }

    /**
     * The part's {@code Content-Type} as the client sent it: the parser's {@link
     * EntityPart#getMediaType()} adds MIME's default {@code charset=us-ascii} to a {@code text/*}
     * type without one, which would mislabel the UTF-8 files browsers send as {@code text/csv}.
     */
    private static String partType(EntityPart part) {
        String sent = part.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        return sent == null || sent.isBlank()
                ? typeOrNull(part.getMediaType())
                : MediaType.valueOf(sent.trim()).toString();
    }

    private static String typeOrNull(MediaType type) {
        return type == null ? null : type.toString();
    }

    private static long contentLength(HttpHeaders headers) {
        String header = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
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
