package dev.parley.ops.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PopulationTest {

    @Test
    void channelsArePublicAndPrivateWithDistinctMembersAndTheOwnerFirst() {
        Population p = Population.plan(9, "x", 12, 9, 4, 2, 3);
        assertThat(p.users()).hasSize(12).doesNotHaveDuplicates().startsWith("xu00");
        assertThat(p.channels()).hasSize(9);
        assertThat(p.channels()).filteredOn(Population.ChannelPlan::isPrivate).hasSize(3)
                .allMatch(c -> c.id().startsWith("xpriv"));
        for (Population.ChannelPlan c : p.channels()) {
            assertThat(c.members()).hasSize(4).doesNotHaveDuplicates().startsWith(c.owner());
            assertThat(p.users()).containsAll(c.members());
        }
        assertThat(p.users()).allMatch(u -> !p.channelsOf(u).isEmpty());
    }

    @Test
    void lateJoinsAddAnOutsiderToAPrivateChannelMidLoad() {
        Population p = Population.plan(9, "x", 12, 9, 4, 2, 3);
        assertThat(p.lateJoins()).hasSize(2);
        for (Population.LateJoin j : p.lateJoins()) {
            Population.ChannelPlan c = p.channels().stream().filter(x -> x.id().equals(j.channel())).findFirst().orElseThrow();
            assertThat(c.isPrivate()).isTrue();
            assertThat(c.members()).doesNotContain(j.user());
            assertThat(j.at()).isBetween(0.1, 0.7);
        }
    }

    @Test
    void theSameSeedGivesTheSamePopulation() {
        assertThat(Population.plan(5, "x", 10, 6, 3, 1, 2)).isEqualTo(Population.plan(5, "x", 10, 6, 3, 1, 2));
        assertThat(Population.plan(5, "x", 10, 6, 3, 1, 2).channels()).isNotEqualTo(Population.plan(6, "x", 10, 6, 3, 1, 2).channels());
        assertThat(Population.plan(5, "x", 10, 6, 3, 1, 2).probes()).isEqualTo(List.of("xu00", "xu05"));
    }
}
