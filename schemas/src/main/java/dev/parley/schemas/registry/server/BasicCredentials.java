package dev.parley.schemas.registry.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/** A user and password for HTTP basic auth. {@link #toString()} never shows the password. */
public record BasicCredentials(String user, String password) {

    public BasicCredentials {
        Objects.requireNonNull(user);
        Objects.requireNonNull(password);
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("the basic auth user must be non-empty and contain no ':'");
        }
    }

    /** From {@code user:password} (the password may contain ':'). */
    public static BasicCredentials parse(String userInfo) {
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("basic auth credentials must be written user:password");
        }
        return new BasicCredentials(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }

    /** True when an {@code Authorization} header carries exactly these credentials (compared in constant time). */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorizationHeader.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    @Override
    public String toString() {
        return user + ":****";
    }
}
