package dev.parley.topology.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.avro.Role;
import dev.parley.avro.Visibility;
import dev.parley.avro.event.ChannelCreated;
import dev.parley.avro.event.EventKind;
import dev.parley.avro.event.MemberJoined;
import dev.parley.avro.event.MessagePosted;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.support.Commands;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import dev.parley.api.Limits;
import dev.parley.avro.command.CreateChannel;

/** The sequencer's rules on their own: no Kafka, no stores. */
class CommandDeciderTest {

    private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
    private final CommandDecider decider = new CommandDecider();

    private static View channel(String visibility, long lastSeq, String... members) {
        return View.channel(visibility, lastSeq, members);
    }

    @Test
    void createMakesSeqOneWithTheCreatorAsOwner() {
        Decision d = decider.decide(Commands.create("general", "alice", false, T), new View());
        var event = ((Decision.Append) d).event();
        assertThat(event.getSeq()).isEqualTo(1);
        assertThat(event.getKind()).isEqualTo(EventKind.CHANNEL_CREATED);
        assertThat(((ChannelCreated) event.getPayload()).getVisibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(event.getActor().getUser()).isEqualTo("alice");
        assertThat(event.getMessageId()).isNull();
    }

    @Test
    void secondCreateIsRejected() {
        Decision d = decider.decide(Commands.create("general", "bob", false, T), channel("PUBLIC", 1, "alice"));
        assertThat(d).isEqualTo(new Decision.Rejected(ErrorCode.CHANNEL_EXISTS, "channel 'general' already exists"));
    }

    @Test
    void sendTakesTheNextSeqAndADeterministicMessageId() {
        View v = channel("PUBLIC", 41, "alice");
        var first = ((Decision.Append) decider.decide(Commands.send("general", "alice", "k1", "hi", T), v)).event();
        var again = ((Decision.Append) decider.decide(Commands.send("general", "alice", "k1", "hi", T), v)).event();
        assertThat(first.getSeq()).isEqualTo(42);
        assertThat(first.getMessageId()).hasSize(26).isEqualTo(again.getMessageId());
        assertThat(first.getEventId()).hasSize(26).isNotEqualTo(first.getMessageId());
        assertThat(first.getIdempotencyKey()).isEqualTo("k1");
        assertThat(((MessagePosted) first.getPayload()).getText()).isEqualTo("hi");
    }

    @Test
    void aKnownKeyReturnsTheOriginalOutcomeEvenAfterLeaving() {
        View v = channel("PUBLIC", 10);
        v.keys.put("alice/k1", new DedupeEntry(7L, "e7", "m7"));
        Decision d = decider.decide(Commands.send("general", "alice", "k1", "hi", T), v);
        assertThat(d).isEqualTo(new Decision.Duplicate(new DedupeEntry(7L, "e7", "m7")));
    }

    @Test
    void keysAreScopedToTheUser() {
        View v = channel("PUBLIC", 10, "bob");
        v.keys.put("alice/k1", new DedupeEntry(7L, "e7", "m7"));
        assertThat(decider.decide(Commands.send("general", "bob", "k1", "hi", T), v)).isInstanceOf(Decision.Append.class);
    }

    @Test
    void sendRejections() {
        assertThat(code(Commands.send("nope", "alice", "k", "hi", T), new View())).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        assertThat(code(Commands.send("general", "mallory", "k", "hi", T), channel("PUBLIC", 3, "alice"))).isEqualTo(ErrorCode.NOT_A_MEMBER);
        assertThat(code(Commands.send("general", "alice", null, "hi", T), channel("PUBLIC", 3, "alice"))).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.send("general", "alice", "k", "", T), channel("PUBLIC", 3, "alice"))).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.send("general", "alice", "k", "   \n", T), channel("PUBLIC", 3, "alice"))).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.send("general", "alice", "k", "x".repeat(40_001), T), channel("PUBLIC", 3, "alice"))).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.send("bad channel!", "alice", "k", "hi", T), new View())).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void fortyThousandCharactersIsTheLimitCountedInCodePoints() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        View v = channel("PUBLIC", 3, "alice");
        assertThat(decider.decide(Commands.send("general", "alice", "k", emoji.repeat(40_000), T), v)).isInstanceOf(Decision.Append.class);
        Decision tooLong = decider.decide(Commands.send("general", "alice", "k", emoji.repeat(40_001), T), v);
        assertThat(((Decision.Rejected) tooLong).message()).contains("40001 characters");
    }

    @Test
    void threadRootMustBeAnExistingTopLevelMessage() {
        View v = channel("PUBLIC", 9, "alice");
        v.messages.put(3L, new MessageRef("m3", "alice", null, false));
        v.messages.put(5L, new MessageRef("m5", "alice", 3L, false));
        v.messages.put(6L, new MessageRef("m6", "alice", null, true));
        var ok = ((Decision.Append) decider.decide(Commands.reply("general", "alice", "k", "re", 3, T), v)).event();
        assertThat(((MessagePosted) ok.getPayload()).getThreadRoot()).isEqualTo(3L);
        assertThat(message(Commands.reply("general", "alice", "k", "re", 4, T), v)).contains("not a message");
        assertThat(message(Commands.reply("general", "alice", "k", "re", 5, T), v)).contains("itself a reply in thread 3");
        assertThat(message(Commands.reply("general", "alice", "k", "re", 6, T), v)).contains("deleted");
        assertThat(code(Commands.reply("general", "alice", "k", "re", 6, T), v)).isEqualTo(ErrorCode.MESSAGE_DELETED);
        assertThat(code(Commands.reply("general", "alice", "k", "re", 5, T), v)).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void joinRules() {
        var joined = ((Decision.Append) decider.decide(Commands.join("general", "bob", T), channel("PUBLIC", 4, "alice"))).event();
        assertThat(joined.getSeq()).isEqualTo(5);
        assertThat(((MemberJoined) joined.getPayload()).getUser()).isEqualTo("bob");
        assertThat(((MemberJoined) joined.getPayload()).getRole()).isEqualTo(Role.MEMBER);
        assertThat(code(Commands.join("secret", "bob", T), channel("PRIVATE", 4, "alice"))).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(code(Commands.join("nope", "bob", T), new View())).isEqualTo(ErrorCode.UNKNOWN_CHANNEL);
        assertThat(decider.decide(Commands.join("general", "alice", T), channel("PUBLIC", 4, "alice")))
                .isEqualTo(new Decision.Unchanged(CommandDecider.ALREADY_MEMBER, 4));
    }

    @Test
    void leaveRules() {
        assertThat(((Decision.Append) decider.decide(Commands.leave("general", "alice", T), channel("PUBLIC", 4, "alice"))).event().getKind())
                .isEqualTo(EventKind.MEMBER_LEFT);
        assertThat(code(Commands.leave("general", "bob", T), channel("PUBLIC", 4, "alice"))).isEqualTo(ErrorCode.NOT_A_MEMBER);
    }

    @Test
    void addMemberRules() {
        var added = ((Decision.Append) decider.decide(Commands.add("secret", "alice", "bob", T), channel("PRIVATE", 2, "alice"))).event();
        assertThat(((MemberJoined) added.getPayload()).getUser()).isEqualTo("bob");
        assertThat(((MemberJoined) added.getPayload()).getAddedBy()).isEqualTo("alice");
        assertThat(code(Commands.add("secret", "mallory", "bob", T), channel("PRIVATE", 2, "alice"))).isEqualTo(ErrorCode.NOT_ALLOWED);
        assertThat(decider.decide(Commands.add("secret", "alice", "bob", T), channel("PRIVATE", 2, "alice", "bob")))
                .isEqualTo(new Decision.Unchanged(CommandDecider.ALREADY_MEMBER, 2));
    }

    @Test
    void titlesAreLimitedInCharactersAndTextsAndTitlesMustBeWellFormed() {
        String title = "\uD83D\uDE00".repeat(Limits.MAX_TITLE_CHARS); // 250 characters, 500 UTF-16 units
        assertThat(decider.decide(Commands.envelope("general", "alice", null, new CreateChannel(Visibility.PUBLIC, title), T), new View()))
                .isInstanceOf(Decision.Append.class);
        Decision tooLong = decider.decide(Commands.envelope("general", "alice", null, new CreateChannel(Visibility.PUBLIC, title + "x"), T),
                new View());
        assertThat(((Decision.Rejected) tooLong).code()).isEqualTo(ErrorCode.INVALID);
        assertThat(((Decision.Rejected) tooLong).message()).contains("251 characters");
        assertThat(code(Commands.envelope("general", "alice", null, new CreateChannel(Visibility.PUBLIC, "a\uD800b"), T), new View()))
                .isEqualTo(ErrorCode.INVALID);
        View v = channel("PUBLIC", 3, "alice");
        assertThat(message(Commands.send("general", "alice", "k", "lone \uDC00 surrogate", T), v)).contains("well-formed");
        v.messages.put(3L, new MessageRef("m3", "alice", null, false));
        assertThat(code(Commands.edit("general", "alice", "e", 3, "\uD800", T), v)).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.send("general", "alice", "k\uD800", "hi", T), v)).as("ids too").isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.add("general", "alice", "b\uDBFF", T), v)).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void aReadCursorIsCheckedAgainstTheChannelAndTakesNoSeq() {
        View v = channel("PUBLIC", 7, "alice");
        assertThat(decider.decide(Commands.markRead("general", "alice", "r", 5, T), v)).isEqualTo(new Decision.MoveCursor(5, 7));
        assertThat(decider.decide(Commands.markRead("general", "alice", "r", 7, T), v)).isEqualTo(new Decision.MoveCursor(7, 7));
        assertThat(code(Commands.markRead("general", "alice", "r", 8, T), v)).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.markRead("general", "alice", "r", -1, T), v)).isEqualTo(ErrorCode.INVALID);
        assertThat(code(Commands.markRead("general", "bob", "r", 5, T), v)).isEqualTo(ErrorCode.NOT_A_MEMBER);
    }

    private ErrorCode code(dev.parley.avro.command.CommandEnvelope cmd, View v) {
        return ((Decision.Rejected) decider.decide(cmd, v)).code();
    }

    private String message(dev.parley.avro.command.CommandEnvelope cmd, View v) {
        return ((Decision.Rejected) decider.decide(cmd, v)).message();
    }
}
