package org.bobbob.sample;

import jakarta.annotation.Priority;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Who may do what under {@code /api}, against WildFly's application realm ({@code
 * ApplicationRealm} of Elytron, users in {@code application-users.properties}, roles in {@code
 * application-roles.properties}), with HTTP Basic credentials:
 *
 * <ul>
 *   <li>{@code POST}, {@code PUT} and {@code DELETE} on {@code /api/blobs...}: a user in role
 *       {@value #WRITER}.
 *   <li>{@code GET} and {@code HEAD} on {@code /api/blobs...} and {@code /api/store}: anyone
 *       while system property {@value #READS} is {@code public} (the default), a user in role
 *       {@value #READER} or {@value #WRITER} when it is {@code reader}. The property is read on
 *       every request: {@code jboss-cli.sh --connect "/system-property=bobbob.sample.reads:add(value=reader)"}
 *       takes effect at once.
 *   <li>{@code /api/health} and {@code /api/session}: anyone.
 * </ul>
 *
 * No credentials where some are needed, or wrong ones anywhere: 401; a user without the role:
 * 403; both in the API's JSON shape. A 401 carries {@code WWW-Authenticate: Basic}, except for a
 * request with {@code X-Requested-With} (the page's), so that the browser leaves the login to the
 * page instead of opening its own dialog.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class Access implements ContainerRequestFilter {
    static final String WRITER = "writer";
    static final String READER = "reader";
    /** The system property that makes reads need a role. */
    static final String READS = "bobbob.sample.reads";

    private static final String REALM = "bobbob";

    @Context
    HttpServletRequest request;

    /** Whether reads need no role now. */
    static boolean readsPublic() {
        return !"reader".equals(System.getProperty(READS, "public"));
    }

    @Override
    public void filter(ContainerRequestContext c) {
        String path = c.getUriInfo().getPath().replaceFirst("^/", "");
        boolean blobs = path.equals("blobs") || path.startsWith("blobs/");
        boolean write = blobs && !c.getMethod().equals("GET") && !c.getMethod().equals("HEAD");
        String refused = authenticate(c);
        if (refused != null) {
            c.abortWith(unauthorized(c, refused));
            return;
        }
        if (write) {
            require(c, "writing needs", WRITER);
        } else if ((blobs || path.equals("store")) && !readsPublic()) {
            require(c, "reading needs (" + READS + "=reader)", READER, WRITER);
        }
    }

    private void require(ContainerRequestContext c, String what, String... roles) {
        if (request.getUserPrincipal() == null) {
            c.abortWith(unauthorized(c, what + " a user in role " + roles[0] + ": log in (curl -u user:password)"));
            return;
        }
        for (String role : roles) {
            if (request.isUserInRole(role)) {
                return;
            }
        }
        c.abortWith(ApiError.of(
                403,
                "user '" + request.getUserPrincipal().getName() + "' is not in role " + roles[0] + "; " + what
                        + " role " + roles[0]));
    }

    /**
     * Logs in with the request's Basic credentials unless the server already did (WildFly
     * authenticates proactively where it can); the reason for a 401 when they are wrong.
     */
    private String authenticate(ContainerRequestContext c) {
        String header = c.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || request.getUserPrincipal() != null) {
            return null;
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "only Basic credentials are taken";
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "the Basic credentials are not base64";
        }
        int colon = pair.indexOf(':');
        try {
            request.login(colon < 0 ? pair : pair.substring(0, colon), colon < 0 ? "" : pair.substring(colon + 1));
            return null;
        } catch (ServletException e) {
            return "wrong user name or password";
        }
    }

    private static Response unauthorized(ContainerRequestContext c, String message) {
        Response.ResponseBuilder r = ApiError.builder(401, message);
        if (c.getHeaderString("X-Requested-With") == null) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        return r.build();
    }
}
