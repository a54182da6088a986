package dev.parley.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.schemas.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query RPC is never open beyond loopback without its shared secret (issue 12, item 5). */
class TopologyConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void theRpcListensOnLoopbackByDefaultAndNeedsNoSecretThere() {
        TopologyConfig local = TopologyConfig.fromEnv(Env.of(Map.of()));
        assertThat(local.rpcBindHost()).isEqualTo("127.0.0.1");
        assertThat(local.rpcSecret()).isNull();
        assertThatCode(local::requireSafeRpc).doesNotThrowAnyException();
    }

    @Test
    void beyondLoopbackItRefusesToStartWithoutASecretOfThirtyTwoCharacters() {
        TopologyConfig open = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_TOPOLOGY_RPC_BIND", "0.0.0.0")));
        assertThatThrownBy(open::requireSafeRpc).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARLEY_TOPOLOGY_RPC_SECRET").hasMessageContaining("0.0.0.0");
        TopologyConfig weak = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_TOPOLOGY_RPC_BIND", "0.0.0.0",
                "PARLEY_TOPOLOGY_RPC_SECRET", "short")));
        assertThatThrownBy(weak::requireSafeRpc).hasMessageContaining("too short");
        TopologyConfig published = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_TOPOLOGY_RPC_BIND", "0.0.0.0",
                "PARLEY_TOPOLOGY_RPC_SECRET", "change-me-to-32-or-more-random-characters")));
        assertThatThrownBy(published::requireSafeRpc).hasMessageContaining("placeholder");
        TopologyConfig typed = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_TOPOLOGY_RPC_BIND", "0.0.0.0",
                "PARLEY_TOPOLOGY_RPC_SECRET", "abababababababababababababababab")));
        assertThatThrownBy(typed::requireSafeRpc).hasMessageContaining("does not look random");
        TopologyConfig guarded = TopologyConfig.fromEnv(Env.of(Map.of("PARLEY_TOPOLOGY_RPC_BIND", "0.0.0.0",
                "PARLEY_TOPOLOGY_RPC_SECRET", SECRET)));
        assertThatCode(guarded::requireSafeRpc).doesNotThrowAnyException();
    }
}
