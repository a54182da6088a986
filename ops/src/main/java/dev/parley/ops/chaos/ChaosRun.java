package dev.parley.ops.chaos;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.auth.DevTokens;
import dev.parley.ops.chaos.check.Histories;
import dev.parley.ops.chaos.check.HistoryChecker;
import dev.parley.ops.chaos.check.LoggedEvent;
import dev.parley.ops.chaos.check.Membership;
import dev.parley.ops.chaos.fault.FaultInjector;
import dev.parley.ops.chaos.fault.FaultKind;
import dev.parley.ops.chaos.fault.FaultRecord;
import dev.parley.ops.chaos.fault.FaultSchedule;
import dev.parley.ops.chaos.fault.Settling;
import dev.parley.ops.chaos.fault.Step;
import dev.parley.ops.chaos.load.ChatClient;
import dev.parley.ops.chaos.load.ChatLoad;
import dev.parley.ops.chaos.load.GatewayBalancer;
import dev.parley.ops.chaos.load.Population;
import dev.parley.ops.chaos.report.LatencySplit;
import dev.parley.ops.chaos.report.Unavailability;
import dev.parley.ops.chaos.report.Window;
import dev.parley.ops.cluster.ClusterSettings;
import dev.parley.ops.cluster.LocalCluster;
import dev.parley.schemas.topics.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A chaos run: starts a {@link LocalCluster}, puts the load on it ({@link ChatLoad}), injects the seeded fault
 * schedule ({@link FaultSchedule}, {@link FaultInjector}) one step at a time with the cluster settled in between,
 * lets the load run calm, drains it, reads the whole log, waits for the clients to hold everything, and checks it all
 * ({@link HistoryChecker}). The {@link ChaosReport} has the figures and the verdict; it is also written to
 * {@code <data-dir>/chaos-report.txt}.
 */
public final class ChaosRun {

    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(3);
    /** The gateways' admission limits, raised so the load is not mostly rate limited (10 sends/s per user by default). */
    static final Map<String, String> ADMISSION = Map.of("PARLEY_RATE_USER_SENDS", "200,400", "PARLEY_RATE_CONNECTION_SENDS", "200,400",
            "PARLEY_RATE_USER_REQUESTS", "200,400", "PARLEY_RATE_CONNECTION_REQUESTS", "200,400");

    private final ChaosSettings settings;
    private final ChatClient.Factory clients;
    private final PrintStream out;

    public ChaosRun(ChaosSettings settings, ChatClient.Factory clients, PrintStream out) {
        this.settings = settings;
        this.clients = clients;
        this.out = out;
    }

    public ChaosReport run() throws Exception {
        long t0 = System.nanoTime();
        Population population = Population.plan(settings.seed(), "c", settings.users(), settings.channels(), settings.members(),
                settings.lateJoins(), settings.probes());
        FaultSchedule schedule = new FaultSchedule(settings.seed(), new FaultSchedule.Shape(settings.brokers(), settings.topologies(),
                settings.gateways(), settings.partitions()), settings.profile());
        List<Step> plan = schedule.plan();
        List<String> header = header(population, plan);
        header.forEach(this::say);

        Map<String, String> env = new HashMap<>(ADMISSION);
        env.putAll(settings.nodeEnv());
        ClusterSettings cs = ClusterSettings.defaults(settings.dataDir().resolve("cluster"))
                .withNodes(settings.brokers(), settings.topologies(), settings.gateways()).withPartitions(settings.partitions())
                .withTimeouts(READY_TIMEOUT, Duration.ofSeconds(30)).withJavaOptions(settings.javaOptions()).withExtraEnv(env);
        List<FaultRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Function<String, String> token = devTokens();
        String logTopic = TopicNames.defaults().log();
        ChaosReport report;
        try (LocalCluster cluster = LocalCluster.start(cs);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                     AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
             GatewayBalancer balancer = GatewayBalancer.start(cluster.gatewayUrls().stream()
                     .map(u -> new InetSocketAddress(u.getHost(), u.getPort())).toList());
             ProbeSockets sockets = new ProbeSockets();
             ChatLoad load = new ChatLoad(population, clients, balancer, sockets.client, token, settings.rate(), settings.seed(), this::say)) {
            say("cluster up in %.1f s: %s", cluster.startMillis() / 1000.0, cluster.nodes());
            load.setUp(SETUP_TIMEOUT);
            say("set-up done: %d channels, %d clients, %d probes", population.channels().size(), population.users().size(),
                    population.probes().size());

            FaultInjector injector = new FaultInjector(cluster, admin, logTopic, READY_TIMEOUT, this::say);
            Settling settling = new Settling(cluster, admin);
            load.start(settings.warmup().plus(settings.duration().isZero() ? Duration.ofMinutes(3) : settings.duration()));
            load.progress(Duration.ofSeconds(10));
            say("load: %.0f sends/s; warm-up %d s", settings.rate(), settings.warmup().toSeconds());
            Thread.sleep(settings.warmup().toMillis());
            long faultsStart = System.nanoTime();
            List<Window> disturbed = new ArrayList<>(); // each step, from its first fault until settled
            int number = 0;
            List<Step> steps = new ArrayList<>(plan);
            while (true) {
                Step step;
                if (number < steps.size()) {
                    step = steps.get(number);
                } else if (System.nanoTime() - faultsStart < settings.duration().toNanos()) {
                    step = schedule.extra();
                    steps.add(step);
                } else {
                    break;
                }
                number++;
                say("step %d%s: %s", number, step.overlapping() ? " (overlapping)" : "", step);
                long stepStart = System.nanoTime();
                records.addAll(injector.run(step, number));
                long settleStart = System.nanoTime();
                String unsettled = settling.await(SETTLE_TIMEOUT);
                long clusterSettled = System.nanoTime();
                boolean waitForLoad = settings.profile() == FaultSchedule.Profile.FULL;
                long backlog = waitForLoad ? load.awaitBacklog(backlogLimit(), SETTLE_TIMEOUT) : 0;
                if (unsettled != null || backlog > backlogLimit()) {
                    String what = unsettled != null ? unsettled : backlog + " sends still unanswered or waiting";
                    problems.add("after step " + number + " the cluster did not settle within " + SETTLE_TIMEOUT.toMinutes() + " min: " + what);
                    say("!! not settled after step %d: %s", number, what);
                } else {
                    say("settled after step %d: every node serving and every replica in sync %.1f s later%s", number,
                            (clusterSettled - settleStart) / 1e9, waitForLoad
                                    ? String.format(Locale.ROOT, ", the load caught up %.1f s later", (System.nanoTime() - clusterSettled) / 1e9) : "");
                }
                disturbed.add(new Window(stepStart, System.nanoTime()));
                Thread.sleep(step.pause().toMillis());
            }
            say("faults done (%d steps in %d s); calm load for %d s", number,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - faultsStart), settings.calm().toSeconds());
            Thread.sleep(settings.calm().toMillis());
            load.stop();
            long open = load.drain(DRAIN_TIMEOUT);
            say("load stopped; %d sends still unanswered after the drain", open);

            List<LoggedEvent> log = LogScan.read(cluster.bootstrapServers(), cluster.registryUrl().toString(), logTopic, Duration.ofSeconds(60));
            Membership membership = Membership.of(log);
            Map<String, Long> heads = new LinkedHashMap<>();
            population.channels().forEach(c -> heads.put(c.id(), membership.head(c.id())));
            Map<String, List<String>> channelsOf = new HashMap<>();
            population.users().forEach(u -> channelsOf.put(u, membership.channelsOf(u)));
            say("log read: %,d events in %d channels", log.size(), heads.size());
            List<String> behind = load.awaitDelivered(heads, channelsOf, DELIVERY_TIMEOUT);
            if (!behind.isEmpty()) {
                notes.add(behind.size() + " (client, channel) pairs still short of the log's head after " + DELIVERY_TIMEOUT.toMinutes()
                        + " min, e.g. " + behind.subList(0, Math.min(5, behind.size())));
            }
            List<String> offline = load.offline();
            if (!offline.isEmpty()) {
                problems.add(offline.size() + " clients not connected at the end: " + offline);
            }
            Histories histories = load.histories(log, channelsOf);
            var findings = HistoryChecker.all().check(histories);

            ChatLoad.Counts counts = load.counts();
            Files.write(settings.dataDir().resolve("sends.csv"), load.csv(), StandardCharsets.UTF_8);
            var timings = load.timings();
            long lastSettled = disturbed.stream().mapToLong(Window::toNanos).max().orElse(faultsStart);
            Set<FaultKind> expected = EnumSet.noneOf(FaultKind.class);
            plan.forEach(s -> s.faults().forEach(f -> expected.add(f.fault().kind())));
            for (FaultKind k : expected) {
                if (records.stream().noneMatch(r -> r.fault().kind() == k && r.ok())) {
                    problems.add("no " + k.label() + " was injected and recovered");
                }
            }
            records.stream().filter(r -> !r.ok()).forEach(r -> problems.add("step " + r.step() + " " + r.fault() + ": " + r.problem()));
            if (counts.acked() == 0) {
                problems.add("nothing was acked");
            }
            notes.add("gateway error answers (since each gateway's last start): " + GatewayErrors.scrape(cluster.gatewayUrls()));
            notes.add(String.format(Locale.ROOT, "log: %,d events; balancer: %,d connections, %,d to another gateway than the preferred one, %,d refused",
                    log.size(), balancer.connections(), balancer.failovers(), balancer.refused()));
            notes.add(String.format(Locale.ROOT, "run took %.1f min; cluster logs in %s; every send in %s", (System.nanoTime() - t0) / 6e10,
                    cluster.settings().dataDir().resolve("logs"), settings.dataDir().resolve("sends.csv")));
            report = new ChaosReport(header, counts, records, new Unavailability(timings, load.endNanos()),
                    new LatencySplit(timings, disturbed, lastSettled), findings, problems, notes);
        }
        List<String> lines = report.lines();
        lines.subList(header.size(), lines.size()).forEach(out::println);
        write(report);
        return report;
    }

    /** At most this many sends in flight or waiting counts as caught up: about one second of load. */
    private long backlogLimit() {
        return Math.max(5, Math.round(settings.rate()));
    }

    /** Tokens the cluster's gateways accept (they run in dev mode, with the dev secret), valid for 6 hours. */
    public static Function<String, String> devTokens() {
        DevTokens tokens = new DevTokens(GatewayConfig.DEV_SECRET);
        return user -> tokens.issue(user, Duration.ofHours(6));
    }

    private List<String> header(Population p, List<Step> plan) {
        List<String> h = new ArrayList<>();
        long priv = p.channels().stream().filter(Population.ChannelPlan::isPrivate).count();
        h.add(String.format(Locale.ROOT, "Parley chaos run %s, seed %d, profile %s", Instant.now(), settings.seed(), settings.profile()));
        h.add(String.format(Locale.ROOT, "cluster: %d brokers (RF %d, min ISR %d), %d topologies, %d gateways, %d partitions%s",
                settings.brokers(), Math.min(3, settings.brokers()), settings.brokers() >= 3 ? 2 : 1, settings.topologies(),
                settings.gateways(), settings.partitions(), settings.nodeEnv().isEmpty() ? "" : ", node env " + settings.nodeEnv()));
        h.add(String.format(Locale.ROOT, "load: %.0f sends/s open loop over %d channels (%d private) of %d members, %d users (one client"
                        + " each, spread over the gateways), %d probes, %d members added during the load",
                settings.rate(), p.channels().size(), priv, settings.members(), p.users().size(), p.probes().size(), p.lateJoins().size()));
        h.add(String.format(Locale.ROOT, "faults: %d planned steps (%d overlapping), then extra steps until %d s of faults; warm-up %d s, calm %d s",
                plan.size(), plan.stream().filter(Step::overlapping).count(), settings.duration().toSeconds(), settings.warmup().toSeconds(),
                settings.calm().toSeconds()));
        return h;
    }

    private void write(ChaosReport report) {
        Path file = settings.dataDir().resolve("chaos-report.txt");
        try {
            Files.createDirectories(settings.dataDir());
            Files.write(file, report.lines(), StandardCharsets.UTF_8);
            say("report written to %s", file);
        } catch (IOException e) {
            say("cannot write %s: %s", file, e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        say(String.format(Locale.ROOT, format, args));
    }

    private void say(String line) {
        out.printf("[chaos %s] %s%n", Instant.now().toString().substring(11, 19), line);
        out.flush();
    }

    /** One Jetty WebSocket client for every probe: a few selector threads and a small pool. */
    private static final class ProbeSockets implements AutoCloseable {
        final HttpClient http = new HttpClient();
        final WebSocketClient client;

        ProbeSockets() throws Exception {
            QueuedThreadPool threads = new QueuedThreadPool(16, 2);
            threads.setName("chaos-probe");
            threads.setDaemon(true);
            http.setExecutor(threads);
            http.setConnectTimeout(5_000);
            client = new WebSocketClient(http);
            client.setIdleTimeout(Duration.ofMinutes(30));
            client.setMaxTextMessageSize(16 << 20);
            client.start();
        }

        @Override
        public void close() throws Exception {
            client.stop();
            http.stop();
        }
    }

}
