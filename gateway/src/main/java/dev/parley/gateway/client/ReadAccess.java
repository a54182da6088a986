package dev.parley.gateway.client;

import dev.parley.api.query.ChannelQueries;
import dev.parley.api.query.ChannelSummary;
import java.util.Optional;

/** Who may read a channel's history: anyone for a public channel, members for a private one. */
public final class ReadAccess {

    private final ChannelQueries queries;

    public ReadAccess(ChannelQueries queries) {
        this.queries = queries;
    }

    /** Null when the user may read the channel, else the refusal. */
    public Refusal check(String user, String channel) {
        Optional<ChannelSummary> summary = queries.channel(channel);
        if (summary.isEmpty()) {
            return Refusal.unknownChannel(channel);
        }
        if ("public".equals(summary.get().visibility()) || queries.member(channel, user).isPresent()) {
            return null;
        }
        return new Refusal("not_a_member", "'" + channel + "' is private and you are not a member");
    }
}
