package dev.parley.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // Standard Webhooks' published example: secret, id, timestamp, body and the signature it yields.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TS = 1614265330;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsLikeTheStandardWebhooksReference() {
        assertThat(WebhookSigner.sign(WebhookEndpoint.key(SECRET), ID, TS, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verificationChecksTheBodyTheIdTheTimestampAndItsAge() {
        byte[] key = WebhookEndpoint.key(SECRET);
        String sig = WebhookSigner.sign(key, ID, TS, BODY);

        assertThat(WebhookSigner.verify(key, ID, Long.toString(TS), BODY, sig, TS + 10, 300)).isTrue();
        assertThat(WebhookSigner.verify(key, ID, Long.toString(TS), BODY, "v1,bogus " + sig, TS, 300)).isTrue();
        assertThat(WebhookSigner.verify(key, ID, Long.toString(TS), "{}".getBytes(StandardCharsets.UTF_8), sig, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(key, "msg_other", Long.toString(TS), BODY, sig, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(key, ID, Long.toString(TS + 1), BODY, sig, TS, 300)).isFalse();
        assertThat(WebhookSigner.verify(key, ID, Long.toString(TS), BODY, sig, TS + 301, 300)).as("a replay after the tolerance").isFalse();
        assertThat(WebhookSigner.verify("another-secret-of-enough-bytes".getBytes(StandardCharsets.UTF_8), ID,
                Long.toString(TS), BODY, sig, TS, 300)).isFalse();
    }

    @Test
    void endpointsNeedAnHttpUrlAndALongEnoughSecret() {
        assertThatThrownBy(() -> WebhookEndpoint.of("push", URI.create("http://x/hook"), "short"))
                .hasMessageContaining("PARLEY_NOTIFIER_WEBHOOK_SECRET_PUSH");
        assertThatThrownBy(() -> WebhookEndpoint.of("push", URI.create("ftp://x/hook"), SECRET)).hasMessageContaining("http");
        assertThat(WebhookEndpoint.of("mobile-push", URI.create("https://x/hook"), SECRET).toString()).doesNotContain("whsec");
        assertThat(WebhookEndpoint.envName("mobile-push")).isEqualTo("MOBILE_PUSH");
    }
}
