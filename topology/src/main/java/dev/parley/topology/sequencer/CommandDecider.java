package dev.parley.topology.sequencer;

import dev.parley.api.DirectChannels;
import dev.parley.api.Limits;

import dev.parley.avro.Visibility;
import dev.parley.avro.command.AddMember;
import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.JoinChannel;
import dev.parley.avro.command.LeaveChannel;
import dev.parley.avro.command.SendMessage;
import dev.parley.avro.command.AddReaction;
import dev.parley.avro.command.DeleteMessage;
import dev.parley.avro.command.EditMessage;
import dev.parley.avro.command.MarkRead;
import dev.parley.avro.command.OpenDirect;
import dev.parley.avro.command.RemoveReaction;
import dev.parley.avro.event.MessageDeleted;
import dev.parley.avro.event.MessageEdited;
import dev.parley.avro.event.ReactionAdded;
import dev.parley.avro.event.ReactionRemoved;
import java.util.ArrayList;
import java.util.List;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.ChannelEvent;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MemberLeft;
import dev.parley.avro.event.MessagePosted;
import dev.parley.avro.Role;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.MemberState;
import java.util.Optional;

/**
 * The sequencer's rules, as a pure function of a command and what is known of its channel at that point
 * of the channel's order: authorize, dedupe, validate, then assign the next seq. No Kafka types here.
 *
 * <p>Order of checks: a command's own well-formedness that does not depend on state (the idempotency key),
 * then the idempotency key (a retry always gets the original outcome, even if the state changed since),
 * then existence, membership / permission, then the content.
 */
public final class CommandDecider {

    public static final String ALREADY_MEMBER = "already_member";
    public static final String ALREADY_DELETED = "already_deleted";
    public static final String ALREADY_REACTED = "already_reacted";
    public static final String NOT_REACTED = "not_reacted";
    public static final String ALREADY_EXISTS = "already_exists";

    public Decision decide(CommandEnvelope cmd, ChannelView view) {
        String user = cmd.getActor().getUser();
        String key = cmd.getIdempotencyKey();
        Object command = cmd.getCommand();

        if (!Limits.isValidChannelId(cmd.getChannel())) {
            return invalid("channel id '" + cmd.getChannel() + "' is not valid: use 1-80 letters, digits, '.', '_' or '-'");
        }
        if (!Limits.isValidToken(user)) {
            return invalid("actor user id is missing or not valid");
        }
        if (key != null && !Limits.isValidToken(key)) {
            return invalid("idempotency key must be 1-" + Limits.MAX_ID_CHARS + " characters without control characters");
        }
        if (command instanceof SendMessage && key == null) {
            return invalid("a message needs an idempotency key (clientMsgId / Idempotency-Key) so that retries are safe");
        }
        if (key != null) {
            var original = view.dedupe(user, key);
            if (original.isPresent()) {
                return new Decision.Duplicate(original.get());
            }
        }
        Optional<ChannelMeta> channel = view.channel();
        if (command instanceof CreateChannel create) {
            if (DirectChannels.isDirect(cmd.getChannel())) {
                return invalid("channel ids starting with '" + DirectChannels.PREFIX + "' are reserved for direct messages: use open_dm");
            }
            String titleProblem = titleProblem(create.getTitle());
            if (titleProblem != null) {
                return invalid(titleProblem);
            }
            return channel.isPresent()
                    ? new Decision.Rejected(ErrorCode.CHANNEL_EXISTS, "channel '" + cmd.getChannel() + "' already exists")
                    : append(cmd, 1, null, ChannelCreated.newBuilder().setVisibility(create.getVisibility()).setTitle(create.getTitle()).build(), EventKind.CHANNEL_CREATED);
        }
        if (command instanceof OpenDirect open) {
            return openDirect(cmd, open, channel);
        }
        if (channel.isEmpty()) {
            return new Decision.Rejected(ErrorCode.UNKNOWN_CHANNEL, "channel '" + cmd.getChannel() + "' does not exist");
        }
        ChannelMeta meta = channel.get();
        long next = meta.getHead() + 1;
        Optional<MemberState> self = view.member(user);

        if (command instanceof JoinChannel) {
            if (self.isPresent()) {
                return new Decision.Unchanged(ALREADY_MEMBER, meta.getHead());
            }
            if (!Visibility.PUBLIC.name().equals(meta.getVisibility())) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "channel '" + cmd.getChannel()
                        + "' is private: a member has to add you");
            }
            return append(cmd, next, null, new MemberJoined(user, Role.MEMBER, null), EventKind.MEMBER_JOINED);
        }
        boolean direct = DirectChannels.isDirect(cmd.getChannel());
        if (command instanceof LeaveChannel) {
            if (direct && self.isPresent()) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "a direct channel keeps its members");
            }
            return self.isEmpty()
                    ? notAMember(user, cmd.getChannel())
                    : append(cmd, next, null, new MemberLeft(user), EventKind.MEMBER_LEFT);
        }
        if (command instanceof AddMember add) {
            if (self.isEmpty()) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "only members of '" + cmd.getChannel() + "' can add members");
            }
            if (direct) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "a direct channel has fixed members: open another one with them");
            }
            if (!Limits.isValidToken(add.getUser())) {
                return invalid("the user to add is missing or not a valid user id");
            }
            if (view.member(add.getUser()).isPresent()) {
                return new Decision.Unchanged(ALREADY_MEMBER, meta.getHead());
            }
            return append(cmd, next, null, new MemberJoined(add.getUser(), Role.MEMBER, user), EventKind.MEMBER_JOINED);
        }
        if (command instanceof SendMessage send) {
            if (self.isEmpty()) {
                return notAMember(user, cmd.getChannel());
            }
            String problem = textProblem(send.getText());
            if (problem != null) {
                return invalid(problem);
            }
            if (send.getThreadRoot() != null) {
                Decision refused = threadRootProblem(send.getThreadRoot(), view);
                if (refused != null) {
                    return refused;
                }
            }
            String messageId = Ids.messageId(cmd.getChannel(), next, cmd.getTimestamp().toEpochMilli());
            return append(cmd, next, messageId, MessagePosted.newBuilder().setText(send.getText()).setThreadRoot(send.getThreadRoot())
                    .setMentions(Mentions.parse(send.getText())).build(), EventKind.MESSAGE);
        }
        if (self.isEmpty()) {
            return notAMember(user, cmd.getChannel());
        }
        MemberState member = self.get();
        if (command instanceof EditMessage edit) {
            Object problem = existingMessage(edit.getMessageSeq(), view, true);
            if (problem instanceof Decision d) {
                return d;
            }
            MessageRef ref = (MessageRef) problem;
            if (!ref.author().equals(user)) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "only the author can edit a message");
            }
            String textProblem = textProblem(edit.getText());
            if (textProblem != null) {
                return invalid(textProblem);
            }
            return append(cmd, next, ref.messageId(), new MessageEdited(edit.getMessageSeq(), edit.getText(),
                    Mentions.parse(edit.getText())), EventKind.EDITED);
        }
        if (command instanceof DeleteMessage delete) {
            Object found = existingMessage(delete.getMessageSeq(), view, false);
            if (found instanceof Decision d) {
                return d;
            }
            MessageRef ref = (MessageRef) found;
            if (ref.deleted()) {
                return new Decision.Unchanged(ALREADY_DELETED, meta.getHead());
            }
            if (!ref.author().equals(user) && !Role.OWNER.name().equals(member.getRole())) {
                return new Decision.Rejected(ErrorCode.NOT_ALLOWED, "only the author or a channel owner can delete a message");
            }
            return append(cmd, next, ref.messageId(), new MessageDeleted(delete.getMessageSeq()), EventKind.DELETED);
        }
        if (command instanceof AddReaction react) {
            if (!Limits.isValidEmoji(react.getEmoji())) {
                return invalid("emoji must be 1-64 characters without spaces, e.g. ':thumbsup:' or a Unicode emoji");
            }
            Object found = existingMessage(react.getMessageSeq(), view, true);
            if (found instanceof Decision d) {
                return d;
            }
            if (view.hasReaction(react.getMessageSeq(), react.getEmoji(), user)) {
                return new Decision.Unchanged(ALREADY_REACTED, meta.getHead());
            }
            return append(cmd, next, ((MessageRef) found).messageId(), new ReactionAdded(react.getMessageSeq(), react.getEmoji()),
                    EventKind.REACTION_ADDED);
        }
        if (command instanceof RemoveReaction unreact) {
            Object found = existingMessage(unreact.getMessageSeq(), view, false);
            if (found instanceof Decision d) {
                return d;
            }
            if (!view.hasReaction(unreact.getMessageSeq(), unreact.getEmoji(), user)) {
                return new Decision.Unchanged(NOT_REACTED, meta.getHead());
            }
            return append(cmd, next, ((MessageRef) found).messageId(), new ReactionRemoved(unreact.getMessageSeq(), unreact.getEmoji()),
                    EventKind.REACTION_REMOVED);
        }
        if (command instanceof MarkRead read) {
            if (read.getSeq() < 0 || read.getSeq() > meta.getHead()) {
                return invalid("read cursor " + read.getSeq() + " is outside the channel (head " + meta.getHead() + ")");
            }
            return new Decision.MoveCursor(read.getSeq(), meta.getHead());
        }
        return invalid("unsupported command " + (command == null ? "null" : command.getClass().getSimpleName()));
    }

    /** The message at seq, or the decision that refuses the command (unknown, or deleted when that matters). */
    private static Object existingMessage(long seq, ChannelView view, boolean mustBeLive) {
        Optional<MessageRef> ref = view.message(seq);
        if (ref.isEmpty()) {
            return new Decision.Rejected(ErrorCode.UNKNOWN_MESSAGE, "there is no message at seq " + seq + " in this channel");
        }
        if (mustBeLive && ref.get().deleted()) {
            return new Decision.Rejected(ErrorCode.MESSAGE_DELETED, "message " + seq + " was deleted");
        }
        return ref.get();
    }

    private static Decision openDirect(CommandEnvelope cmd, OpenDirect open, Optional<ChannelMeta> channel) {
        String user = cmd.getActor().getUser();
        List<String> members = DirectChannels.normalize(open.getMembers());
        if (!members.contains(user)) {
            return invalid("a direct channel's members must include the user opening it");
        }
        if (members.size() < DirectChannels.MIN_MEMBERS || members.size() > DirectChannels.MAX_MEMBERS) {
            return invalid("a direct channel has " + DirectChannels.MIN_MEMBERS + " to " + DirectChannels.MAX_MEMBERS
                    + " distinct members, got " + members.size());
        }
        for (String m : members) {
            if (!Limits.isValidToken(m)) {
                return invalid("'" + m + "' is not a valid user id");
            }
        }
        String expected = DirectChannels.idFor(members);
        if (!expected.equals(cmd.getChannel())) {
            return invalid("the direct channel of these members is '" + expected + "', not '" + cmd.getChannel() + "'");
        }
        if (channel.isPresent()) {
            return new Decision.Unchanged(ALREADY_EXISTS, channel.get().getHead());
        }
        List<String> others = new ArrayList<>(members);
        others.remove(user);
        return append(cmd, 1, null, ChannelCreated.newBuilder().setVisibility(Visibility.PRIVATE).setDirect(true)
                .setMembers(others).build(), EventKind.CHANNEL_CREATED);
    }

    private static String textProblem(String text) {
        if (text == null || text.isBlank()) {
            return "message text is empty";
        }
        if (!Limits.isWellFormed(text)) {
            return "message text is not well-formed UTF-16 (a lone surrogate)";
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > Limits.MAX_TEXT_CHARS) {
            return "message text has " + chars + " characters; the limit is " + Limits.MAX_TEXT_CHARS;
        }
        return null;
    }

    private static String titleProblem(String title) {
        if (title == null) {
            return null;
        }
        if (!Limits.isWellFormed(title)) {
            return "the title is not well-formed UTF-16 (a lone surrogate)";
        }
        int chars = title.codePointCount(0, title.length());
        if (chars > Limits.MAX_TITLE_CHARS) {
            return "the title has " + chars + " characters; the limit is " + Limits.MAX_TITLE_CHARS;
        }
        return null;
    }

    private static Decision threadRootProblem(long root, ChannelView view) {
        Optional<MessageRef> ref = view.message(root);
        if (ref.isEmpty()) {
            return invalid("thread root " + root + " is not a message of this channel");
        }
        if (ref.get().deleted()) {
            return new Decision.Rejected(ErrorCode.MESSAGE_DELETED, "thread root " + root + " was deleted");
        }
        if (ref.get().threadRoot() != null) {
            return invalid("message " + root + " is itself a reply in thread " + ref.get().threadRoot() + "; reply to that root instead");
        }
        return null;
    }

    private static Decision append(CommandEnvelope cmd, long seq, String messageId, Object payload, EventKind kind) {
        long ts = cmd.getTimestamp().toEpochMilli();
        ChannelEvent event = ChannelEvent.newBuilder()
                .setChannel(cmd.getChannel())
                .setSeq(seq)
                .setEventId(Ids.eventId(cmd.getChannel(), seq, ts))
                .setMessageId(messageId)
                .setKind(kind)
                .setActor(cmd.getActor())
                .setTimestamp(cmd.getTimestamp())
                .setIdempotencyKey(cmd.getIdempotencyKey())
                .setCommandId(cmd.getCommandId())
                .setPayload(payload)
                .build();
        return new Decision.Append(event);
    }

    private static Decision invalid(String message) {
        return new Decision.Rejected(ErrorCode.INVALID, message);
    }

    private static Decision notAMember(String user, String channel) {
        return new Decision.Rejected(ErrorCode.NOT_A_MEMBER, "user '" + user + "' is not a member of '" + channel + "'");
    }
}
