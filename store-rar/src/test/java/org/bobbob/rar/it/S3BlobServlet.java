package org.bobbob.rar.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.rar.StoreRegistryMXBean;
import org.bobbob.store.ObjectNotFoundException;

/**
 * What S3AdapterIT drives over HTTP, for the factory named by {@code ?jndi=}:
 * <ul>
 *   <li>{@code POST /s3}: stores the body as a new object, answers its id; with {@code &tx=true}
 *       inside a {@code UserTransaction} (committed);
 *   <li>{@code PUT /s3?id=N}: overwrites the start of object N with the body;
 *   <li>{@code GET /s3?id=N}: the object's bytes; {@code DELETE /s3?id=N}: deletes it; 404 for
 *       a missing object;
 *   <li>{@code GET /s3/shared?other=J&id=N}: holds a connection of {@code jndi} and one of
 *       {@code J} at once, reads object N through both, and answers the open store keys of
 *       the adapter activation that holds {@code key}, one a line, then
 *       {@code references=<referenceCount(key)>}.
 * </ul>
 * A failure answers 500 with the exception and its causes, one a line, so a test can look for an
 * error code anywhere in the chain.
 */
@WebServlet("/s3/*")
public class S3BlobServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static StoreConnectionFactory factory(String jndi) throws IOException {
        try {
            return (StoreConnectionFactory) new InitialContext().lookup(jndi);
        } catch (NamingException e) {
            throw new IOException("no factory at " + jndi, e);
        }
    }

    private static long id(HttpServletRequest request) {
        return Long.parseLong(request.getParameter("id"));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] data = request.getInputStream().readAllBytes();
        try {
            long id;
            if (Boolean.parseBoolean(request.getParameter("tx"))) {
                UserTransaction tx = (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
                tx.begin();
                try (StoreConnection store =
                        factory(request.getParameter("jndi")).getConnection()) {
                    id = store.writeNewObjFromBytes(data);
                } catch (Exception | Error e) {
                    tx.rollback();
                    throw e;
                }
                tx.commit();
            } else {
                try (StoreConnection store =
                        factory(request.getParameter("jndi")).getConnection()) {
                    id = store.writeNewObjFromBytes(data);
                }
            }
            response.getWriter().print(id);
        } catch (Exception e) {
            fail(response, e);
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] data = request.getInputStream().readAllBytes();
        changeObject(request, response, (store, id) -> store.writeBytesToObj(id, data));
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        changeObject(request, response, StoreConnection::deleteObj);
    }

    /** A change of one object ({@code ?id=}) through a connection of {@code ?jndi=}. */
    @FunctionalInterface
    private interface ObjectChange {
        void apply(StoreConnection store, long id) throws Exception;
    }

    /** Runs {@code change}: 204, 404 for an object that is not there, 500 with the failure otherwise. */
    private static void changeObject(HttpServletRequest request, HttpServletResponse response, ObjectChange change)
            throws IOException {
        try (StoreConnection store = factory(request.getParameter("jndi")).getConnection()) {
            change.apply(store, id(request));
            response.setStatus(204);
        } catch (ObjectNotFoundException e) {
            response.sendError(404, e.getMessage());
        } catch (Exception e) {
            fail(response, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if ("/shared".equals(request.getPathInfo())) {
                response.getWriter().print(shared(request));
                return;
            }
            try (StoreConnection store = factory(request.getParameter("jndi")).getConnection()) {
                byte[] data = store.readBytesFromObj(id(request));
                response.setContentType("application/octet-stream");
                response.getOutputStream().write(data);
            }
        } catch (ObjectNotFoundException e) {
            response.sendError(404, e.getMessage());
        } catch (Exception e) {
            fail(response, e);
        }
    }

    private static String shared(HttpServletRequest request) throws Exception {
        String key = request.getParameter("key");
        try (StoreConnection first = factory(request.getParameter("jndi")).getConnection();
                StoreConnection second = factory(request.getParameter("other")).getConnection()) {
            if (!Arrays.equals(first.readBytesFromObj(id(request)), second.readBytesFromObj(id(request)))) {
                return "the two connections read different bytes";
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null)) {
                List<String> keys = Arrays.asList((String[]) server.getAttribute(name, "Paths"));
                if (keys.contains(key)) {
                    Object references = server.invoke(
                            name, "referenceCount", new Object[] {key}, new String[] {String.class.getName()});
                    return String.join("\n", keys) + "\nreferences=" + references;
                }
            }
            return "no activation holds " + key;
        }
    }

    private static void fail(HttpServletResponse response, Exception e) throws IOException {
        List<String> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < 10; t = t.getCause()) {
            chain.add(String.valueOf(t));
        }
        response.setStatus(500);
        response.setContentType("text/plain");
        response.getOutputStream().write(String.join("\n", chain).getBytes(StandardCharsets.UTF_8));
    }
}
