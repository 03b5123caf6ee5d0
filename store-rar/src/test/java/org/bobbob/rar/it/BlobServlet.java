package org.bobbob.rar.it;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.store.ObjectNotFoundException;

/**
 * What the client-side ITs drive over HTTP, for a factory named by {@code ?jndi=}:
 * <ul>
 *   <li>{@code POST /blob} with a body: stores it, answers the id;
 *   <li>{@code GET /blob?id=N}: the object's bytes, 404 if there is none;
 *   <li>{@code GET /blob/cycles?n=N}: N getConnection/close cycles, answers the elapsed nanoseconds.
 *   <li>{@code GET /blob/txcycles?n=N}: N JTA transactions, each a getConnection, a write and a
 *       close; every other one rolls back. Answers how many of the blobs are there afterwards.
 * </ul>
 * Failures answer 500 with the exception's message, so a test can show it.
 */
@WebServlet("/blob/*")
public class BlobServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private static StoreConnectionFactory factory(HttpServletRequest request) throws IOException {
        try {
            return (StoreConnectionFactory) new InitialContext().lookup(request.getParameter("jndi"));
        } catch (NamingException e) {
            throw new IOException("no factory at " + request.getParameter("jndi"), e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] data = request.getInputStream().readAllBytes();
        try (StoreConnection store = factory(request).getConnection()) {
            long id = store.writeNewObjFromBytes(data);
            store.sync();
            response.getWriter().print(id);
        } catch (Exception e) {
            response.sendError(500, String.valueOf(e));
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if ("/txcycles".equals(request.getPathInfo())) {
                response.getWriter()
                        .print(transactionalCycles(factory(request), Integer.parseInt(request.getParameter("n"))));
                return;
            }
            if ("/cycles".equals(request.getPathInfo())) {
                response.getWriter().print(cycles(factory(request), Integer.parseInt(request.getParameter("n"))));
                return;
            }
            try (StoreConnection store = factory(request).getConnection()) {
                byte[] data = store.readBytesFromObj(Long.parseLong(request.getParameter("id")));
                response.setContentType("application/octet-stream");
                response.getOutputStream().write(data);
            }
        } catch (ObjectNotFoundException e) {
            response.sendError(404, e.getMessage());
        } catch (Exception e) {
            response.sendError(500, String.valueOf(e));
        }
    }

    private static long cycles(StoreConnectionFactory factory, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (StoreConnection store = factory.getConnection()) {
                if (!store.isOpen()) {
                    throw new IllegalStateException("a fresh handle is closed");
                }
            }
        }
        return System.nanoTime() - start;
    }

    private static int transactionalCycles(StoreConnectionFactory factory, int n) throws Exception {
        jakarta.transaction.UserTransaction tx =
                (jakarta.transaction.UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            tx.begin();
            try (StoreConnection store = factory.getConnection()) {
                ids.add(store.writeNewObjFromBytes(new byte[] {(byte) i}));
            }
            if (i % 2 == 0) {
                tx.commit();
            } else {
                tx.rollback();
            }
        }
        int there = 0;
        try (StoreConnection store = factory.getConnection()) {
            for (long id : ids) {
                try {
                    store.readBytesFromObj(id);
                    there++;
                } catch (ObjectNotFoundException e) {
                    // rolled back
                }
            }
        }
        return there;
    }
}
