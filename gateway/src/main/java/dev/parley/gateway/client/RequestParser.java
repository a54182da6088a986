package dev.parley.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.api.DirectChannels;
import dev.parley.api.query.ChannelQueries;
import dev.parley.avro.Visibility;
import dev.parley.avro.command.AddMember;
import dev.parley.avro.command.AddReaction;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.DeleteMessage;
import dev.parley.avro.command.EditMessage;
import dev.parley.avro.command.JoinChannel;
import dev.parley.avro.command.LeaveChannel;
import dev.parley.avro.command.MarkRead;
import dev.parley.avro.command.OpenDirect;
import dev.parley.avro.command.RemoveReaction;
import dev.parley.avro.command.SendMessage;
import dev.parley.gateway.hub.Echo;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one validation layer: a request as a JSON object (a WebSocket frame, or a REST call's path, headers and
 * body put together by the REST layer) to a {@link ClientRequest}, or an {@link Invalid} that names the field.
 * Both transports call it, so the same input gets the same answer on both (docs/protocol.md).
 */
public final class RequestParser {

    /** Largest {@code channels} page; the welcome lists at most this many too. */
    public static final int MAX_CHANNEL_PAGE = 1000;

    private RequestParser() {
    }

    /**
     * @param frame a JSON object with a {@code type}
     * @param user  the authenticated user (a direct channel's id depends on it)
     */
    public static ClientRequest parse(JsonNode frame, String user) throws Invalid {
        Fields f = Fields.of(frame);
        String type = f.peek("type");
        if (type == null) {
            throw new Invalid("bad_frame", "a frame must be a JSON object with a \"type\" string", null, null);
        }
        return switch (type) {
            case "send" -> send(f);
            case "create_channel" -> {
                Fields r = keyed(f);
                String channel = r.channel();
                Visibility visibility = r.bool("private", false) ? Visibility.PRIVATE : Visibility.PUBLIC;
                yield command(type, r, channel, new CreateChannel(visibility, r.title()));
            }
            case "join" -> channelCommand(type, f, new JoinChannel());
            case "leave" -> channelCommand(type, f, new LeaveChannel());
            case "add_member" -> {
                Fields r = keyed(f);
                String channel = r.channel();
                yield command(type, r, channel, new AddMember(r.user("user")));
            }
            case "edit" -> {
                Fields r = keyed(f);
                String channel = r.channel();
                yield command(type, r, channel, new EditMessage(r.seq("seq"), r.text()));
            }
            case "delete" -> {
                Fields r = keyed(f);
                yield command(type, r, r.channel(), new DeleteMessage(r.seq("seq")));
            }
            case "react" -> {
                Fields r = keyed(f);
                String channel = r.channel();
                yield command(type, r, channel, new AddReaction(r.seq("seq"), r.emoji()));
            }
            case "unreact" -> {
                Fields r = keyed(f);
                String channel = r.channel();
                yield command(type, r, channel, new RemoveReaction(r.seq("seq"), r.emoji()));
            }
            case "mark_read" -> {
                Fields r = keyed(f);
                yield command(type, r, r.channel(), new MarkRead(r.seq("seq")));
            }
            case "open_dm" -> openDirect(f, user);
            case "set_notifications" -> NotificationSettings.command(keyed(f));
            case "history" -> {
                Fields r = reading(f);
                String channel = r.channel();
                Long before = r.optionalSeq("before", 0);
                yield new ClientRequest.History(r.optionalKey("requestId"), channel, before == null ? Long.MAX_VALUE : before,
                        r.limit(50, ChannelQueries.MAX_PAGE));
            }
            case "events" -> {
                Fields r = reading(f);
                String channel = r.channel();
                Long before = r.optionalSeq("before", 0);
                Long after = r.optionalSeq("after", 0);
                yield new ClientRequest.Events(r.optionalKey("requestId"), channel, after == null ? 0 : after, before,
                        r.limit(500, ChannelQueries.MAX_PAGE));
            }
            case "thread" -> {
                Fields r = reading(f);
                String channel = r.channel();
                long root = r.seq("root");
                Long after = r.optionalSeq("after", 0);
                yield new ClientRequest.Thread(r.optionalKey("requestId"), channel, root, after == null ? 0 : after,
                        r.limit(100, ChannelQueries.MAX_PAGE));
            }
            case "channels" -> {
                Fields r = reading(f);
                String after = null;
                if (r.has("after")) {
                    after = r.channel("after");
                }
                yield new ClientRequest.Channels(r.optionalKey("requestId"), after, r.limit(MAX_CHANNEL_PAGE, MAX_CHANNEL_PAGE));
            }
            case "subscribe" -> {
                Fields r = f.about("channel", f.peek("channel"));
                String channel = r.channel();
                Long after = r.optionalSeq("after", 0);
                yield new ClientRequest.Subscribe(channel, after == null ? -1 : after);
            }
            case "presence_watch" -> {
                Fields r = reading(f);
                yield new ClientRequest.WatchPresence(r.optionalKey("requestId"), UserList.of(r, "users"));
            }
            case "set_status" -> new ClientRequest.SetStatus(Status.away(f));
            case "set_delivery" -> {
                Fields r = f.about("channel", f.peek("channel"));
                String channel = r.channel();
                String mode = r.peek("mode");
                if (!"push".equals(mode) && !"pull".equals(mode)) {
                    throw r.invalid("\"mode\" must be \"push\" or \"pull\"");
                }
                Long after = r.optionalSeq("after", 0);
                yield new ClientRequest.SetDelivery(channel, mode.equals("pull"), after == null ? -1 : after);
            }
            case "typing" -> {
                Fields r = f.about("channel", f.peek("channel"));
                yield new ClientRequest.Typing(r.channel());
            }
            case "ping" -> new ClientRequest.Ping();
            case "hello" -> new ClientRequest.Hello();
            default -> throw new Invalid("unknown_type", "unknown frame type '" + Echo.quote(type) + "'", null, null);
        };
    }

    private static ClientRequest send(Fields f) throws Invalid {
        String key = f.key("clientMsgId", ": it makes retries safe");
        Fields r = f.about("clientMsgId", key);
        String channel = r.channel();
        String text = r.text();
        Long threadRoot = r.optionalSeq("threadRoot", 1);
        return new ClientRequest.Command("send", "clientMsgId", key, channel, new SendMessage(text, threadRoot));
    }

    private static ClientRequest openDirect(Fields f, String user) throws Invalid {
        Fields r = keyed(f);
        JsonNode users = r.node("users");
        if (users == null || !users.isArray() || users.isEmpty()) {
            throw r.invalid("open_dm needs \"users\": the other members' ids");
        }
        if (users.size() >= DirectChannels.MAX_MEMBERS) {
            throw r.invalid("a direct channel has at most " + DirectChannels.MAX_MEMBERS + " members");
        }
        Set<String> members = new TreeSet<>();
        members.add(user);
        for (JsonNode u : users) {
            if (!u.isTextual() || !dev.parley.api.Limits.isValidToken(u.textValue())) {
                throw r.invalid("\"users\" must be user ids (1-128 characters)");
            }
            members.add(u.textValue());
        }
        return new ClientRequest.Command("open_dm", "requestId", r.id(), DirectChannels.idFor(members),
                new OpenDirect(List.copyOf(members)));
    }

    private static ClientRequest channelCommand(String type, Fields f, Object payload) throws Invalid {
        Fields r = keyed(f);
        return command(type, r, r.channel(), payload);
    }

    private static ClientRequest command(String type, Fields r, String channel, Object payload) {
        return new ClientRequest.Command(type, "requestId", r.id(), channel, payload);
    }

    /** Commands other than send: the requestId is their idempotency key. */
    private static Fields keyed(Fields f) throws Invalid {
        return f.about("requestId", f.key("requestId", "; a retry with the same one is safe"));
    }

    /** Reads: an optional requestId, echoed in errors. */
    private static Fields reading(Fields f) {
        String requestId = f.peek("requestId");
        return f.about("requestId", requestId);
    }
}
