package org.bobbob.cdi.it;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.bobbob.cdi.Store;
import org.bobbob.store.Storer;

/**
 * {@code POST /blobs/run?via=servlet|app|ejb&seed=S&n=N}: N blobs written and verified through the
 * Storer injected into this servlet, an application-scoped bean, or a stateless EJB; answers the
 * number of Storer operations. {@code GET /blobs/pool}: "inUse maxUsed" of the counted pool.
 * {@code GET /blobs/shipped?id=I}: object I of the adapter's own default store.
 */
@WebServlet("/blobs/*")
public class BlobServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    transient Storer storer;

    @Inject
    @Store("shipped")
    transient Storer shipped;

    @Inject
    transient AppBlobs app;

    @Inject
    transient StatelessBlobs ejb;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long seed = Long.parseLong(req.getParameter("seed"));
        int n = Integer.parseInt(req.getParameter("n"));
        int operations =
                switch (req.getParameter("via")) {
                    case "servlet" -> Workload.writeAndVerify(storer, seed, n);
                    case "app" -> app.run(seed, n);
                    case "ejb" -> ejb.run(seed, n);
                    default -> throw new IllegalArgumentException("via=" + req.getParameter("via"));
                };
        resp.setContentType("text/plain");
        resp.getWriter().print(operations);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        switch (String.valueOf(req.getPathInfo())) {
            case "/pool" -> {
                resp.setContentType("text/plain");
                resp.getWriter().print(PoolStats.inUse() + " " + PoolStats.maxUsed());
            }
            case "/shipped" -> {
                resp.setContentType("application/octet-stream");
                resp.getOutputStream().write(shipped.readBytesFromObj(Long.parseLong(req.getParameter("id"))));
            }
            default -> resp.sendError(404);
        }
    }
}
