package dev.parley.ops.chaos.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The faults of a chaos run, from its seed: first every kind one at a time (a broker kill of a log partition's
 * leader and one of the active controller, a 20 s broker freeze, a kill of each topology instance and of a gateway,
 * a clean restart of each role), in a seeded order; then overlapping pairs of faults on different roles; then,
 * until the run's time is up, further seeded steps ({@link #extra}). Never two brokers at once: with RF 3 and min
 * ISR 2 that stops writes by design, which is availability, not what the run is after. Pure: the same seed and
 * cluster shape give the same schedule.
 */
public final class FaultSchedule {

    /** How long {@code SIGSTOP} freezes a broker. */
    public static final Duration PAUSE_HOLD = Duration.ofSeconds(20);

    /** The cluster the schedule is for. */
    public record Shape(int brokers, int topologies, int gateways, int logPartitions) {
    }

    /** How long faults last and how far apart they are. */
    public enum Profile {
        /** {@code parley chaos}: every kind alone, four overlapping pairs, holds of 5-15 s. */
        FULL(5, 15, 2, 8, 5, 15),
        /** The CI test: one of each kill and the freeze, one overlapping pair, short holds. */
        CI(2, 5, 2, 4, 2, 4);

        final int holdMin;
        final int holdMax;
        final int offsetMin;
        final int offsetMax;
        final int pauseMin;
        final int pauseMax;

        Profile(int holdMin, int holdMax, int offsetMin, int offsetMax, int pauseMin, int pauseMax) {
            this.holdMin = holdMin;
            this.holdMax = holdMax;
            this.offsetMin = offsetMin;
            this.offsetMax = offsetMax;
            this.pauseMin = pauseMin;
            this.pauseMax = pauseMax;
        }
    }

    private final Random random;
    private final Shape shape;
    private final Profile profile;

    public FaultSchedule(long seed, Shape shape, Profile profile) {
        this.random = new Random(seed);
        this.shape = shape;
        this.profile = profile;
    }

    /** The planned steps: each kind alone, then the overlapping ones. */
    public List<Step> plan() {
        List<Fault> singles = new ArrayList<>();
        if (profile == Profile.FULL) {
            brokerFault(singles, new Fault(FaultKind.BROKER_KILL, leader(), hold()));
            brokerFault(singles, new Fault(FaultKind.BROKER_KILL, Target.controller(), hold()));
            brokerFault(singles, new Fault(FaultKind.BROKER_PAUSE, leader(), PAUSE_HOLD));
            for (int i = 1; i <= shape.topologies(); i++) {
                singles.add(new Fault(FaultKind.TOPOLOGY_KILL, Target.node("topology-" + i), hold()));
            }
            int killedGateway = pick(shape.gateways());
            singles.add(new Fault(FaultKind.GATEWAY_KILL, Target.node("gateway-" + killedGateway), hold()));
            brokerFault(singles, new Fault(FaultKind.BROKER_RESTART, Target.node("broker-" + pick(shape.brokers())), Duration.ZERO));
            singles.add(new Fault(FaultKind.TOPOLOGY_RESTART, Target.node("topology-" + pick(shape.topologies())), Duration.ZERO));
            int restarted = shape.gateways() > 1 ? killedGateway % shape.gateways() + 1 : 1;
            singles.add(new Fault(FaultKind.GATEWAY_RESTART, Target.node("gateway-" + restarted), Duration.ZERO));
        } else {
            brokerFault(singles, new Fault(FaultKind.BROKER_KILL, leader(), hold()));
            brokerFault(singles, new Fault(FaultKind.BROKER_PAUSE, leader(), PAUSE_HOLD));
            singles.add(new Fault(FaultKind.TOPOLOGY_KILL, Target.node("topology-" + pick(shape.topologies())), hold()));
            singles.add(new Fault(FaultKind.GATEWAY_KILL, Target.node("gateway-" + pick(shape.gateways())), hold()));
        }
        Collections.shuffle(singles, random);
        List<Step> steps = new ArrayList<>();
        singles.forEach(f -> steps.add(new Step(List.of(new Step.Staggered(Duration.ZERO, f)), pauseAfter())));

        List<Step> pairs = new ArrayList<>();
        if (shape.brokers() > 1) {
            pairs.add(pair(new Fault(FaultKind.BROKER_PAUSE, leader(), PAUSE_HOLD), topologyKill()));
        }
        if (profile == Profile.FULL) {
            if (shape.brokers() > 1) {
                pairs.add(pair(new Fault(FaultKind.BROKER_KILL, leader(), hold()), gatewayKill()));
                pairs.add(pair(new Fault(FaultKind.BROKER_PAUSE, Target.controller(), PAUSE_HOLD),
                        new Fault(FaultKind.GATEWAY_RESTART, Target.node("gateway-" + pick(shape.gateways())), Duration.ZERO)));
            }
            pairs.add(pair(topologyKill(), gatewayKill()));
        }
        Collections.shuffle(pairs, random);
        steps.addAll(pairs);
        return steps;
    }

    /** One more step, after the plan, while the run has time left: a random fault alone or a random pair. */
    public Step extra() {
        List<Fault> pool = new ArrayList<>();
        if (shape.brokers() > 1) {
            pool.add(new Fault(FaultKind.BROKER_KILL, random.nextBoolean() ? leader() : Target.controller(), hold()));
            pool.add(new Fault(FaultKind.BROKER_PAUSE, leader(), PAUSE_HOLD));
            pool.add(new Fault(FaultKind.BROKER_RESTART, Target.node("broker-" + pick(shape.brokers())), Duration.ZERO));
        }
        pool.add(topologyKill());
        pool.add(new Fault(FaultKind.TOPOLOGY_RESTART, Target.node("topology-" + pick(shape.topologies())), Duration.ZERO));
        pool.add(gatewayKill());
        pool.add(new Fault(FaultKind.GATEWAY_RESTART, Target.node("gateway-" + pick(shape.gateways())), Duration.ZERO));
        Fault first = pool.get(random.nextInt(pool.size()));
        if (random.nextBoolean()) {
            return new Step(List.of(new Step.Staggered(Duration.ZERO, first)), pauseAfter());
        }
        List<Fault> others = pool.stream().filter(f -> f.kind().role() != first.kind().role()).toList();
        return pair(first, others.get(random.nextInt(others.size())));
    }

    private void brokerFault(List<Fault> faults, Fault f) {
        if (shape.brokers() > 1) {
            faults.add(f);
        }
    }

    private Step pair(Fault first, Fault second) {
        Duration offset = Duration.ofSeconds(between(profile.offsetMin, profile.offsetMax));
        return new Step(List.of(new Step.Staggered(Duration.ZERO, first), new Step.Staggered(offset, second)), pauseAfter());
    }

    private Fault topologyKill() {
        return new Fault(FaultKind.TOPOLOGY_KILL, Target.node("topology-" + pick(shape.topologies())), hold());
    }

    private Fault gatewayKill() {
        return new Fault(FaultKind.GATEWAY_KILL, Target.node("gateway-" + pick(shape.gateways())), hold());
    }

    private Target leader() {
        return Target.logLeader(random.nextInt(shape.logPartitions()));
    }

    private Duration hold() {
        return Duration.ofSeconds(between(profile.holdMin, profile.holdMax));
    }

    private Duration pauseAfter() {
        return Duration.ofSeconds(between(profile.pauseMin, profile.pauseMax));
    }

    /** 1..n */
    private int pick(int n) {
        return 1 + random.nextInt(n);
    }

    private int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }
}
