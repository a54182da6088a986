package dev.parley.schemas.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.config.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryServerConfigTest {

    @Test
    void defaultsWithoutEnvironment() {
        RegistryServerConfig c = RegistryServerConfig.fromEnv(Env.of(Map.of()));

        assertThat(c).isEqualTo(RegistryServerConfig.defaults());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.topic()).isEqualTo("parley.schemas");
        assertThat(c.replicationFactor()).isEqualTo((short) 1);
        assertThat(c.defaultCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(c.basicAuth()).isEmpty();
        assertThat(c.allowAnonymous()).isFalse();
    }

    @Test
    void anonymousAccessIsOnlyServedOnLoopbackUnlessAllowedExplicitly() {
        RegistryServerConfig loopback = RegistryServerConfig.defaults();
        RegistryServerConfig everywhere = loopback.withHost("0.0.0.0");

        assertThat(loopback.exposureProblem()).isEmpty();
        assertThat(loopback.withHost("localhost").exposureProblem()).isEmpty();
        assertThat(loopback.withHost("::1").exposureProblem()).isEmpty();
        assertThat(everywhere.exposureProblem()).hasValueSatisfying(p -> assertThat(p)
                .contains("0.0.0.0", "PARLEY_REGISTRY_BASIC_AUTH", "PARLEY_REGISTRY_ALLOW_ANONYMOUS"));
        assertThat(loopback.withHost("").exposureProblem()).as("empty = every interface").isPresent();
        assertThat(everywhere.withBasicAuth(new BasicCredentials("svc", "pw")).exposureProblem()).isEmpty();
        assertThat(everywhere.withAllowAnonymous(true).exposureProblem()).isEmpty();
        assertThat(RegistryServerConfig.fromEnv(Env.of(Map.of("PARLEY_REGISTRY_HOST", "0.0.0.0"))).exposureProblem()).isPresent();
    }

    @Test
    void aRegistryThatWouldServeAnonymousWritesBeyondLoopbackDoesNotStart() {
        // Refused before it touches Kafka (nothing listens on the bootstrap address) or binds its port.
        assertThatThrownBy(() -> SchemaRegistryServer.start(RegistryServerConfig.defaults().withHost("0.0.0.0").withPort(0)
                .withBootstrapServers("127.0.0.1:9")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("anonymous writes").hasMessageContaining("PARLEY_REGISTRY_BASIC_AUTH");
    }

    @Test
    void everyRegistrySettingOverridesItsDefault() {
        RegistryServerConfig c = RegistryServerConfig.fromEnv(Env.of(Map.of(
                "PARLEY_REGISTRY_HOST", "0.0.0.0",
                "PARLEY_REGISTRY_PORT", "0",
                "PARLEY_REGISTRY_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "PARLEY_REGISTRY_TOPIC", "ops.registry",
                "PARLEY_REGISTRY_REPLICATION_FACTOR", "3",
                "PARLEY_REGISTRY_COMPATIBILITY", "full_transitive",
                "PARLEY_REGISTRY_BASIC_AUTH", "svc:pa:ss",
                "PARLEY_REGISTRY_ALLOW_ANONYMOUS", "true",
                "PARLEY_REGISTRY_WRITE_TIMEOUT", "5s",
                "PARLEY_REGISTRY_INIT_TIMEOUT", "2m")));

        assertThat(c).isEqualTo(new RegistryServerConfig("0.0.0.0", 0, "k1:9092,k2:9092", "ops.registry", (short) 3,
                CompatibilityLevel.FULL_TRANSITIVE, Optional.of(new BasicCredentials("svc", "pa:ss")), true,
                Duration.ofSeconds(5), Duration.ofMinutes(2)));
        assertThat(c.toString()).contains("svc:****").doesNotContain("pa:ss");
    }

    @Test
    void sharedParleySettingsAreFallbacks() {
        RegistryServerConfig c = RegistryServerConfig.fromEnv(Env.of(Map.of(
                "PARLEY_BOOTSTRAP_SERVERS", "broker:19092",
                "PARLEY_TOPIC_PREFIX", "staging.",
                "PARLEY_REPLICATION_FACTOR", "3")));

        assertThat(c.bootstrapServers()).isEqualTo("broker:19092");
        assertThat(c.topic()).isEqualTo("staging.schemas");
        assertThat(c.replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> RegistryServerConfig.fromEnv(Env.of(Map.of("PARLEY_REGISTRY_COMPATIBILITY", "SIDEWAYS"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARLEY_REGISTRY_COMPATIBILITY");
        assertThatThrownBy(() -> RegistryServerConfig.fromEnv(Env.of(Map.of("PARLEY_REGISTRY_PORT", "http"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARLEY_REGISTRY_PORT");
        assertThatThrownBy(() -> RegistryServerConfig.fromEnv(Env.of(Map.of("PARLEY_REGISTRY_BASIC_AUTH", "nopassword"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> RegistryServerConfig.defaults().withPort(70000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void basicCredentialsMatchOnlyTheExactHeader() {
        BasicCredentials c = new BasicCredentials("u", "p:w");
        String good = "Basic " + java.util.Base64.getEncoder().encodeToString("u:p:w".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(c.matches(good)).isTrue();
        assertThat(c.matches(good.replace("Basic", "basic"))).isTrue();
        assertThat(c.matches(null)).isFalse();
        assertThat(c.matches("Bearer x")).isFalse();
        assertThat(c.matches("Basic " + java.util.Base64.getEncoder().encodeToString("u:p".getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isFalse();
        assertThat(c.matches("Basic !!!")).isFalse();
    }

    @Test
    void pathSegmentsArePercentDecodedWithPlusKept() {
        assertThat(RegistryHttpHandler.segments("/subjects/my%20topic+x-value/versions/")).containsExactly("subjects", "my topic+x-value", "versions");
        assertThat(RegistryHttpHandler.segments("/")).isEmpty();
    }
}
