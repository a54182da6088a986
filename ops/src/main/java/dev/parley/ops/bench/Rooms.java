package dev.parley.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Channels with members, set up over the protocol: each channel's first member connects and creates it,
 * adds the other members ({@code add_member}), and then they connect; a member whose welcome does not list
 * the channel yet (the read side trails the log by a commit or two) reconnects until it does.
 */
final class Rooms {

    final List<String> channels = new ArrayList<>();
    /** members.get(c).get(0) created channel c. */
    final List<List<BenchClient>> members = new ArrayList<>();
    final AtomicLong requests = new AtomicLong();
    /** Set-up requests refused with overloaded or rate_limited are sent again, up to this many times in all. */
    private static final int SETUP_ATTEMPTS = 20;

    static Rooms setup(ClientPool pool, String tag, int channelCount, int membersPerChannel, Duration timeout)
            throws Exception {
        Rooms r = new Rooms();
        List<BenchClient> creators = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            r.channels.add(tag + "-c" + c);
            List<BenchClient> m = new ArrayList<>();
            for (int k = 0; k < membersPerChannel; k++) {
                BenchClient b = new BenchClient(tag + "-c" + c + "-u" + k, "d");
                b.home = tag + "-c" + c;
                m.add(b);
            }
            r.members.add(m);
            creators.add(m.get(0));
        }
        check(pool.openAll(creators, c -> Map.of(), 200, timeout), "connect the channel creators");
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int c = 0; c < channelCount; c++) {
            String id = tag + "-r" + r.requests.incrementAndGet();
            replies.add(creators.get(c).requestServed(id, "{\"type\":\"create_channel\",\"channel\":\"" + r.channels.get(c)
                    + "\",\"requestId\":\"" + id + "\"}", SETUP_ATTEMPTS));
        }
        awaitOk(replies, timeout, "create channels");
        replies.clear();
        for (int c = 0; c < channelCount; c++) {
            for (BenchClient m : r.members.get(c).subList(1, membersPerChannel)) {
                String id = tag + "-r" + r.requests.incrementAndGet();
                replies.add(creators.get(c).requestServed(id, "{\"type\":\"add_member\",\"channel\":\"" + r.channels.get(c)
                        + "\",\"user\":\"" + m.user + "\",\"requestId\":\"" + id + "\"}", SETUP_ATTEMPTS));
            }
        }
        awaitOk(replies, timeout, "add members");
        for (int attempt = 0; ; attempt++) {
            List<BenchClient> pending = new ArrayList<>();
            for (int c = 0; c < channelCount; c++) {
                List<BenchClient> m = r.members.get(c);
                for (int k = 1; k < m.size(); k++) {
                    BenchClient b = m.get(k);
                    if (!b.welcome.isDone()) {
                        pending.add(b);
                    } else if (!lists(b, r.channels.get(c))) {
                        b.close();
                        BenchClient again = new BenchClient(b.user, b.device);
                        again.home = b.home;
                        m.set(k, again);
                        pending.add(again);
                    }
                }
            }
            if (pending.isEmpty()) {
                return r;
            }
            if (attempt == 6) {
                throw new IllegalStateException(pending.size() + " members never got their channel in the welcome");
            }
            if (attempt > 0) {
                Thread.sleep(200L << attempt);
            }
            check(pool.openAll(pending, c -> Map.of(), 200, timeout), "connect the members");
        }
    }

    private static boolean lists(BenchClient b, String channel) {
        String w = b.welcome.getNow("");
        return w.contains("\"channel\":\"" + channel + "\"");
    }

    /** The channel's head in a member's welcome. */
    static long headIn(String welcome, String channel) {
        int i = welcome.indexOf("\"channel\":\"" + channel + "\"");
        return i < 0 ? 0 : FrameFields.num(welcome.substring(i), "head", 0);
    }

    List<BenchClient> all() {
        List<BenchClient> out = new ArrayList<>();
        members.forEach(out::addAll);
        return out;
    }

    static void check(List<Throwable> failures, String what) {
        if (!failures.isEmpty()) {
            throw new IllegalStateException(what + ": " + failures.size() + " failed, e.g. " + failures.get(0));
        }
    }

    static void awaitOk(List<CompletableFuture<String>> replies, Duration timeout, String what) throws Exception {
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (CompletableFuture<String> f : replies) {
            String reply = f.join();
            if (!FrameFields.type(reply).equals("ok")) {
                throw new IllegalStateException(what + ": " + reply);
            }
        }
    }
}
