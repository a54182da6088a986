package dev.parley.ops.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each check fails on a crafted history that breaks its promise, and only that check: the clean history of
 * {@link CraftedHistory} passes, and each test below changes one thing in it.
 */
class HistoryCheckerTest {

    private final CraftedHistory h = new CraftedHistory();

    @Test
    void aHistoryThatKeepsEveryPromisePasses() {
        Findings f = h.check();
        assertThat(f.clean()).as(f.lines().toString()).isTrue();
        assertThat(f.lines()).hasSize(LossClass.values().length).allMatch(l -> l.matches("\\S+\\s+0\\s+.*"));
    }

    @Test
    void anAckedSendMissingFromTheLogIsALoss() {
        h.log.removeIf(e -> "a2".equals(e.clientMsgId()));
        h.received.values().forEach(r -> r.removeIf(x -> x.channel().equals("pub") && x.seq() == 6));
        h.probeFrames.removeIf(x -> x.equals(ConnectionLog.Event.of("pub", 6)));
        assertOnly(LossClass.ACKED_SEND_LOST, 1);
        assertThat(h.check().examples(LossClass.ACKED_SEND_LOST)).containsExactly("alice/d pub/a2: acked at seq 6, not in the log");
    }

    @Test
    void anAckWithAnotherSeqThanTheLogsIsCaught() {
        h.replaceSend("b1", SentMessage.acked("bob/d", "bob", "pub", "b1", 1, 4));
        assertOnly(LossClass.ACKED_AT_OTHER_SEQ, 1);
    }

    @Test
    void aRetriedKeyWithTwoEventsIsCaught() {
        h.replaceSend("a1", SentMessage.acked("alice/d", "alice", "pub", "a1", 1, 4).withRetried());
        h.log.add(LoggedEvent.message("pub", 7, "alice", "a1"));
        h.received.values().forEach(r -> r.add(Received.of("pub", 7)));
        h.probeFrames.add(ConnectionLog.Event.of("pub", 7));
        assertOnly(LossClass.DUPLICATE_KEY, 1);
        assertThat(h.check().examples(LossClass.DUPLICATE_KEY)).containsExactly("alice pub/a1: 2 events, seqs [4, 7]");
    }

    @Test
    void anUnsettledSendMayHaveLandedOnceButNotTwice() {
        h.replaceSend("a2", new SentMessage("alice/d", "alice", "pub", "a2", 2, SentMessage.Outcome.UNSETTLED, 0, true));
        assertThat(h.check().clean()).isTrue();
        h.log.add(LoggedEvent.message("pub", 7, "alice", "a2"));
        h.received.values().forEach(r -> r.add(Received.of("pub", 7)));
        h.probeFrames.add(ConnectionLog.Event.of("pub", 7));
        assertOnly(LossClass.DUPLICATE_KEY, 1);
    }

    @Test
    void aSendRefusedForGoodMustNotBeInTheLog() {
        h.replaceSend("b2", new SentMessage("bob/d", "bob", "priv", "b2", 2, SentMessage.Outcome.REFUSED, 0, false));
        assertOnly(LossClass.REFUSED_SEND_LOGGED, 1);
    }

    @Test
    void aMessageNoClientSentIsCaught() {
        h.sends.removeIf(s -> s.clientMsgId().equals("b1"));
        assertOnly(LossClass.UNOFFERED_MESSAGE, 1);
    }

    @Test
    void aGapInAChannelsSeqsIsCaught() {
        h.log.removeIf(e -> e.channel().equals("pub") && e.seq() == 3);
        h.received.values().forEach(r -> r.removeIf(x -> x.channel().equals("pub") && x.seq() == 3));
        h.received.get("carol/d").clear();
        h.knownFrom.get("carol/d").clear();
        h.online.put("carol/d", false); // carol's join is the lost event: she is no member in this log
        h.probeFrames.set(0, new ConnectionLog.Welcome(Map.of("pub", 2L, "priv", 2L)));
        h.probeFrames.removeIf(x -> x.equals(ConnectionLog.Event.of("pub", 3)) || x.equals(new ConnectionLog.CaughtUp("pub", 3)));
        assertOnly(LossClass.SEQ_GAP, 1);
    }

    @Test
    void aRepeatedSeqIsCaught() {
        h.log.add(LoggedEvent.joined("priv", 2, "bob", "alice"));
        assertOnly(LossClass.SEQ_DUPLICATE, 1);
    }

    @Test
    void sendsLoggedOutOfTheSendersOrderAreCaught() {
        // alice offered a1 then a2; the log has a2 (seq 4) before a1 (seq 6)
        h.replaceSend("a1", SentMessage.acked("alice/d", "alice", "pub", "a1", 1, 6));
        h.replaceSend("a2", SentMessage.acked("alice/d", "alice", "pub", "a2", 2, 4));
        h.log.replaceAll(e -> "a1".equals(e.clientMsgId()) ? LoggedEvent.message("pub", 4, "alice", "a2")
                : "a2".equals(e.clientMsgId()) ? LoggedEvent.message("pub", 6, "alice", "a1") : e);
        assertOnly(LossClass.SENDER_ORDER, 1);
    }

    @Test
    void anEventAMemberOnlineAtTheEndNeverGotIsCaught() {
        h.received.get("bob/d").remove(Received.of("pub", 5));
        assertOnly(LossClass.MISSED_DELIVERY, 1);
        assertThat(h.check().examples(LossClass.MISSED_DELIVERY)).containsExactly("bob/d pub: 1 of seqs 3..6 never arrived, e.g. [5]");
    }

    @Test
    void aClientOfflineAtTheEndNeedNotHoldEverything() {
        h.received.get("bob/d").removeIf(r -> r.seq() >= 4);
        h.online.put("bob/d", false);
        assertThat(h.check().clean()).isTrue();
    }

    @Test
    void aMemberThatNeverLearntOfItsChannelMissedEverySinceItsJoin() {
        h.received.get("carol/d").clear();
        h.knownFrom.get("carol/d").clear();
        assertOnly(LossClass.MISSED_DELIVERY, 4); // seqs 3..6
    }

    @Test
    void aRepeatedOrBackwardDeliveryIsCaught() {
        h.received.get("carol/d").add(Received.of("pub", 5));
        assertOnly(LossClass.DELIVERY_ORDER, 1);
    }

    @Test
    void anEventThatDiffersFromTheLogsIsCaught() {
        List<Received> r = h.received.get("alice/d");
        r.set(r.indexOf(Received.of("pub", 5)), new Received("pub", 5, "somethingElse", 0));
        assertOnly(LossClass.WRONG_EVENT, 1);
    }

    @Test
    void aPrivateEventDeliveredToANonMemberIsCaught() {
        h.received.get("carol/d").add(Received.of("priv", 4));
        h.knownFrom.get("carol/d").put("priv", 3L);
        assertOnly(LossClass.PRIVATE_LEAK, 1);
        assertThat(h.check().examples(LossClass.PRIVATE_LEAK)).containsExactly("carol/d (user carol) got priv seq 4 without ever being a member");
    }

    @Test
    void aPrivateEventThatArrivesBeforeTheUserWasAddedIsALeak() {
        // dave is added to priv at seq 5; the add_member was first sent at t=100
        h.log.add(LoggedEvent.joined("priv", 5, "dave", "alice"));
        h.grants.add(new Grant("priv", "dave", 100));
        h.received.values().forEach(r -> r.add(Received.of("priv", 5)));
        h.received.get("carol/d").removeIf(x -> x.channel().equals("priv"));
        h.probeFrames.add(ConnectionLog.Event.of("priv", 5));
        assertThat(h.check().clean()).isTrue();

        Findings early = withClient(new ClientHistory("dave/d", "dave", true, Map.of("priv", 3L),
                List.of(Received.of("priv", 4).at(50), Received.of("priv", 5).at(150))));
        assertThat(counts(early)).isEqualTo(only(LossClass.PRIVATE_LEAK, 1));
        assertThat(early.examples(LossClass.PRIVATE_LEAK)).containsExactly("dave/d (user dave) got priv seq 4 before being added");

        // once in, a member may read what came before its join (history): no leak
        Findings later = withClient(new ClientHistory("dave/d", "dave", true, Map.of("priv", 3L),
                List.of(Received.of("priv", 4).at(120), Received.of("priv", 5).at(150))));
        assertThat(later.clean()).isTrue();
    }

    @Test
    void aPrivateEventOnAProbeConnectionOfANonMemberIsCaught() {
        Histories base = h.histories();
        ConnectionLog carol = new ConnectionLog("carol/probe", "carol", 1, Map.of("priv", 0L),
                List.of(new ConnectionLog.Welcome(Map.of("pub", 3L)), ConnectionLog.Event.of("priv", 3)));
        Findings f = HistoryChecker.all().check(new Histories(base.log(), base.sends(), base.clients(),
                List.of(base.connections().get(0), carol), base.grants()));
        assertThat(counts(f)).isEqualTo(only(LossClass.PRIVATE_LEAK, 1));
    }

    private Findings withClient(ClientHistory extra) {
        Histories base = h.histories();
        List<ClientHistory> clients = new java.util.ArrayList<>(base.clients());
        clients.add(extra);
        return HistoryChecker.all().check(new Histories(base.log(), base.sends(), clients, base.connections(), base.grants()));
    }

    @Test
    void aConnectionThatSkipsASeqIsCaughtEvenIfTheClientFilledIt() {
        h.probeFrames.remove(ConnectionLog.Event.of("pub", 4));
        assertOnly(LossClass.CONNECTION_GAP, 1);
        assertThat(h.check().examples(LossClass.CONNECTION_GAP)).containsExactly("bob/probe connection 1 pub: seq 5 arrived where 4 was due");
    }

    @Test
    void aConnectionThatDeliversASeqTwiceIsCaught() {
        h.probeFrames.add(ConnectionLog.Event.of("pub", 5));
        assertOnly(LossClass.CONNECTION_REPEAT, 1);
    }

    @Test
    void aCaughtUpBeforeTheEventsUpToItsSeqIsCaught() {
        // caught_up at 4 for priv while only 3 had been delivered
        h.probeFrames.add(4, new ConnectionLog.CaughtUp("priv", 4));
        assertOnly(LossClass.FALSE_CAUGHT_UP, 1);
    }

    @Test
    void behindSuspendsAChannelUntilTheClientSubscribesAgain() {
        h.probeFrames.add(5, new ConnectionLog.Behind("pub", 3, 6));
        h.probeFrames.removeIf(x -> x.equals(ConnectionLog.Event.of("pub", 4)) || x.equals(ConnectionLog.Event.of("pub", 5)));
        h.probeFrames.add(h.probeFrames.indexOf(ConnectionLog.Event.of("pub", 6)), new ConnectionLog.Subscribed("pub", 5));
        assertThat(h.check().clean()).as(h.check().lines().toString()).isTrue();
    }

    private void assertOnly(LossClass c, long n) {
        Findings f = h.check();
        assertThat(counts(f)).as(String.join("\n", f.lines())).isEqualTo(only(c, n));
    }

    private static Map<LossClass, Long> counts(Findings f) {
        Map<LossClass, Long> m = new EnumMap<>(LossClass.class);
        Arrays.stream(LossClass.values()).forEach(c -> m.put(c, f.count(c)));
        return m;
    }

    private static Map<LossClass, Long> only(LossClass c, long n) {
        Map<LossClass, Long> m = new EnumMap<>(LossClass.class);
        Arrays.stream(LossClass.values()).forEach(x -> m.put(x, x == c ? n : 0L));
        return m;
    }
}
