package org.bobbob.cdi.it;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.bobbob.cdi.Store;
import org.bobbob.store.ObjectNotFoundException;
import org.bobbob.store.Storer;

/**
 * The named store {@code remote}: {@code POST /remote} stores the body and answers its id;
 * {@code GET /remote?id=I} answers object I, {@code DELETE /remote?id=I} deletes it (404 for a
 * missing object); {@code GET /remote} answers the injected Storer's {@code toString()}.
 */
@WebServlet("/remote")
public class RemoteServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    @Store("remote")
    transient Storer remote;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long id = remote.writeNewObjFromBytes(req.getInputStream().readAllBytes());
        resp.setContentType("text/plain");
        resp.getWriter().print(id);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = req.getParameter("id");
        if (id == null) {
            resp.setContentType("text/plain");
            resp.getWriter().print(remote);
            return;
        }
        try {
            byte[] bytes = remote.readBytesFromObj(Long.parseLong(id));
            resp.setContentType("application/octet-stream");
            resp.getOutputStream().write(bytes);
        } catch (ObjectNotFoundException e) {
            resp.sendError(404, e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            remote.deleteObj(Long.parseLong(req.getParameter("id")));
            resp.setStatus(204);
        } catch (ObjectNotFoundException e) {
            resp.sendError(404, e.getMessage());
        }
    }
}
