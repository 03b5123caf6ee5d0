package org.bobbob.store.s3;

import java.io.BufferedInputStream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A forwarding HTTP/1.1 proxy on 127.0.0.1, between a store and an S3 server, that does as told to
 * the requests a predicate picks: answers them with HTTP 500 and an S3 {@code InternalError} body
 * without forwarding them ({@link #failNext}), forwards their head and the first bytes of their
 * body and then cuts both connections, as a server that stops mid-upload ({@link #cutNext}), or
 * holds them until the test lets them go ({@link #holdNext}). Everything else is forwarded
 * unchanged, byte for byte (the Host header too, so request signatures still verify), and every
 * request is recorded with what was done to it. Test-only; one rule at a time.
 *
 * <p>Requests are parsed (head; body by Content-Length or chunked) so that each one on a keep-alive
 * connection is seen; responses are relayed as bytes. The client (the SDK's Apache client) sends
 * a request only after the previous response, so an answer the proxy writes itself never mixes
 * with a relayed one.
 */
final class FaultProxy implements AutoCloseable {
    /** What the proxy did to a request. */
    enum Outcome {
        FORWARDED,
        FAILED,
        CUT
    }

    /**
     * One request as it arrived.
     *
     * @param method e.g. {@code PUT}
     * @param target the request target, path and query, e.g. {@code /bucket/p/00..ab?partNumber=2&uploadId=..}
     * @param bodyLength its Content-Length, or -1 for a chunked body
     */
    record Request(String method, String target, long bodyLength, Outcome outcome) {
        /** Is this request for {@code key} in {@code bucket}, whatever its query? */
        boolean isFor(String bucket, String key) {
            String path = target.indexOf('?') < 0 ? target : target.substring(0, target.indexOf('?'));
            return path.equals("/" + bucket + "/" + key);
        }

        /** The value of the query parameter {@code name} ("" if it has none), or null if the query has no such parameter. */
        String query(String name) {
            int q = target.indexOf('?');
            if (q < 0) {
                return null;
            }
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.equals(name)) {
                    return "";
                }
                if (pair.startsWith(name + "=")) {
                    return pair.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    /** What to do to the next {@code remaining} requests that {@code which} picks. */
    private static final class Rule {
        final Outcome action;
        final Predicate<Request> which;
        /** For a cut: body bytes forwarded before the cut. */
        final long cutAfter;

        int remaining;

        Rule(Outcome action, Predicate<Request> which, int count, long cutAfter) {
            this.action = action;
            this.which = which;
            this.remaining = count;
            this.cutAfter = cutAfter;
        }
    }

    /** A held request: {@link #arrived} once one is held, then it waits for {@link #release()}. */
    static final class Hold {
        private final Predicate<Request> which;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private boolean taken;

        private Hold(Predicate<Request> which) {
            this.which = which;
        }

        /** Waits, at most {@code seconds}, for the request to arrive; false if it did not. */
        boolean awaitArrival(long seconds) throws InterruptedException {
            return arrived.await(seconds, TimeUnit.SECONDS);
        }

        /** Lets the held request go on to the server. */
        void release() {
            released.countDown();
        }
    }

    /** How long a held request waits for {@link Hold#release()} before it goes on anyway. */
    private static final long HOLD_SECONDS = 60;

    private static final byte[] ERROR_BODY =
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code>"
                            + "<Message>We encountered an internal error. Please try again.</Message>"
                            + "<RequestId>fault-proxy</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Request> requests = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Guarded by this. */
    private Rule rule;
    /** Guarded by this. */
    private Hold hold;

    private FaultProxy(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    /** A proxy on a free port of 127.0.0.1 in front of {@code target} (an {@code http://host:port} endpoint). */
    static FaultProxy start(String target) throws IOException {
        URI uri = URI.create(target);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(server, new InetSocketAddress(uri.getHost(), uri.getPort()));
        Thread acceptor = new Thread(proxy::acceptLoop, "fault-proxy accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint a store is given. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Answers the next {@code count} requests that {@code which} picks with HTTP 500 InternalError. */
    synchronized void failNext(int count, Predicate<Request> which) {
        rule = new Rule(Outcome.FAILED, which, count, 0);
    }

    /**
     * Forwards the head and the first {@code afterBytes} body bytes of the next {@code count}
     * requests that {@code which} picks, then closes the connection to the client and the one to
     * the server.
     */
    synchronized void cutNext(int count, long afterBytes, Predicate<Request> which) {
        rule = new Rule(Outcome.CUT, which, count, afterBytes);
    }

    /** Holds the next request that {@code which} picks until the hold is released (at most a minute). */
    synchronized Hold holdNext(Predicate<Request> which) {
        hold = new Hold(which);
        return hold;
    }

    /** Forwards everything from now on. */
    synchronized void heal() {
        rule = null;
        hold = null;
    }

    /** The requests seen so far, in order of arrival. */
    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests seen so far that {@code which} picks. */
    List<Request> requests(Predicate<Request> which) {
        return requests().stream().filter(which).toList();
    }

    synchronized void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    // ---------------------------------------------------------------- the proxy

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "fault-proxy connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One client connection: its requests in turn, over one connection to the server. */
    private void serve(Socket client) {
        open.add(client);
        Socket server = null;
        try {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream toClient = client.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return; // the client closed the connection
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
                long length = bodyLength(text);
                Request seen = new Request(requestLine[0], requestLine[1], length, Outcome.FORWARDED);
                Rule applied;
                Hold held;
                synchronized (this) {
                    applied = rule != null && rule.remaining > 0 && rule.which.test(seen) ? rule : null;
                    if (applied != null) {
                        applied.remaining--;
                        seen = new Request(seen.method(), seen.target(), length, applied.action);
                    }
                    held = hold != null && !hold.taken && hold.which.test(seen) ? hold : null;
                    if (held != null) {
                        held.taken = true;
                    }
                    requests.add(seen);
                }
                if (applied != null && applied.action == Outcome.FAILED) {
                    fail(toClient, seen.method().equals("HEAD"));
                    return; // Connection: close
                }
                if (held != null) {
                    held.arrived.countDown();
                    if (!held.released.await(HOLD_SECONDS, TimeUnit.SECONDS)) {
                        return; // never released: drop the connection
                    }
                }
                if (server == null) {
                    server = new Socket();
                    open.add(server);
                    server.connect(upstream, 10_000);
                    Socket from = server;
                    Thread pump = new Thread(() -> relay(from, client), "fault-proxy relay");
                    pump.setDaemon(true);
                    pump.start();
                }
                OutputStream toServer = server.getOutputStream();
                toServer.write(head);
                if (applied != null && applied.action == Outcome.CUT) {
                    copy(in, toServer, Math.min(applied.cutAfter, length < 0 ? Long.MAX_VALUE : length));
                    toServer.flush();
                    return; // the finally closes both connections in the middle of the body
                }
                if (length >= 0) {
                    copy(in, toServer, length);
                } else {
                    copyChunked(in, toServer);
                }
                toServer.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client or the server went away: close both
        } finally {
            closeQuietly(client);
            if (server != null) {
                closeQuietly(server);
            }
        }
    }

    /** Server to client, as bytes, until either side closes. */
    private void relay(Socket server, Socket client) {
        try {
            server.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void fail(OutputStream toClient, boolean head) throws IOException {
        String response = "HTTP/1.1 500 Internal Server Error\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + (head ? 0 : ERROR_BODY.length) + "\r\n"
                + "x-amz-request-id: fault-proxy\r\n"
                + "Connection: close\r\n\r\n";
        toClient.write(response.getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            toClient.write(ERROR_BODY);
        }
        toClient.flush();
    }

    /** The request head up to and with its blank line, or null at the end of the stream before a request. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection closed inside a request head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    /** The body's Content-Length; -1 for a chunked body; 0 for none. */
    private static long bodyLength(String head) {
        long length = 0;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                return -1;
            }
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            }
        }
        return length;
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (n > 0) {
            int k = in.read(buffer, 0, (int) Math.min(buffer.length, n));
            if (k < 0) {
                throw new EOFException("the connection closed inside a request body");
            }
            out.write(buffer, 0, k);
            n -= k;
        }
    }

    /** A chunked body: each chunk-size line, its bytes and CRLF, the last chunk, the trailers. */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = copyLine(in, out);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!copyLine(in, out).isEmpty()) {
                    // trailers, up to the blank line
                }
                return;
            }
            copy(in, out, size);
            copyLine(in, out);
        }
    }

    /** Copies one CRLF-terminated line; returns it without the CRLF. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed inside a chunked body");
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

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
