package dev.parley.gateway.client;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import java.util.Optional;

/**
 * Who may read a channel's history: anyone for a public channel, members for a private one. To anyone else a
 * private channel does not exist: the refusal is {@code unknown_channel}, word for word the one for a missing
 * channel, so its existence cannot be probed.
 */
public final class ReadAccess {

    private final ChannelQueries queries;

    public ReadAccess(ChannelQueries queries) {
        this.queries = queries;
    }

    /** Null when the user may read the channel, else the refusal. */
    public Refusal check(String user, String channel) {
        Optional<ChannelSummary> summary = queries.channel(channel, ChannelQueries.COMMITTED);
        if (summary.isEmpty()) {
            return Refusal.unknownChannel(channel);
        }
        if ("public".equals(summary.get().visibility()) || queries.member(channel, user).isPresent()) {
            return null;
        }
        // Not "not_a_member": that would tell a stranger the private channel exists.
        return Refusal.unknownChannel(channel);
    }
}
