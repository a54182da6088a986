package dev.parley.notifier.decide;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotificationDeciderTest {

    private final NotificationDecider decider = new NotificationDecider();

    /** A channel as plain data. */
    record Facts(boolean direct, Set<String> members, Map<Long, List<String>> threads, List<String> optIns) implements ChannelFacts {
        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean isDirect() {
            return direct;
        }

        @Override
        public boolean isMember(String user) {
            return members.contains(user);
        }

        @Override
        public Collection<String> directMembers() {
            return direct ? members : List.of();
        }

        @Override
        public Collection<String> threadParticipants(long rootSeq) {
            return threads.getOrDefault(rootSeq, List.of());
        }

        @Override
        public Collection<String> allOptIns() {
            return optIns;
        }
    }

    static PostedMessage message(String sender, Long root, String... mentions) {
        return new PostedMessage("general", 7, "e7", "m7", sender, 1000, root, List.of(mentions), "hi");
    }

    static Facts channel(String... members) {
        return new Facts(false, Set.of(members), Map.of(), List.of());
    }

    @Test
    void aMentionedMemberIsACandidateAndTheSenderNever() {
        List<Candidate> out = decider.decide(message("alice", null, "bob", "alice"), channel("alice", "bob", "carol"));

        assertThat(out).extracting(Candidate::user, Candidate::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bob", Reason.MENTION));
    }

    @Test
    void aMentionedNonMemberIsNeverACandidate() {
        // private or public: the decider only ever notifies members, so a private channel's text cannot leak
        List<Candidate> out = decider.decide(message("alice", null, "mallory", "bob"), channel("alice", "bob"));

        assertThat(out).extracting(Candidate::user).containsExactly("bob");
    }

    @Test
    void everyOtherMemberOfADirectChannelIsACandidate() {
        Facts dm = new Facts(true, Set.of("alice", "bob", "carol"), Map.of(), List.of());

        List<Candidate> out = decider.decide(message("alice", null), dm);

        assertThat(out).extracting(Candidate::user).containsExactly("bob", "carol");
        assertThat(out).extracting(Candidate::reason).containsOnly(Reason.DIRECT);
    }

    @Test
    void aReplyReachesTheThreadsParticipantsWhoAreStillMembers() {
        Facts c = new Facts(false, Set.of("alice", "bob", "carol", "dave"),
                Map.of(3L, List.of("bob", "carol", "erin", "alice")), List.of());

        List<Candidate> out = decider.decide(message("alice", 3L), c);

        // erin posted in the thread but left the channel
        assertThat(out).extracting(Candidate::user).containsExactly("bob", "carol");
        assertThat(out).extracting(Candidate::reason).containsOnly(Reason.THREAD_REPLY);
    }

    @Test
    void optedInMembersGetEveryMessageAndTheStrongestReasonWins() {
        Facts c = new Facts(false, Set.of("alice", "bob", "carol"), Map.of(3L, List.of("bob")), List.of("bob", "carol", "alice"));

        List<Candidate> out = decider.decide(message("alice", 3L, "bob"), c);

        assertThat(out).extracting(Candidate::user, Candidate::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bob", Reason.MENTION),
                org.assertj.core.groups.Tuple.tuple("carol", Reason.CHANNEL_ALL));
    }

    @Test
    void aChannelNeverSeenNotifiesNobody() {
        ChannelFacts known = new Facts(false, Set.of("bob"), Map.of(), List.of());
        ChannelFacts missing = new ChannelFacts() {
            @Override public boolean exists() { return false; }
            @Override public boolean isDirect() { return false; }
            @Override public boolean isMember(String user) { return true; }
            @Override public Collection<String> directMembers() { return List.of(); }
            @Override public Collection<String> threadParticipants(long rootSeq) { return List.of(); }
            @Override public Collection<String> allOptIns() { return List.of(); }
        };

        assertThat(decider.decide(message("alice", null, "bob"), missing)).isEmpty();
        assertThat(decider.decide(message("alice", null, "bob"), known)).hasSize(1);
    }
}
