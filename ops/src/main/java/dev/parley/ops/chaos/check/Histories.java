package dev.parley.ops.chaos.check;

import java.util.List;

/**
 * Everything a run recorded, the input of {@link HistoryChecker}: the whole committed log, every send and how it
 * ended, what each client's application got, and what each probe connection got from the gateway.
 *
 * @param log         the log's events, each channel's in partition order
 * @param sends       every send offered
 * @param clients     each client's received history
 * @param connections each probe connection's frames
 * @param grants      when each user was let into each channel it is a member of (when known)
 */
public record Histories(List<LoggedEvent> log, List<SentMessage> sends, List<ClientHistory> clients,
                        List<ConnectionLog> connections, List<Grant> grants) {

    public Histories {
        log = List.copyOf(log);
        sends = List.copyOf(sends);
        clients = List.copyOf(clients);
        connections = List.copyOf(connections);
        grants = List.copyOf(grants);
    }
}
