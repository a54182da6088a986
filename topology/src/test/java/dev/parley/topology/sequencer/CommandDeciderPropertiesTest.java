package dev.parley.topology.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.api.DirectChannels;
import dev.parley.avro.Actor;
import dev.parley.avro.Visibility;
import dev.parley.avro.command.AddMember;
import dev.parley.avro.command.AddReaction;
import dev.parley.avro.command.CommandEnvelope;
import dev.parley.avro.command.CreateChannel;
import dev.parley.avro.command.DeleteMessage;
import dev.parley.avro.command.EditMessage;
import dev.parley.avro.command.JoinChannel;
import dev.parley.avro.command.LeaveChannel;
import dev.parley.avro.command.MarkRead;
import dev.parley.avro.command.OpenDirect;
import dev.parley.avro.command.RemoveReaction;
import dev.parley.avro.command.SendMessage;
import dev.parley.topology.state.ChannelMeta;
import dev.parley.topology.state.DedupeEntry;
import dev.parley.topology.state.MemberState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * A standing guard over the decider (issue 12): random and mutated commands, against random channel states,
 * never make it throw, always come out as a documented outcome (docs/protocol.md), and never produce an event, or
 * a read cursor, for a user who is not a member of a private channel.
 */
class CommandDeciderPropertiesTest {

    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    /** The {@code unchanged} codes of docs/protocol.md. */
    private static final Set<String> UNCHANGED = Set.of(CommandDecider.ALREADY_MEMBER, CommandDecider.ALREADY_DELETED,
            CommandDecider.ALREADY_REACTED, CommandDecider.NOT_REACTED, CommandDecider.ALREADY_EXISTS);

    private final CommandDecider decider = new CommandDecider();

    @Property(tries = 5000)
    void neverThrowsAndAlwaysAnswersWithADocumentedOutcome(@ForAll("commands") CommandEnvelope cmd, @ForAll("channels") View view) {
        Decision d = decider.decide(cmd, view);
        if (d instanceof Decision.Rejected r) {
            assertThat(r.code()).as("a rejection, not a failure").isNotEqualTo(ErrorCode.INTERNAL_ERROR);
            assertThat(r.message()).isNotBlank();
        } else if (d instanceof Decision.Unchanged u) {
            assertThat(UNCHANGED).contains(u.code());
            assertThat(u.head()).isEqualTo(view.channel.getHead());
        } else if (d instanceof Decision.Duplicate dup) {
            assertThat(view.keys).containsValue(dup.original());
        } else if (d instanceof Decision.MoveCursor m) {
            assertThat(m.upTo()).isBetween(0L, view.channel.getHead());
            assertThat(view.members).containsKey(cmd.getActor().getUser());
        } else {
            var event = ((Decision.Append) d).event();
            assertThat(event.getChannel()).isEqualTo(cmd.getChannel());
            assertThat(event.getActor()).isEqualTo(cmd.getActor());
            assertThat(event.getSeq()).isEqualTo(view.channel == null ? 1 : view.channel.getHead() + 1);
            assertThat(event.getEventId()).hasSize(26);
        }
    }

    /** The generators must keep reaching every kind of outcome, or the properties above prove little. */
    @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
    void theGeneratorsReachEveryOutcome(@ForAll("commands") CommandEnvelope cmd, @ForAll("channels") View view) {
        Decision d = decider.decide(cmd, view);
        Statistics.collect(d instanceof Decision.Rejected r ? r.code().wire() : d.getClass().getSimpleName());
        Statistics.coverage(c -> {
            for (String outcome : List.of("Append", "MoveCursor", "Unchanged", "Duplicate", "invalid", "not_a_member", "not_allowed",
                    "unknown_channel", "unknown_message", "message_deleted", "channel_exists")) {
                c.check(outcome).count(n -> n >= 3);
            }
        });
    }

    @Property(tries = 3000)
    void aNonMemberOfAPrivateChannelNeverGetsAnEventOrACursor(@ForAll("commands") CommandEnvelope cmd, @ForAll("channels") View view) {
        boolean outsider = view.channel != null && view.channel.getVisibility().equals(Visibility.PRIVATE.name())
                && !view.members.containsKey(cmd.getActor().getUser());
        Decision d = decider.decide(cmd, view);
        if (outsider) {
            assertThat(d).isNotInstanceOf(Decision.Append.class).isNotInstanceOf(Decision.MoveCursor.class);
        }
    }

    @Property(tries = 1000)
    void theSameCommandOnTheSameStateIsTheSameDecision(@ForAll("commands") CommandEnvelope cmd, @ForAll("channels") View view) {
        assertThat(decider.decide(cmd, view)).isEqualTo(decider.decide(cmd, view));
    }

    // ------------------------------------------------------------------ generators

    /** Mostly well-formed commands about a few channels and users, with every field mutated some of the time. */
    @Provide
    Arbitrary<CommandEnvelope> commands() {
        Arbitrary<String> channel = Arbitraries.frequencyOf(
                Tuple.of(18, Arbitraries.just("general")),
                Tuple.of(1, Arbitraries.just(DirectChannels.idFor(List.of("alice", "bob")))),
                Tuple.of(1, junk()));
        Arbitrary<String> user = Arbitraries.frequencyOf(Tuple.of(19, Arbitraries.of(USERS)),
                Tuple.of(1, junk()));
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(16, Arbitraries.of("k1", "k2", "k3")),
                Tuple.of(2, Arbitraries.just((String) null)), Tuple.of(1, junk()));
        return Combinators.combine(channel, user, key, payloads(), Arbitraries.longs().between(0, 4_000_000_000_000L))
                .as((c, u, k, p, t) -> CommandEnvelope.newBuilder().setCommandId("c").setChannel(c).setGatewayId("gw")
                        .setRequestId("r").setActor(new Actor(u, "d")).setTimestamp(Instant.ofEpochMilli(t))
                        .setIdempotencyKey(k).setCommand(p).build());
    }

    private static Arbitrary<Object> payloads() {
        Arbitrary<Long> seq = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(-2, 14)),
                Tuple.of(1, Arbitraries.longs()));
        Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.strings().alpha().numeric().withChars(" @.\u00e9\uD83D\uDE00").ofMinLength(1).ofMaxLength(40)),
                Tuple.of(2, junk()), Tuple.of(1, Arbitraries.just("x".repeat(40_001))));
        Arbitrary<String> emoji = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(":tada:", ":+1:", "\uD83C\uDF89")),
                Tuple.of(1, junk()));
        Arbitrary<String> title = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().alpha().withChars(' ').ofMaxLength(300)),
                Tuple.of(1, Arbitraries.just((String) null)), Tuple.of(1, junk()));
        Arbitrary<String> user = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(USERS)),
                Tuple.of(1, junk()));
        Arbitrary<Long> root = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((Long) null)),
                Tuple.of(2, seq));
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(Visibility.class), title).as((v, t) -> new CreateChannel(v, t)),
                Arbitraries.just(new JoinChannel()),
                Arbitraries.just(new LeaveChannel()),
                user.map(AddMember::new),
                Combinators.combine(text, root).as(SendMessage::new),
                Combinators.combine(seq, text).as(EditMessage::new),
                seq.map(DeleteMessage::new),
                Combinators.combine(seq, emoji).as(AddReaction::new),
                Combinators.combine(seq, emoji).as(RemoveReaction::new),
                seq.map(MarkRead::new),
                user.list().ofMaxSize(11).map(OpenDirect::new));
    }

    /** Strings a careless or hostile client sends: control characters, lone surrogates, huge, empty, spaces. */
    private static Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(140),
                Arbitraries.strings().withChars('\uD800', '\uDBFF', '\uDC00', 'a', ' ', '\u0000', '\n').ofMaxLength(8),
                Arbitraries.just(""),
                Arbitraries.just("a".repeat(300)));
    }

    /** No channel yet, or a public, private or direct one with some members, messages, keys and reactions. */
    @Provide
    Arbitrary<View> channels() {
        Arbitrary<Boolean> exists = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(false)),
                Tuple.of(6, Arbitraries.just(true)));
        return Combinators.combine(exists, Arbitraries.of(Visibility.class), Arbitraries.longs().between(1, 12),
                        Arbitraries.subsetOf(USERS), Arbitraries.of(USERS), Arbitraries.integers().between(0, 1 << 20),
                        Arbitraries.integers().between(0, 1 << 20))
                .as((present, visibility, head, members, owner, bits, deleted) -> {
                    View v = new View();
                    if (!present) {
                        return v;
                    }
                    v.channel = new ChannelMeta(visibility.name(), null, false, head, owner, 0L, members.size(), 0L);
                    for (String m : members) {
                        v.members.put(m, new MemberState(m.equals(owner) ? "OWNER" : "MEMBER", 1L, 0L));
                    }
                    for (long s = 2; s <= head; s++) {
                        if ((bits >> s & 1) == 1) {
                            Long threadRoot = (bits >> (s + 1) & 1) == 1 && s > 2 ? s - 1 : null;
                            v.messages.put(s, new MessageRef("m" + s, USERS.get((int) (s % USERS.size())), threadRoot, (deleted >> s & 1) == 1));
                        }
                    }
                    if ((bits & 1) == 1) {
                        v.keys.put("alice/k1", new DedupeEntry(2L, "e2", "m2"));
                    }
                    if ((bits & 2) == 2) {
                        v.reactions.add("3/:tada:/bob");
                    }
                    return v;
                });
    }
}
