package dev.parley.api.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.server.Request;

/** A request path split into percent-decoded segments, so ids may contain any character, even '/'. */
public final class PathParts {

    private PathParts() {
    }

    public static List<String> of(Request request) {
        String raw = request.getHttpURI().getPath();
        if (raw == null || raw.isEmpty() || raw.equals("/")) {
            return List.of();
        }
        return Arrays.stream(raw.substring(1).split("/", -1))
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }
}
