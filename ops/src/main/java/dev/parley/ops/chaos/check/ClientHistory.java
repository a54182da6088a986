package dev.parley.ops.chaos.check;

import java.util.List;
import java.util.Map;

/**
 * What one client (a user's device) ended up holding, as its application saw it: the events handed over, per
 * channel in the order it got them, across all its connections.
 *
 * @param client      the client's name (user + device)
 * @param user        its user
 * @param onlineAtEnd whether it was connected (welcomed) when the run ended; only those must hold everything
 * @param knownFrom   per channel, the seq after which the client holds every event: where it started following the
 *                    channel (the head its first welcome listed, or one before the first event it got of a channel it
 *                    learnt of later)
 * @param received    every event handed over, in the order they came
 */
public record ClientHistory(String client, String user, boolean onlineAtEnd, Map<String, Long> knownFrom,
                            List<Received> received) {

    public ClientHistory {
        knownFrom = Map.copyOf(knownFrom);
        received = List.copyOf(received);
    }
}
