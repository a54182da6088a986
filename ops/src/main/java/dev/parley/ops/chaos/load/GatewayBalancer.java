package dev.parley.ops.chaos.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer in front of the gateways (compose runs nginx there), as a TCP proxy in the chaos run's JVM: it
 * is not faulted. One listening port per gateway: a connection to port <i>i</i> goes to gateway <i>i</i> when it
 * accepts connections, else to the next one that does, so clients are spread over the gateways and move to another
 * when theirs is killed. A backend that dies closes its clients' connections (they reconnect and resume).
 */
public final class GatewayBalancer implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final List<InetSocketAddress> gateways;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-balancer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    private GatewayBalancer(List<InetSocketAddress> gateways) {
        this.gateways = List.copyOf(gateways);
    }

    /** Listens on one ephemeral loopback port per gateway. */
    public static GatewayBalancer start(List<InetSocketAddress> gateways) throws IOException {
        GatewayBalancer b = new GatewayBalancer(gateways);
        for (int i = 0; i < gateways.size(); i++) {
            ServerSocket s = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
            b.listeners.add(s);
            int preferred = i;
            b.threads.execute(() -> b.accept(s, preferred));
        }
        return b;
    }

    /** The WebSocket URL whose connections prefer gateway {@code preferred} (0-based). */
    public URI url(int preferred) {
        return URI.create("ws://127.0.0.1:" + listeners.get(preferred % listeners.size()).getLocalPort() + "/ws");
    }

    public int size() {
        return gateways.size();
    }

    /** Connections proxied so far. */
    public long connections() {
        return connections.get();
    }

    /** Connections that went to another gateway than their port's. */
    public long failovers() {
        return failovers.get();
    }

    /** Connections closed at once because no gateway accepted. */
    public long refused() {
        return refused.get();
    }

    private void accept(ServerSocket server, int preferred) {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            threads.execute(() -> proxy(client, preferred));
        }
    }

    private void proxy(Socket client, int preferred) {
        Socket backend = null;
        for (int k = 0; k < gateways.size() && backend == null; k++) {
            Socket s = new Socket();
            try {
                s.connect(gateways.get((preferred + k) % gateways.size()), CONNECT_TIMEOUT_MS);
                s.setTcpNoDelay(true);
                backend = s;
                if (k > 0) {
                    failovers.incrementAndGet();
                }
            } catch (IOException down) {
                closeQuietly(s);
            }
        }
        if (backend == null) {
            refused.incrementAndGet();
            closeQuietly(client);
            return;
        }
        connections.incrementAndGet();
        try {
            client.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // best effort
        }
        Socket b = backend;
        threads.execute(() -> pump(client, b));
        pump(b, client);
    }

    /** Copies until either side ends, then closes both (the client sees its connection drop). */
    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // a side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        listeners.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        threads.shutdownNow();
    }
}
