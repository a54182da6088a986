package dev.parley.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admission decisions on their own, with a hand-moved clock: buckets, the read gate and shedding. */
class AdmissionTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    private Admission admission(String userSends, String connectionSends, int maxInFlight, Duration shedAfter) {
        return new Admission(new AdmissionSettings(Rate.parse(userSends, "u"), Rate.parse("5,5", "uo"),
                Rate.parse(connectionSends, "c"), Rate.parse("off", "co"), 64, maxInFlight, shedAfter), now::get);
    }

    @Test
    void aBucketGivesItsBurstThenRefillsAtItsRate() {
        TokenBucket b = new TokenBucket(new Rate(10, 50), now.get());
        for (int i = 0; i < 50; i++) {
            assertThat(b.take(now.get())).isZero();
        }
        long wait = b.take(now.get());
        assertThat(wait).isEqualTo(SECOND / 10);
        now.addAndGet(SECOND / 10);
        assertThat(b.take(now.get())).isZero();
        assertThat(b.take(now.get())).isPositive();
        now.addAndGet(100 * SECOND);
        assertThat(b.isFull(now.get())).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(b.take(now.get())).isZero();
        }
        assertThat(b.take(now.get())).isPositive();
    }

    @Test
    void ratesAreWrittenPerSecondCommaBurstOrOff() {
        assertThat(Rate.parse("10,50", "x")).isEqualTo(new Rate(10, 50));
        assertThat(Rate.parse(" 2.5 , 5 ", "x")).isEqualTo(new Rate(2.5, 5));
        assertThat(Rate.parse("off", "x")).isNull();
        assertThatThrownBy(() -> Rate.parse("fast", "PARLEY_RATE_USER_SENDS")).hasMessageContaining("PARLEY_RATE_USER_SENDS");
        assertThatThrownBy(() -> Rate.parse("0,5", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConnectionAndTheUserBucketBothApplyAndARefusalCostsNothing() {
        Admission a = admission("3,3", "2,2", 100, Duration.ofSeconds(3));
        Limits phone = a.newConnection();
        Limits laptop = a.newConnection();
        assertThat(a.admitCommand(phone, "alice", true)).isNull();
        assertThat(a.admitCommand(phone, "alice", true)).isNull();
        Refusal byConnection = a.admitCommand(phone, "alice", true);
        assertThat(byConnection.code()).isEqualTo("rate_limited");
        assertThat(byConnection.message()).contains("per connection");
        assertThat(byConnection.retryAfterMs()).isEqualTo(500);
        // the user has one send left: the laptop gets it, then the user bucket refuses (and the laptop keeps its token)
        assertThat(a.admitCommand(laptop, "alice", true)).isNull();
        Refusal byUser = a.admitCommand(laptop, "alice", true);
        assertThat(byUser.message()).contains("per user");
        assertThat(byUser.retryAfterMs()).isEqualTo(334);
        // another user is not affected; REST (no connection) shares the user bucket
        assertThat(a.admitCommand(null, "bob", true)).isNull();
        assertThat(a.admitCommand(null, "alice", true).code()).isEqualTo("rate_limited");
        assertThat(a.inFlight()).isEqualTo(4);
        // other requests have their own buckets
        assertThat(a.admitOther(phone, "alice")).isNull();
    }

    @Test
    void commandsAreShedAtTheInFlightBoundAndWhenResultsRunBehind() {
        Admission a = admission("off", "off", 2, Duration.ofSeconds(3));
        assertThat(a.admitCommand(null, "u", true)).isNull();
        assertThat(a.admitCommand(null, "u", false)).isNull();
        Refusal full = a.admitCommand(null, "u", true);
        assertThat(full.code()).isEqualTo("overloaded");
        assertThat(full.retryAfterMs()).isEqualTo(1000);
        a.finished();
        assertThat(a.admitCommand(null, "u", true)).isNull();
        a.finished();
        a.finished();
        assertThat(a.inFlight()).isZero();
        a.observeOldestPending(3_000);
        assertThat(a.admitCommand(null, "u", true)).isNull();
        a.finished();
        a.observeOldestPending(8_000);
        Refusal behind = a.admitCommand(null, "u", true);
        assertThat(behind.code()).isEqualTo("overloaded");
        assertThat(behind.retryAfterMs()).isEqualTo(4_000);
        assertThat(a.inFlight()).isZero();
        // reads are not shed: they do not wait for the write path
        assertThat(a.admitOther(null, "u")).isNull();
        assertThat(Admission.shed(0, 10, 60_000, 3_000).retryAfterMs()).isEqualTo(5_000);
        assertThat(Admission.shed(0, 10, 3_100, 3_000).retryAfterMs()).isEqualTo(1_550);
        assertThat(Admission.shed(0, 10, 1_500, 1_000).retryAfterMs()).isEqualTo(1_000);
    }

    @Test
    void usersWithFullBucketsAreForgotten() {
        Admission a = admission("10,10", "off", 100, Duration.ofSeconds(3));
        a.admitCommand(null, "alice", true);
        a.admitOther(null, "bob");
        assertThat(a.trackedUsers()).isEqualTo(2);
        a.sweep();
        assertThat(a.trackedUsers()).isEqualTo(2);
        now.addAndGet(10 * SECOND);
        a.sweep();
        assertThat(a.trackedUsers()).isZero();
    }

    @Test
    void aRefusedSendHoldsBackTheLaterSendsOfItsConnectionToItsChannelUntilItComesAgain() {
        Admission a = admission("off", "1,1", 100, Duration.ofSeconds(3));
        Limits phone = a.newConnection();
        assertThat(a.admitSend(phone, "alice", "general", "m0")).isNull();
        Refusal first = a.admitSend(phone, "alice", "general", "m1");
        assertThat(first.code()).isEqualTo("rate_limited");
        // m2 was pipelined behind m1 and arrives once the bucket has a token again: admitting it would commit it
        // before m1, so the user's messages would land out of the order typed
        now.addAndGet(SECOND);
        Refusal heldBack = a.admitSend(phone, "alice", "general", "m2");
        assertThat(heldBack).as("m2 must wait for m1").isNotNull();
        assertThat(heldBack.code()).as("a code every client already retries").isEqualTo("rate_limited");
        assertThat(heldBack.message()).contains("m1");
        assertThat(heldBack.retryAfterMs()).isPositive();
        // other channels, other connections of the same user: not held back
        assertThat(a.admitSend(phone, "alice", "random", "r0")).isNull();
        now.addAndGet(SECOND);
        assertThat(a.admitSend(a.newConnection(), "alice", "general", "t0")).isNull();
        // m1 again; m3, typed while m2's refusal was still on its way back, must not overtake m2
        assertThat(a.admitSend(phone, "alice", "general", "m1")).isNull();
        now.addAndGet(SECOND);
        assertThat(a.admitSend(phone, "alice", "general", "m3")).as("m2 has not come again").isNotNull();
        assertThat(a.admitSend(phone, "alice", "general", "m2")).isNull();
        now.addAndGet(SECOND);
        assertThat(a.admitSend(phone, "alice", "general", "m3")).isNull();
        assertThat(phone.sendOrder().held()).isZero();
        now.addAndGet(SECOND);
        assertThat(a.admitSend(phone, "alice", "general", "m4")).isNull();
        assertThat(a.inFlight()).isEqualTo(7);
    }

    @Test
    void aHoldExpiresWhenTheRefusedSendNeverComesAgainAndTheHoldsOfAConnectionAreBounded() {
        Admission a = admission("off", "1,1", 100, Duration.ofSeconds(3));
        Limits phone = a.newConnection();
        assertThat(a.admitSend(phone, "alice", "general", "m0")).isNull();
        assertThat(a.admitSend(phone, "alice", "general", "m1")).isNotNull(); // then discarded by the client
        now.addAndGet(SendOrder.GRACE.toNanos() + 2 * SECOND);
        assertThat(a.admitSend(phone, "alice", "general", "m2")).as("the hold expired").isNull();
        // a client refused on many channels holds at most SendOrder.MAX_HELD of them
        for (int i = 0; i < SendOrder.MAX_HELD * 3; i++) {
            assertThat(a.admitSend(phone, "alice", "c" + i, "k")).isNotNull();
        }
        assertThat(phone.sendOrder().held()).isEqualTo(SendOrder.MAX_HELD);
    }

    @Test
    void theReadGatePausesAtItsBoundAndResumesExactlyOnce() {
        ReadGate gate = new ReadGate();
        assertThat(gate.read()).as("before hello: one frame at a time").isFalse();
        gate.open(3);
        assertThat(gate.done()).as("the hello is done: read on").isTrue();
        assertThat(gate.read()).isTrue();
        assertThat(gate.read()).isTrue();
        assertThat(gate.read()).isFalse();
        assertThat(gate.inFlight()).isEqualTo(3);
        assertThat(gate.done()).isTrue();
        assertThat(gate.done()).as("already reading").isFalse();
        assertThat(gate.done()).isFalse();
        assertThat(gate.inFlight()).isZero();
    }
}
