package dev.parley.notifier.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * A webhook receiver: where notifications are POSTed and the secret they are signed with.
 *
 * @param name   short name (metrics, dead letters, logs), e.g. {@code mobile-push}
 * @param url    http(s) URL to POST to
 * @param secret the HMAC key: {@code whsec_} + base64 (Standard Webhooks' form, the decoded bytes are the key),
 *               or any other string (its UTF-8 bytes are the key); at least {@value #MIN_SECRET_BYTES} bytes
 */
public record WebhookEndpoint(String name, URI url, byte[] secret) {

    public static final int MIN_SECRET_BYTES = 24;

    public WebhookEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook '" + name + "': the URL must be http or https, got " + url);
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("webhook '" + name + "': the secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (set PARLEY_NOTIFIER_WEBHOOK_SECRET_" + envName(name) + ")");
        }
    }

    public static WebhookEndpoint of(String name, URI url, String secret) {
        return new WebhookEndpoint(name, url, secret == null ? null : key(secret));
    }

    /** The HMAC key a configured secret stands for. */
    public static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            return Base64.getDecoder().decode(secret.substring("whsec_".length()));
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The endpoint's name as it appears in an environment variable: {@code mobile-push} -> {@code MOBILE_PUSH}. */
    public static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        return name + " (" + url + ")"; // never the secret
    }
}
