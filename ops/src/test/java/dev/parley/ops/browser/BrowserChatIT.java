package dev.parley.ops.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.ops.runner.GatewayComponent;
import dev.parley.ops.runner.LocalStack;
import dev.parley.ops.runner.RunnerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in real browsers: the whole local stack ({@code parley start}'s composition on ephemeral
 * ports), two headless Chromium sessions as two users. Bob's browser reaches the gateway through a proxy
 * whose network the test cuts: he misses messages while offline, comes back, and sees every one once, in
 * order; presence dots and "X is typing…" follow the other user. Screenshots go to {@code ops/target/browser-chat/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/install-browser.sh}). Without
 * them it is skipped with a loud message, unless {@code PARLEY_REQUIRE_BROWSER=1} (CI sets it), which makes
 * it fail instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserChatIT {

    private static final Path SHOTS = Path.of("target", "browser-chat");

    private Path dir;

    private LocalStack stack;
    private FlakyProxy proxy;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private String direct;
    private String viaProxy;
    private String missingBrowser;
    private dev.parley.gateway.GatewayServer gateway;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        if (!ChatBrowser.available()) {
            String msg = "\n\n*** BrowserChatIT: " + ChatBrowser.CHROMIUM + " or " + ChatBrowser.CHROMEDRIVER
                    + " is missing. Install them with .ci/install-browser.sh (Debian packages chromium chromium-driver)."
                    + " The browser test is SKIPPED. ***\n";
            System.err.println(msg);
            System.out.println(msg);
            if ("1".equals(System.getenv("PARLEY_REQUIRE_BROWSER"))) {
                throw new IllegalStateException("PARLEY_REQUIRE_BROWSER=1 but " + msg.trim());
            }
            missingBrowser = msg.trim(); // the test reports itself skipped (Surefire counts it)
            return;
        }
        RunnerSettings settings = RunnerSettings.ephemeral(dir.resolve("data"));
        stack = new LocalStack(settings, LocalStack.defaultComponents(settings)).start();
        gateway = stack.components().stream().filter(GatewayComponent.class::isInstance)
                .map(c -> ((GatewayComponent) c).server()).findFirst().orElseThrow();
        int gatewayPort = gateway.port();
        proxy = new FlakyProxy(gatewayPort);
        direct = "http://127.0.0.1:" + gatewayPort + "/";
        viaProxy = "http://127.0.0.1:" + proxy.port() + "/";
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private ChatBrowser browser(String name) {
        ChatBrowser b = new ChatBrowser(name, dir.resolve("profile-" + name));
        toClose.add(b);
        return b;
    }

    @Test
    void twoUsersChatOneGoesOfflineMissesMessagesAndComesBackToAllOfThemInOrderOnce() {
        Assumptions.assumeTrue(missingBrowser == null, () -> missingBrowser);
        ChatBrowser alice = browser("alice");
        ChatBrowser bob = browser("bob");
        try {
            chat(alice, bob);
        } catch (RuntimeException | Error e) {
            alice.screenshot(SHOTS.resolve("failed-alice.png"));
            bob.screenshot(SHOTS.resolve("failed-bob.png"));
            throw e;
        }
    }

    private void chat(ChatBrowser alice, ChatBrowser bob) {

        alice.open(direct);
        alice.signIn("alice");
        alice.createChannel("lounge", false);

        bob.open(viaProxy);
        bob.signIn("bob");
        bob.join("lounge");

        alice.send("hi bob");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.texts().contains("hi bob"));
        bob.send("hi alice");
        List<String> before = List.of("hi bob", "hi alice");
        await().atMost(ChatBrowser.WAIT).until(() -> alice.texts().equals(before));
        await().atMost(ChatBrowser.WAIT).until(() -> bob.texts().equals(before));

        // Bob's network goes away.
        proxy.goOffline();
        bob.awaitStatus("offline");
        List<String> missed = IntStream.rangeClosed(1, 12).mapToObj(i -> "while bob was away " + i).toList();
        for (String m : missed) {
            alice.send(m);
        }
        bob.send("typed while offline");
        await().atMost(ChatBrowser.WAIT).until(() -> alice.texts().size() == before.size() + missed.size());
        assertThat(bob.texts()).as("nothing reaches bob while offline").isEqualTo(before);
        assertThat(bob.pendingTexts()).containsExactly("typed while offline");
        bob.screenshot(SHOTS.resolve("bob-offline.png"));

        // Back online: the page reconnects by itself, resumes, and sends what was typed meanwhile.
        int attempts = proxy.accepted();
        proxy.goOnline();
        bob.awaitStatus("online");
        assertThat(proxy.accepted()).isGreaterThan(attempts);

        List<String> all = new ArrayList<>(before);
        all.addAll(missed);
        all.add("typed while offline");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.texts().equals(all));
        await().atMost(ChatBrowser.WAIT).until(() -> alice.texts().equals(all));
        assertThat(bob.pendingTexts()).isEmpty();
        assertSeqsStrictlyIncreasing(bob.messages());
        assertSeqsStrictlyIncreasing(alice.messages());
        assertThat(bob.messages()).as("both see the same committed log").isEqualTo(alice.messages());

        // A channel bob was added to shows up with an unread count.
        alice.createChannel("side-room", true);
        alice.addMember("bob");
        alice.send("psst, bob");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.channelList().contains("side-room (1)"));
        assertThat(bob.channelList()).containsExactly("lounge", "side-room (1)");
        bob.screenshot(SHOTS.resolve("bob-back-online.png"));
        alice.select("lounge");
        alice.screenshot(SHOTS.resolve("alice.png"));

        bob.select("side-room");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.texts().equals(List.of("psst, bob")));
        await().atMost(ChatBrowser.WAIT).until(() -> bob.channelList().equals(List.of("lounge", "side-room")));

        // Pull mode: the channel on bob's screen is pushed, the one off screen only tells its head and is pulled.
        await().atMost(ChatBrowser.WAIT).until(() -> gateway.hub().deliveryOf("bob")
                .equals(List.of(java.util.Map.of("lounge", true, "side-room", false))));
        alice.select("lounge");
        alice.send("while bob looks at side-room");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.channelList().equals(List.of("lounge (1)", "side-room")));
        bob.select("lounge");
        await().atMost(ChatBrowser.WAIT).until(() -> bob.texts().contains("while bob looks at side-room"));
        assertSeqsStrictlyIncreasing(bob.messages());
        await().atMost(ChatBrowser.WAIT).until(() -> gateway.hub().deliveryOf("bob")
                .equals(List.of(java.util.Map.of("lounge", false, "side-room", true))));
    }

    @Test
    void editsReactionsThreadsAndDeletionsShowUpInTheOtherBrowser() {
        Assumptions.assumeTrue(missingBrowser == null, () -> missingBrowser);
        ChatBrowser dana = browser("dana");
        ChatBrowser eli = browser("eli");
        try {
            conversation(dana, eli);
        } catch (RuntimeException | Error e) {
            dana.screenshot(SHOTS.resolve("failed-dana.png"));
            eli.screenshot(SHOTS.resolve("failed-eli.png"));
            throw e;
        }
    }

    private void conversation(ChatBrowser dana, ChatBrowser eli) {
        dana.open(direct);
        dana.signIn("dana");
        dana.createChannel("design", false);
        eli.open(direct);
        eli.signIn("eli");
        eli.join("design");

        dana.send("first draft");
        dana.send("oops, wrong channel");
        await().atMost(ChatBrowser.WAIT).until(() -> eli.texts().equals(List.of("first draft", "oops, wrong channel")));
        long draft = dana.seqOf("first draft");
        long oops = dana.seqOf("oops, wrong channel");

        dana.edit(draft, "final draft");
        await().atMost(ChatBrowser.WAIT).until(() -> eli.texts().contains("final draft"));
        assertThat(eli.decorations(draft)).isEqualTo("(edited)");

        eli.react(draft, "🎉");
        await().atMost(ChatBrowser.WAIT).until(() -> dana.reactions(draft).equals(List.of("🎉 1")));

        eli.replyInThread(draft, "looks good to me");
        await().atMost(ChatBrowser.WAIT).until(() -> eli.threadTexts().equals(List.of("final draft", "looks good to me")));
        await().atMost(ChatBrowser.WAIT).until(() -> "(edited) 1 reply".equals(dana.decorations(draft)));
        assertThat(dana.texts()).as("thread replies stay in their thread").doesNotContain("looks good to me");

        dana.act(oops, "delete");
        await().atMost(ChatBrowser.WAIT).until(() -> eli.texts().equals(List.of("final draft", "This message was deleted.")));
        eli.screenshot(SHOTS.resolve("eli-conversation.png"));
    }

    @Test
    void presenceDotsAndTypingShowUpInTheOtherBrowser() {
        Assumptions.assumeTrue(missingBrowser == null, () -> missingBrowser);
        ChatBrowser frank = browser("frank");
        ChatBrowser gail = browser("gail");
        try {
            presenceAndTyping(frank, gail);
        } catch (RuntimeException | Error e) {
            frank.screenshot(SHOTS.resolve("failed-frank.png"));
            gail.screenshot(SHOTS.resolve("failed-gail.png"));
            throw e;
        }
    }

    private void presenceAndTyping(ChatBrowser frank, ChatBrowser gail) {
        frank.open(direct);
        frank.signIn("frank");
        frank.createChannel("standup", false);
        gail.open(direct);
        gail.signIn("gail");
        gail.join("standup");
        gail.send("morning");
        frank.send("morning gail");
        await().atMost(ChatBrowser.WAIT).until(() -> frank.texts().equals(List.of("morning", "morning gail")));

        // Frank's page watches the authors it shows: gail is online, a green dot by her message.
        await().atMost(ChatBrowser.WAIT).until(() -> "online".equals(frank.presenceOf("gail")));
        assertThat(frank.presenceOf("frank")).as("no dot for myself").isNull();
        assertThat(frank.typingLine()).isEmpty();

        gail.type("let me check the");
        await().atMost(ChatBrowser.WAIT).until(() -> frank.typingLine().equals("gail is typing…"));
        assertThat(gail.typingLine()).as("not to the typer").isEmpty();
        frank.screenshot(SHOTS.resolve("frank-sees-gail-typing.png"));
        gail.sendTyped();
        await().atMost(ChatBrowser.WAIT).until(() -> frank.texts().contains("let me check the"));
        await().atMost(ChatBrowser.WAIT).until(() -> frank.typingLine().isEmpty());

        // Gail signs out: after the grace and the debounce her dot goes grey.
        gail.signOut();
        await().atMost(ChatBrowser.WAIT).until(() -> "offline".equals(frank.presenceOf("gail")));
        frank.screenshot(SHOTS.resolve("frank-sees-gail-offline.png"));
    }

    private static void assertSeqsStrictlyIncreasing(List<String> messages) {
        List<Long> seqs = messages.stream().map(m -> Long.parseLong(m.substring(0, m.indexOf('|')))).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seqs on screen %s", seqs).isGreaterThan(seqs.get(i - 1));
        }
    }
}
