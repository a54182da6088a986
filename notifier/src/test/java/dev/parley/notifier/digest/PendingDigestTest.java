package dev.parley.notifier.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.notifier.decide.Reason;
import dev.parley.notifier.presence.Presence;
import org.junit.jupiter.api.Test;

class PendingDigestTest {

    static DigestItem item(String channel, long seq, long ts) {
        return new DigestItem(channel, seq, "e-" + channel + "-" + seq, "m" + seq, "alice", ts, Reason.MENTION, null, "t" + seq);
    }

    @Test
    void aDigestIsDueADelayAfterItsFirstMessageAndCountsEveryLaterOne() {
        PendingDigest d = PendingDigest.open("bob", item("a", 1, 1_000), 30_000);
        for (int seq = 2; seq <= 20; seq++) {
            d = d.with(item("a", seq, 1_000 + seq), 500);
        }
        d = d.with(item("a", 5, 1_005), 500); // the same message again is not counted twice

        assertThat(d.dueAt()).isEqualTo(31_000);
        assertThat(d.count()).isEqualTo(20);
        assertThat(d.latest(3)).extracting(DigestItem::seq).containsExactly(20L, 19L, 18L);
    }

    @Test
    void beyondTheTrackingCapOlderMessagesAreCountedOnly() {
        PendingDigest d = PendingDigest.open("bob", item("a", 1, 0), 10);
        for (int seq = 2; seq <= 10; seq++) {
            d = d.with(item("a", seq, seq), 4);
        }

        assertThat(d.items()).extracting(DigestItem::seq).containsExactly(7L, 8L, 9L, 10L);
        assertThat(d.count()).isEqualTo(10);
        assertThat(d.firstEventId()).isEqualTo("e-a-1");
    }

    @Test
    void readingPastMessagesRemovesThemAndReadingAllCancels() {
        PendingDigest d = PendingDigest.open("bob", item("a", 5, 0), 10).with(item("b", 3, 1), 10).with(item("a", 6, 2), 10);

        PendingDigest partly = d.read("a", 5);
        assertThat(partly.items()).extracting(DigestItem::seq).containsExactly(3L, 6L);
        assertThat(partly.read("b", 9).read("a", 6).isEmpty()).isTrue();
        assertThat(d.read("c", 100)).isSameAs(d);
    }

    @Test
    void dueDigestsAreNotifiedUnlessTheUserIsOnlineOrSawThem() {
        PendingDigest d = PendingDigest.open("bob", item("a", 1, 100), 10).with(item("a", 2, 200), 10);

        assertThat(DigestDecision.decide(d, new Presence(true, 300))).isEqualTo(new DigestDecision.Cancel("online"));
        assertThat(DigestDecision.decide(d, new Presence(false, 250))).isEqualTo(new DigestDecision.Cancel("seen"));
        DigestDecision partly = DigestDecision.decide(d, new Presence(false, 150));
        assertThat(partly).isInstanceOf(DigestDecision.Notify.class);
        assertThat(((DigestDecision.Notify) partly).digest().items()).extracting(DigestItem::seq).containsExactly(2L);
        DigestDecision never = DigestDecision.decide(d, Presence.NEVER_SEEN);
        assertThat(((DigestDecision.Notify) never).digest().count()).isEqualTo(2);
        // the id is a function of the user and the first event, whatever was filtered out
        assertThat(((DigestDecision.Notify) partly).notificationId())
                .isEqualTo(((DigestDecision.Notify) never).notificationId())
                .isEqualTo(NotificationIds.of("bob", "e-a-1"))
                .isNotEqualTo(NotificationIds.of("carol", "e-a-1"))
                .startsWith("ntf_").hasSize(36);
    }
}
