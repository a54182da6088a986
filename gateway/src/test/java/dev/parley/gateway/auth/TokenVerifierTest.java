package dev.parley.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** JWT verification: HS256 with the shared secret, RS256 from a JWKS endpoint (a real HTTP server). */
class TokenVerifierTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";

    @Test
    void hs256TokensOfTheSecretAreAcceptedAndExpiryIsEnforced() throws Exception {
        TokenVerifier verifier = TokenVerifier.hs256(SECRET, null, null);
        DevTokens tokens = new DevTokens(SECRET);
        Principal p = verifier.verify(tokens.issue("alice", Duration.ofMinutes(5)));
        assertThat(p.user()).isEqualTo("alice");
        assertThat(p.expiresAt()).isAfter(Instant.now());

        assertThatThrownBy(() -> verifier.verify(tokens.issue("alice", Duration.ofMinutes(-5))))
                .isInstanceOf(AuthException.class).hasMessageContaining("xpired");
        assertThatThrownBy(() -> verifier.verify(new DevTokens("another-secret-that-is-long-enough-too!!").issue("alice", Duration.ofMinutes(5))))
                .isInstanceOf(AuthException.class).hasMessageContaining("refused");
        assertThatThrownBy(() -> verifier.verify("not.a.jwt")).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> verifier.verify("")).isInstanceOf(AuthException.class).hasMessage("no token");
        assertThatThrownBy(() -> TokenVerifier.hs256("short", null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        TokenVerifier verifier = TokenVerifier.hs256(SECRET, "https://idp.example", "parley");
        assertThat(verifier.verify(new DevTokens(SECRET, "https://idp.example", "parley").issue("bob", Duration.ofMinutes(5))).user())
                .isEqualTo("bob");
        assertThatThrownBy(() -> verifier.verify(new DevTokens(SECRET, "https://evil.example", "parley").issue("bob", Duration.ofMinutes(5))))
                .isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> verifier.verify(new DevTokens(SECRET, "https://idp.example", "other").issue("bob", Duration.ofMinutes(5))))
                .isInstanceOf(AuthException.class);
    }

    @Test
    void rs256TokensAreVerifiedWithKeysFromAJwksUrl() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        idp.start();
        try {
            TokenVerifier verifier = TokenVerifier.jwks("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json", null, null);
            assertThat(verifier.verify(rs256(key, "carol", 300)).user()).isEqualTo("carol");
            assertThatThrownBy(() -> verifier.verify(rs256(key, "carol", -300))).isInstanceOf(AuthException.class);
            RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
            assertThatThrownBy(() -> verifier.verify(rs256(stranger, "carol", 300))).isInstanceOf(AuthException.class);
            assertThatThrownBy(() -> verifier.verify(new DevTokens(SECRET).issue("carol", Duration.ofMinutes(5))))
                    .as("an HS256 token is not accepted where RS256 keys are configured").isInstanceOf(AuthException.class);
        } finally {
            idp.stop(0);
        }
    }

    private static String rs256(RSAKey key, String user, long validSeconds) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plusSeconds(validSeconds))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** Failed on main: Nimbus's default 60 s clock skew let a token that expired 30 s ago through. */
    @Test
    void expiredTokensAreRefusedBeyondTheConfiguredSkew() throws Exception {
        TokenVerifier strict = TokenVerifier.hs256(SECRET, null, null);
        DevTokens tokens = new DevTokens(SECRET);
        assertThatThrownBy(() -> strict.verify(tokens.issue("alice", Duration.ofSeconds(-30))))
                .isInstanceOf(AuthException.class).hasMessageContaining("xpired");
        assertThatThrownBy(() -> strict.verify(tokens.issue("alice", Duration.ofSeconds(-6))))
                .isInstanceOf(AuthException.class);
        TokenVerifier lenient = TokenVerifier.hs256(SECRET, null, null, Duration.ofSeconds(120));
        assertThat(lenient.verify(tokens.issue("alice", Duration.ofSeconds(-30))).user()).isEqualTo("alice");
    }

    @Test
    void outsideDevModeOnlyAnUnpublishedRandomSecretOrAJwksUrlWillDo() {
        String random = "q8Vw2yZ0pL5nR7tB3xK9mC1dF6hJ4sA0eG2iU8oY5wT7";
        assertThat(SecretPolicy.problem(false, random, null)).isNull();
        assertThat(SecretPolicy.problem(false, null, "https://idp.example/jwks.json")).isNull();
        assertThat(SecretPolicy.problem(true, null, null)).isNull();
        assertThat(SecretPolicy.problem(false, null, null)).contains("PARLEY_JWT_SECRET", "PARLEY_JWT_JWKS_URL");
        assertThat(SecretPolicy.problem(false, dev.parley.gateway.GatewayConfig.DEV_SECRET, null)).contains("published");
        assertThat(SecretPolicy.problem(false, "change-me-to-a-long-random-string-of-32-bytes-or-more", null)).contains("published");
        assertThat(SecretPolicy.problem(false, "short-but-random-Xy7", null)).contains("32");
        assertThat(SecretPolicy.problem(false, "ab".repeat(20), null)).contains("random");
    }
}
