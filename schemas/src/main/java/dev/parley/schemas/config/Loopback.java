package dev.parley.schemas.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a bind address keeps a port on this machine: only loopback addresses do. A wildcard
 * ({@code 0.0.0.0}, {@code ::}), an interface address or an empty host opens the port to the network.
 */
public final class Loopback {

    private Loopback() {
    }

    /** True for {@code 127.x.x.x}, {@code ::1} (with or without brackets) and names that resolve to loopback. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
