package org.bobbob.rar.it;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.bobbob.rar.StoreConnection;
import org.bobbob.rar.StoreConnectionFactory;
import org.bobbob.rar.StoreRegistryMXBean;
import org.bobbob.store.ObjectNotFoundException;

/**
 * {@link RecoveryIT}'s deployment, on the RAR's own definition {@code java:/bobbob/DefaultStore}
 * and an H2 XA datasource:
 * <ul>
 *   <li>{@code GET /recovery/setup}: creates the table (outside any transaction);
 *   <li>{@code GET /recovery/halt?name=n}: one JTA transaction enlists {@link HaltOnCommit} first,
 *       writes blob {@link #content n's content} and the row naming it, and commits: the server
 *       halts after the prepares, before any commit;
 *   <li>{@code GET /recovery/check?name=n}: {@code row=<id or none> blob=<ok|missing|wrong>
 *       inDoubt=<branches> active=<transactions>}.
 * </ul>
 */
@WebServlet("/recovery/*")
public class RecoveryServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/bobbob/DefaultStore")
    private transient StoreConnectionFactory store;

    @Resource(lookup = "java:jboss/datasources/RecoveryXaDS")
    private transient DataSource db;

    @Resource(lookup = "java:jboss/TransactionManager")
    private transient TransactionManager tm;

    /** The blob a name stands for. */
    static byte[] content(String name) {
        byte[] b = new byte[10_000];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (n[i % n.length] + i);
        }
        return b;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        String name = request.getParameter("name");
        try {
            switch (String.valueOf(request.getPathInfo())) {
                case "/setup" -> {
                    try (Connection c = db.getConnection();
                            Statement s = c.createStatement()) {
                        s.execute(
                                "CREATE TABLE IF NOT EXISTS blobs (name VARCHAR(100) PRIMARY KEY, id BIGINT NOT NULL)");
                    }
                    response.getWriter().print("ok");
                }
                case "/halt" -> {
                    tm.begin();
                    tm.getTransaction().enlistResource(new HaltOnCommit());
                    long id;
                    try (StoreConnection c = store.getConnection()) {
                        id = c.writeNewObjFromBytes(content(name));
                    }
                    try (Connection c = db.getConnection();
                            PreparedStatement insert =
                                    c.prepareStatement("INSERT INTO blobs (name, id) VALUES (?, ?)")) {
                        insert.setString(1, name);
                        insert.setLong(2, id);
                        insert.executeUpdate();
                    }
                    tm.commit();
                    response.sendError(500, "committed without halting");
                }
                case "/check" -> response.getWriter().print(check(name));
                default -> response.sendError(404);
            }
        } catch (Exception e) {
            response.sendError(500, String.valueOf(e));
        }
    }

    private String check(String name) throws Exception {
        Long id = null;
        try (Connection c = db.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id FROM blobs WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) {
                    id = rs.getLong(1);
                }
            }
        }
        String blob = "missing";
        if (id != null) {
            try (StoreConnection c = store.getConnection()) {
                blob = Arrays.equals(content(name), c.readBytesFromObj(id)) ? "ok" : "wrong";
            } catch (ObjectNotFoundException e) {
                blob = "missing";
            }
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        int inDoubt = 0;
        int active = 0;
        for (ObjectName registry : server.queryNames(new ObjectName(StoreRegistryMXBean.QUERY), null)) {
            for (String path : (String[]) server.getAttribute(registry, "Paths")) {
                Object[] args = {path};
                String[] types = {String.class.getName()};
                inDoubt += (Integer) server.invoke(registry, "inDoubtBranches", args, types);
                active += (Integer) server.invoke(registry, "activeTransactions", args, types);
            }
        }
        return "row=" + (id == null ? "none" : id) + " blob=" + blob + " inDoubt=" + inDoubt + " active=" + active;
    }
}
