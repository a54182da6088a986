package dev.parley.ops.chaos.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.ops.cluster.NodeRole;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final FaultSchedule.Shape COMPOSE = new FaultSchedule.Shape(3, 2, 2, 12);

    @Test
    void theFullPlanInjectsEveryKindAloneFirstThenOverlappingPairs() {
        List<Step> plan = new FaultSchedule(42, COMPOSE, FaultSchedule.Profile.FULL).plan();
        List<Step> singles = plan.stream().takeWhile(s -> !s.overlapping()).toList();
        List<Step> pairs = plan.subList(singles.size(), plan.size());

        assertThat(singles).hasSize(9);
        assertThat(kinds(singles)).isEqualTo(EnumSet.allOf(FaultKind.class));
        assertThat(singles.stream().map(s -> s.faults().get(0).fault()).filter(f -> f.kind() == FaultKind.TOPOLOGY_KILL)
                .map(f -> f.target().node())).containsExactlyInAnyOrder("topology-1", "topology-2");
        assertThat(singles.stream().map(s -> s.faults().get(0).fault().target().kind()))
                .contains(Target.Kind.LOG_LEADER, Target.Kind.CONTROLLER);

        assertThat(pairs).hasSize(4).allMatch(Step::overlapping);
        for (Step p : pairs) {
            assertThat(p.faults()).hasSize(2);
            assertThat(p.faults().get(0).offset()).isZero();
            assertThat(p.faults().get(1).offset()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(8));
            assertThat(p.faults().get(0).fault().kind().role()).as("two different roles: never two brokers at once")
                    .isNotEqualTo(p.faults().get(1).fault().kind().role());
        }
    }

    @Test
    void aBrokerFreezeLastsTwentySecondsAndKillsAreHeldWithinTheProfile() {
        for (Step s : new FaultSchedule(7, COMPOSE, FaultSchedule.Profile.FULL).plan()) {
            for (Step.Staggered f : s.faults()) {
                switch (f.fault().kind().action()) {
                    case PAUSE -> assertThat(f.fault().hold()).isEqualTo(Duration.ofSeconds(20));
                    case KILL -> assertThat(f.fault().hold()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
                    case RESTART -> assertThat(f.fault().hold()).isZero();
                }
            }
            assertThat(s.pause()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnotherOne() {
        FaultSchedule a = new FaultSchedule(1, COMPOSE, FaultSchedule.Profile.FULL);
        FaultSchedule b = new FaultSchedule(1, COMPOSE, FaultSchedule.Profile.FULL);
        assertThat(a.plan()).isEqualTo(b.plan());
        assertThat(a.extra()).isEqualTo(b.extra());
        assertThat(new FaultSchedule(2, COMPOSE, FaultSchedule.Profile.FULL).plan().toString()).isNotEqualTo(
                new FaultSchedule(1, COMPOSE, FaultSchedule.Profile.FULL).plan().toString());
    }

    @Test
    void theCiPlanHasEachKillTheFreezeAndOneOverlap() {
        List<Step> plan = new FaultSchedule(3, COMPOSE, FaultSchedule.Profile.CI).plan();
        assertThat(plan).hasSize(5);
        assertThat(plan.subList(0, 4)).noneMatch(Step::overlapping);
        assertThat(kinds(plan.subList(0, 4))).containsExactlyInAnyOrder(FaultKind.BROKER_KILL, FaultKind.BROKER_PAUSE,
                FaultKind.TOPOLOGY_KILL, FaultKind.GATEWAY_KILL);
        assertThat(plan.get(4).faults()).extracting(f -> f.fault().kind()).containsExactly(FaultKind.BROKER_PAUSE, FaultKind.TOPOLOGY_KILL);
    }

    @Test
    void extraStepsNeverHitTwoNodesOfOneRoleAtOnce() {
        FaultSchedule s = new FaultSchedule(11, COMPOSE, FaultSchedule.Profile.FULL);
        for (int i = 0; i < 200; i++) {
            Step step = s.extra();
            Set<NodeRole> roles = step.faults().stream().map(f -> f.fault().kind().role()).collect(Collectors.toSet());
            assertThat(roles).hasSize(step.faults().size());
        }
    }

    @Test
    void aSingleBrokerClusterGetsNoBrokerFaults() {
        List<Step> plan = new FaultSchedule(5, new FaultSchedule.Shape(1, 1, 1, 3), FaultSchedule.Profile.FULL).plan();
        assertThat(kinds(plan)).doesNotContain(FaultKind.BROKER_KILL, FaultKind.BROKER_PAUSE, FaultKind.BROKER_RESTART)
                .contains(FaultKind.TOPOLOGY_KILL, FaultKind.GATEWAY_KILL);
    }

    private static Set<FaultKind> kinds(List<Step> steps) {
        return steps.stream().flatMap(s -> s.faults().stream()).map(f -> f.fault().kind())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultKind.class)));
    }
}
