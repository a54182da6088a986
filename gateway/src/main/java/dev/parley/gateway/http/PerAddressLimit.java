package dev.parley.gateway.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.SelectorManager;

/**
 * At most {@code max} open connections (HTTP or WebSocket, counted per socket) from one client address: the
 * next one is closed as soon as it is accepted. Jetty's {@code NetworkConnectionLimit} caps the total; this
 * keeps one address from taking all of it.
 */
public final class PerAddressLimit implements SelectorManager.AcceptListener {

    private final int max;
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> owners = new ConcurrentHashMap<>();

    public PerAddressLimit(int max) {
        this.max = max;
    }

    @Override
    public void onAccepted(SelectableChannel channel) {
        InetAddress address = address(channel);
        if (address == null) {
            return;
        }
        owners.put(channel, address);
        int now = open.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (now > max) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        InetAddress address = owners.remove(channel);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** Open connections from an address (for tests and metrics). */
    public int openFrom(InetAddress address) {
        AtomicInteger n = open.get(address);
        return n == null ? 0 : n.get();
    }

    private static InetAddress address(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
