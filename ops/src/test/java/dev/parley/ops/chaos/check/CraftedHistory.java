package dev.parley.ops.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small history that keeps every promise, for the checker's tests to break one thing at a time.
 *
 * <p>Channel {@code pub} (public, owner alice, bob added at 2) and {@code priv} (private, owner alice, bob added at
 * 2); carol joins {@code pub} at 3. Messages: {@code pub} 4 a1, 5 b1, 6 a2; {@code priv} 3 a3, 4 b2. Every send acked
 * at its seq; alice, bob and carol's clients got everything from where they started; a probe connection of bob
 * resumed both channels at 2 and got the rest.
 */
final class CraftedHistory {

    final List<LoggedEvent> log = new ArrayList<>(List.of(
            LoggedEvent.created("pub", "alice", false),
            LoggedEvent.created("priv", "alice", true),
            LoggedEvent.joined("pub", 2, "bob", "alice"),
            LoggedEvent.joined("priv", 2, "bob", "alice"),
            LoggedEvent.joined("pub", 3, "carol", "carol"),
            LoggedEvent.message("priv", 3, "alice", "a3"),
            LoggedEvent.message("pub", 4, "alice", "a1"),
            LoggedEvent.message("pub", 5, "bob", "b1"),
            LoggedEvent.message("priv", 4, "bob", "b2"),
            LoggedEvent.message("pub", 6, "alice", "a2")));

    final List<SentMessage> sends = new ArrayList<>(List.of(
            SentMessage.acked("alice/d", "alice", "pub", "a1", 1, 4),
            SentMessage.acked("alice/d", "alice", "pub", "a2", 2, 6),
            SentMessage.acked("alice/d", "alice", "priv", "a3", 3, 3),
            SentMessage.acked("bob/d", "bob", "pub", "b1", 1, 5),
            SentMessage.acked("bob/d", "bob", "priv", "b2", 2, 4)));

    final Map<String, Boolean> online = new HashMap<>(Map.of("alice/d", true, "bob/d", true, "carol/d", true));
    final Map<String, List<Received>> received = new HashMap<>();
    final Map<String, Map<String, Long>> knownFrom = new HashMap<>();
    final List<ConnectionLog.Frame> probeFrames = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();

    CraftedHistory() {
        received.put("alice/d", new ArrayList<>(List.of(Received.of("pub", 2), Received.of("pub", 3), Received.of("priv", 3),
                Received.of("pub", 4), Received.of("pub", 5), Received.of("priv", 4), Received.of("pub", 6))));
        knownFrom.put("alice/d", new HashMap<>(Map.of("pub", 1L, "priv", 2L)));
        received.put("bob/d", new ArrayList<>(List.of(Received.of("pub", 3), Received.of("priv", 3), Received.of("pub", 4),
                Received.of("pub", 5), Received.of("priv", 4), Received.of("pub", 6))));
        knownFrom.put("bob/d", new HashMap<>(Map.of("pub", 2L, "priv", 2L)));
        // carol learns of pub from her own join (seq 3): known from 2
        received.put("carol/d", new ArrayList<>(List.of(Received.of("pub", 3), Received.of("pub", 4), Received.of("pub", 5),
                Received.of("pub", 6))));
        knownFrom.put("carol/d", new HashMap<>(Map.of("pub", 2L)));
        probeFrames.addAll(List.of(
                new ConnectionLog.Welcome(Map.of("pub", 3L, "priv", 2L)),
                ConnectionLog.Event.of("pub", 3),
                new ConnectionLog.CaughtUp("priv", 2),
                ConnectionLog.Event.of("priv", 3),
                new ConnectionLog.CaughtUp("pub", 3),
                ConnectionLog.Event.of("pub", 4),
                ConnectionLog.Event.of("pub", 5),
                ConnectionLog.Event.of("priv", 4),
                ConnectionLog.Event.of("pub", 6)));
    }

    /** Replaces the send with this key by {@code s}. */
    void replaceSend(String key, SentMessage s) {
        sends.replaceAll(old -> old.clientMsgId().equals(key) ? s : old);
    }

    Histories histories() {
        List<ClientHistory> clients = new ArrayList<>();
        for (String client : List.of("alice/d", "bob/d", "carol/d")) {
            clients.add(new ClientHistory(client, client.substring(0, client.indexOf('/')), online.get(client),
                    knownFrom.get(client), received.get(client)));
        }
        ConnectionLog probe = new ConnectionLog("bob/probe", "bob", 1, Map.of("pub", 2L, "priv", 2L), probeFrames);
        return new Histories(log, sends, clients, List.of(probe), grants);
    }

    Findings check() {
        return HistoryChecker.all().check(histories());
    }
}
