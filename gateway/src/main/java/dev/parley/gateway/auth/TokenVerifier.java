package dev.parley.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.parley.api.Limits;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies JWTs with Nimbus JOSE+JWT: HS256 with a shared secret (local and simple deployments), or
 * RS256/ES256 with keys fetched (and cached, rotated) from an identity provider's JWKS URL. {@code sub} is
 * the user id; {@code exp} is required and enforced; {@code iss}/{@code aud} are checked when configured.
 */
public final class TokenVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor;

    private TokenVerifier(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /** The default tolerance for clocks that disagree, on {@code exp} and {@code nbf} (PARLEY_JWT_CLOCK_SKEW). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

    public static TokenVerifier hs256(String secret, String issuer, String audience) {
        return hs256(secret, issuer, audience, DEFAULT_CLOCK_SKEW);
    }

    public static TokenVerifier hs256(String secret, String issuer, String audience, Duration clockSkew) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalArgumentException("PARLEY_JWT_SECRET must be at least 32 bytes for HS256");
        }
        JWKSource<SecurityContext> source = new ImmutableSecret<>(key);
        return build(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, source), issuer, audience, clockSkew);
    }

    public static TokenVerifier jwks(String jwksUrl, String issuer, String audience) {
        return jwks(jwksUrl, issuer, audience, DEFAULT_CLOCK_SKEW);
    }

    public static TokenVerifier jwks(String jwksUrl, String issuer, String audience, Duration clockSkew) {
        try {
            JWKSource<SecurityContext> source = JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build();
            Set<JWSAlgorithm> algs = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
            return build(new JWSVerificationKeySelector<>(algs, source), issuer, audience, clockSkew);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("PARLEY_JWT_JWKS_URL is not a URL: " + jwksUrl, e);
        }
    }

    private static TokenVerifier build(JWSVerificationKeySelector<SecurityContext> keys, String issuer, String audience,
                                       Duration clockSkew) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(keys);
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null) {
            exact.issuer(issuer);
        }
        Set<String> required = new HashSet<>(Set.of("sub", "exp"));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact.build(), required);
        // Nimbus tolerates 60 s by default: an expired token kept working for a minute.
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return new TokenVerifier(p);
    }

    public Principal verify(String token) throws AuthException {
        if (token == null || token.isBlank()) {
            throw new AuthException("no token");
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            String user = claims.getSubject();
            if (!Limits.isValidToken(user)) {
                throw new AuthException("the token's subject is not a valid user id");
            }
            return new Principal(user, claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw new AuthException("the token is not a JWT", e);
        } catch (BadJOSEException e) {
            throw new AuthException("the token was refused: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new AuthException("the token could not be verified: " + e.getMessage(), e);
        }
    }
}
