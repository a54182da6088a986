package dev.parley.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the browser chat page: plain HTML, CSS and JavaScript modules from the classpath folder
 * {@value #ROOT} (no build step). {@code /} is {@code index.html}; other files are served by their path
 * below the folder. Everything else is a 404. Files are read once and kept in memory (a few tens of KB).
 *
 * <p>Pass it to {@code GatewayServer.start(config, ChatPage.fromClasspath())}: the gateway hands it every
 * request that is not {@code /ws}, {@code /api/...}, {@code /health} or {@code /metrics}.
 */
public final class ChatPage extends Handler.Abstract.NonBlocking {

    /** Classpath folder of the page's files. */
    public static final String ROOT = "parley-web/";

    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(html|css|js|svg|ico|png)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "ico", "image/x-icon",
            "png", "image/png");
    /** The page talks only to its own origin (REST + WebSocket); nothing inline, nothing third-party. */
    private static final String CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final ClassLoader loader;
    /** Files that exist, once read: the set is fixed at build time, so this is bounded by the page's size. */
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    private ChatPage(ClassLoader loader) {
        this.loader = loader;
    }

    /** The page bundled in the gateway's jar. */
    public static ChatPage fromClasspath() {
        return new ChatPage(ChatPage.class.getClassLoader());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        // No ContextHandler around the gateway's handlers: Request.getPathInContext would fail (a null context path).
        String path = request.getHttpURI().getCanonicalPath();
        String file = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
        Optional<byte[]> body = SAFE_PATH.matcher(file).matches() ? load(file) : Optional.empty();
        if (body.isEmpty()) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(ext));
        // Revalidate every time: after an upgrade the browser must not run an old app.js against a new gateway.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        if (ext.equals("html")) {
            response.getHeaders().put("Content-Security-Policy", CSP);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.get().length);
        if (method.equals("HEAD")) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body.get()), callback);
        }
        return true;
    }

    /** A missing file is looked up again next time, never remembered: random names cannot grow the cache. */
    private Optional<byte[]> load(String file) {
        byte[] cached = cache.get(file);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            cache.putIfAbsent(file, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many files are held in memory. */
    int cachedFiles() {
        return cache.size();
    }
}
