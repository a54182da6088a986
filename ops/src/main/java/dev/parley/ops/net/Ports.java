package dev.parley.ops.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before a component binds, so a clash fails early with a message naming the setting. */
public final class Ports {

    private Ports() {
    }

    /** True when {@code host:port} can be bound right now (SO_REUSEADDR on, as servers bind it). */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Throws when a fixed port is taken; port 0 (ephemeral) always passes.
     *
     * @param what    e.g. {@code Kafka client port}
     * @param flag    the CLI flag that sets it, e.g. {@code --kafka-port}
     * @param envName the environment variable that sets it, e.g. {@code PARLEY_KAFKA_PORT}
     */
    public static void requireFree(String host, int port, String what, String flag, String envName) {
        if (port != 0 && !isFree(host, port)) {
            throw new PortInUseException(port, what + " " + port + " on " + host + " is already in use (another Kafka,"
                    + " or an earlier runner still running?). Pick another one with " + flag + " <port> or " + envName
                    + ", or 0 for an ephemeral port.");
        }
    }

    /** A port that was free a moment ago on {@code host}. */
    public static int pickFree(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** A fixed port is taken. */
    public static final class PortInUseException extends RuntimeException {
        private final int port;

        public PortInUseException(int port, String message) {
            super(message);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }
}
