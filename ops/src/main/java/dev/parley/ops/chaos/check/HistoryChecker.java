package dev.parley.ops.chaos.check;

import java.util.List;

/**
 * Checks a run's histories against every promise Parley makes about data (docs/reliability.md): pure logic over
 * plain records, no Kafka or network types, so each check can be fed a crafted history that breaks it.
 */
public final class HistoryChecker {

    private final List<Check> checks;

    public HistoryChecker(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check, in the order of {@link LossClass}. */
    public static HistoryChecker all() {
        return new HistoryChecker(List.of(new AckedSendCheck(), new LogSequenceCheck(), new SenderOrderCheck(),
                new DeliveryCheck(), new PrivacyCheck(), new ConnectionCheck()));
    }

    public Findings check(Histories h) {
        LogIndex index = new LogIndex(h.log());
        Findings f = new Findings();
        for (Check c : checks) {
            c.run(h, index, f);
        }
        return f;
    }
}
