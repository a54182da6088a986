package dev.parley.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PortPlanTest {

    @Test
    void aBasePortLaysOutEveryRoleAtFixedOffsets() {
        PortPlan p = PortPlan.fromBase(19000, 3, 2, 2);

        assertThat(p.brokers()).containsExactly(19000, 19001, 19002);
        assertThat(p.controllers()).containsExactly(19010, 19011, 19012);
        assertThat(p.registry()).isEqualTo(19020);
        assertThat(p.topologies()).containsExactly(19030, 19031);
        assertThat(p.gateways()).containsExactly(19040, 19041);
        assertThat(p.all()).hasSize(11).doesNotHaveDuplicates().allMatch(port -> port >= 19000 && port < 19000 + PortPlan.SPAN);
    }

    @Test
    void noPortOfABasedPlanIsADefaultOtherProgramsUse() {
        for (int base = 1024; base <= 65536 - PortPlan.SPAN; base += 7) {
            List<Integer> all = PortPlan.fromBase(base, PortPlan.SLOTS, PortPlan.SLOTS, PortPlan.SLOTS).all();
            assertThat(all).hasSize(4 * PortPlan.SLOTS + 1).doesNotHaveDuplicates();
        }
        // The base decides: a plan only contains the defaults (8080, 8081, 8070, 9092) if its base range does.
        assertThat(PortPlan.fromBase(19000, 3, 2, 2).all()).doesNotContain(8070, 8080, 8081, 9092, 9093);
    }

    @Test
    void ephemeralPortsAreDistinct() {
        PortPlan p = PortPlan.ephemeral("127.0.0.1", 3, 2, 2);

        assertThat(p.all()).hasSize(11).doesNotHaveDuplicates().allMatch(port -> port > 0);
    }

    @Test
    void badBasesAreRefused() {
        assertThatThrownBy(() -> PortPlan.fromBase(80, 3, 2, 2)).hasMessageContaining("between 1024");
        assertThatThrownBy(() -> PortPlan.fromBase(65500, 3, 2, 2)).hasMessageContaining("between 1024");
        assertThatThrownBy(() -> PortPlan.fromBase(0, 3, 2, 2)).hasMessageContaining("ephemeral");
        assertThatThrownBy(() -> new PortPlan(List.of(1, 2), List.of(3, 1), 4, List.of(5), List.of(6)))
                .hasMessageContaining("used twice");
    }
}
