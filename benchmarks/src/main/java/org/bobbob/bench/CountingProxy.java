package org.bobbob.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 forwarder on 127.0.0.1 in front of an S3 endpoint that counts the requests passing
 * through it, by kind: method, bucket or object, the conditional and range headers, and the
 * payload bytes (e.g. {@code PUT object If-None-Match 16384 B}). Both sides of {@link S3Bench}
 * go through it in the counting pass, so their requests are counted the same way, on the wire.
 *
 * <p>Each client connection gets one server connection and two threads: one copies the client's
 * bytes to the server, reading each request's head to count it and its body's framing
 * ({@code Content-Length} or chunked) to find the next head; the other copies the server's bytes
 * back unread (so {@code 100 Continue} and keep-alive work as they would without it).
 */
final class CountingProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;
    /** The kind under which {@link #snapshot()} counts the connections opened (not a request). */
    static final String CONNECTIONS = "(connections opened)";

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final ExecutorService threads;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Starts forwarding a free port of 127.0.0.1 to {@code target}'s host and port. */
    CountingProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "counting-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    /** {@code http://127.0.0.1:<port>}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Forgets every count so far. */
    void reset() {
        counts.clear();
    }

    /** The counts so far by kind, sorted by kind. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                counts.computeIfAbsent(CONNECTIONS, k -> new LongAdder()).increment();
                Socket upstream = new Socket();
                upstream.connect(target);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                threads.execute(() -> requests(client, upstream));
                threads.execute(() -> copy(upstream, client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("counting proxy: " + e);
                }
            }
        }
    }

    /** Copies requests from {@code client} to {@code upstream}, counting each by its head. */
    private void requests(Socket client, Socket upstream) {
        try (client;
                upstream) {
            InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(upstream.getOutputStream(), 64 * 1024);
            byte[] buf = new byte[64 * 1024];
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.put(
                                lines[i].substring(0, colon).trim(),
                                lines[i].substring(colon + 1).trim());
                    }
                }
                counts.computeIfAbsent(kind(requestLine, headers), k -> new LongAdder())
                        .increment();
                out.write(head);
                out.flush(); // the server may answer 100 Continue before the client sends the body
                String length = headers.get("Content-Length");
                if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", ""))) {
                    copyChunked(in, out, buf);
                } else if (length != null) {
                    copyExactly(in, out, Long.parseLong(length), buf);
                }
                out.flush();
            }
        } catch (IOException e) {
            // a connection closed by either end: nothing to count
        }
    }

    /** {@code METHOD bucket|object [If-None-Match] [If-Match] [Range] [N B]}. */
    private static String kind(String[] requestLine, Map<String, String> headers) {
        String method = requestLine[0];
        String path = requestLine.length > 1 ? requestLine[1] : "/";
        int q = path.indexOf('?');
        String query = q < 0 ? "" : path.substring(q + 1);
        path = q < 0 ? path : path.substring(0, q);
        // path style: /bucket or /bucket/key...
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        StringBuilder kind = new StringBuilder(method).append(trimmed.indexOf('/') > 0 ? " object" : " bucket");
        if (!query.isEmpty()) {
            kind.append(" ?").append(query.replaceAll("=[^&]*", ""));
        }
        for (String h : new String[] {"If-None-Match", "If-Match", "Range"}) {
            if (headers.containsKey(h)) {
                kind.append(' ').append(h);
            }
        }
        String payload = headers.getOrDefault("x-amz-decoded-content-length", headers.get("Content-Length"));
        if (payload != null && (method.equals("PUT") || method.equals("POST"))) {
            kind.append(' ').append(payload).append(" B");
        }
        return kind.toString();
    }

    /** The bytes up to and including the blank line after the headers; null at a clean end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int last4 = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection ended inside a request head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head longer than " + MAX_HEAD + " bytes");
            }
            last4 = last4 << 8 | b;
            if (last4 == 0x0D0A0D0A) {
                return head.toByteArray();
            }
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (k < 0) {
                throw new EOFException("connection ended inside a request body");
            }
            out.write(buf, 0, k);
            n -= k;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out, byte[] buf) throws IOException {
        while (true) {
            String sizeLine = copyLine(in, out);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!copyLine(in, out).isEmpty()) {
                    // trailers, up to the blank line
                }
                return;
            }
            copyExactly(in, out, size, buf);
            copyLine(in, out); // the CRLF after the chunk
        }
    }

    /** Copies one CRLF-terminated line and returns it without the CRLF. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection ended inside a chunked body");
            }
            out.write(b);
            if (b == '\n') {
                int end =
                        line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                return line.substring(0, end);
            }
            line.append((char) b);
        }
    }

    /** Copies {@code from}'s bytes to {@code to} until either end closes. */
    private static void copy(Socket from, Socket to) {
        try (from;
                to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = in.read(buf)) >= 0) {
                out.write(buf, 0, k);
            }
        } catch (IOException e) {
            // closed by either end
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CountingProxy[%s -> %s]", uri(), target);
    }
}
