package org.bobbob.cdi.it;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.bobbob.store.Storer;

/**
 * In an application with no store configuration at all, so its Storer is the adapter's
 * {@code java:/bobbob/DefaultStore}: {@code POST /plain} stores the body and answers its id;
 * {@code GET /plain?id=I} answers object I.
 */
@WebServlet("/plain")
public class PlainServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    transient Storer storer;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long id = storer.writeNewObjFromBytes(req.getInputStream().readAllBytes());
        resp.setContentType("text/plain");
        resp.getWriter().print(id);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/octet-stream");
        resp.getOutputStream().write(storer.readBytesFromObj(Long.parseLong(req.getParameter("id"))));
    }
}
